// Scrolling for a chat's message list: start at the newest message, follow new messages while the reader is
// at the bottom, keep the reader's place when older messages are added above, and ask for older messages when
// the top comes into view. Also reports the tab becoming visible, so the page can fetch what it missed.
export function attach(list, dotnet) {
    const state = { atBottom: true, prepend: null };
    list._duckChat = state;
    list.scrollTop = list.scrollHeight;

    list.addEventListener("scroll", state.onScroll = () => {
        state.atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
    });

    state.mutations = new MutationObserver(() => {
        if (state.prepend) {
            list.scrollTop = list.scrollHeight - state.prepend.height + state.prepend.top;
            state.prepend = null;
        } else if (state.atBottom) {
            list.scrollTop = list.scrollHeight;
        }
        observeSentinel();
    });
    state.mutations.observe(list, { childList: true, subtree: true });

    state.sentinel = new IntersectionObserver(entries => {
        if (entries.some(e => e.isIntersecting) && !state.prepend) {
            dotnet.invokeMethodAsync("LoadOlderAsync");
        }
    }, { root: list });
    const observeSentinel = () => {
        const sentinel = list.querySelector(".history-sentinel");
        if (sentinel !== state.observed) {
            if (state.observed) state.sentinel.unobserve(state.observed);
            if (sentinel) state.sentinel.observe(sentinel);
            state.observed = sentinel;
        }
    };
    observeSentinel();

    document.addEventListener("visibilitychange", state.onVisibility = () => {
        if (document.visibilityState === "visible") {
            dotnet.invokeMethodAsync("TabVisibleAsync");
        }
    });
}

export function keepPositionOnPrepend(list) {
    const state = list._duckChat;
    if (state) {
        state.prepend = { height: list.scrollHeight, top: list.scrollTop };
    }
}

export function detach(list) {
    const state = list._duckChat;
    if (!state) return;
    list.removeEventListener("scroll", state.onScroll);
    document.removeEventListener("visibilitychange", state.onVisibility);
    state.mutations.disconnect();
    state.sentinel.disconnect();
    delete list._duckChat;
}
