// Small helpers the components call through JS interop.
window.duckChat = {
    // Marks the page as interactive once its circuit has rendered (tests and styles can wait for it).
    markInteractive: () => { document.body.dataset.interactive = "true"; },
    // The reader's IANA time zone, so times show as their clock shows them.
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone ?? null,
};

// A click on a push notification (wwwroot/sw.js) asks this tab to open the chat: in place, keeping the circuit.
if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", event => {
        const url = event.data?.type === "duckchat-open" && typeof event.data.url === "string" ? new URL(event.data.url, location.href) : null;
        if (url?.origin === location.origin) {
            Blazor.navigateTo(url.href);
        }
    });
    navigator.serviceWorker.startMessages();
}

// A code block's copy button (Chats/Formatting). One listener for the document: message markup carries no script,
// and the handler only reads the block, it never changes what Blazor rendered. The result is announced in a
// status region of its own, outside the rendered page.
document.addEventListener("click", async event => {
    const button = event.target instanceof Element ? event.target.closest(".code-copy") : null;
    const code = button?.closest(".code-block")?.querySelector("code");
    if (!code) {
        return;
    }

    let status = document.getElementById("copy-status");
    if (!status) {
        status = Object.assign(document.createElement("div"), { id: "copy-status", className: "visually-hidden" });
        status.setAttribute("role", "status");
        document.body.append(status);
    }

    try {
        await navigator.clipboard.writeText(code.textContent);
        status.textContent = "Code copied";
    } catch {
        status.textContent = "Could not copy the code";
    }
});
