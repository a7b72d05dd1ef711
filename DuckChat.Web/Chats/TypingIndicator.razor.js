// Typing signals: while the person types in the composer (text not empty, and changed), the server hears it at most
// once per period. Listens on the chat view, so a composer made anew (another chat, another account) needs nothing.
export function attach(line, dotnet, everyMs) {
    const view = line.closest(".chat-view");
    if (!view) return;
    const state = { last: -Infinity, text: "" };
    state.onInput = e => {
        if (!e.target.matches?.(".composer-input")) return;
        const text = e.target.value;
        const now = performance.now();
        if (text.trim() && text !== state.text && now - state.last >= everyMs) {
            state.last = now;
            dotnet.invokeMethodAsync("TypingAsync").catch(() => { }); // a lost signal only shortens what others see
        }
        state.text = text;
    };
    view.addEventListener("input", state.onInput);
    line._duckChatTyping = { view, state };
}

export function detach(line) {
    const attached = line._duckChatTyping;
    if (!attached) return;
    attached.view.removeEventListener("input", attached.state.onInput);
    delete line._duckChatTyping;
}
