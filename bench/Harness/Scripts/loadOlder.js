// Clicks "Load older messages" and resolves with the milliseconds until the message just before the first one
// shown is in the page (both apps render rows with data-seq).
async () => {
    const first = Number(document.querySelector(".message-list [data-seq]").dataset.seq);
    const wanted = `.message-list [data-seq="${first - 1}"]`;
    const button = [...document.querySelectorAll("button")].find(b => b.textContent.trim() === "Load older messages");
    const start = performance.now();
    const shown = new Promise((resolve, reject) => {
        const observer = new MutationObserver(() => {
            if (document.querySelector(wanted)) {
                observer.disconnect();
                resolve(performance.now() - start);
            }
        });
        observer.observe(document.querySelector(".message-list"), { childList: true, subtree: true });
        setTimeout(() => { observer.disconnect(); reject(new Error(`${wanted} did not appear`)); }, 15000);
    });
    button.click();
    return await shown;
}
