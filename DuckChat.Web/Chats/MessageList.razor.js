// Scrolling for a chat's message list: start at the newest message, follow new messages while the reader is
// at the bottom, keep the reader's place when older messages are added above, and ask for older messages when
// the top comes into view. Also reports the tab becoming visible (to fetch what it missed) and whether the
// reader is looking (visible and focused), which is when messages count as read, and runs the rows' shared menu.
export function attach(list, menu, dotnet) {
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

    // The rows share one menu, a native popover that each row's button opens (the browser places it by its
    // button, closes it on Escape or a click outside, and gives focus back). Before it opens, the menu learns its
    // row and shows only what that row allows; a chosen item goes to the server, which checks it again.
    list.addEventListener("click", state.onMenuButton = e => {
        const row = e.target.closest?.(".message-menu-button")?.closest("[data-seq]");
        if (!row) return;
        menu.dataset.seq = row.dataset.seq;
        const own = row.classList.contains("mine") && !row.classList.contains("deleted");
        menu.querySelectorAll("[data-own]").forEach(item => item.hidden = !own);
    }, true);
    menu.addEventListener("click", state.onMenuItem = e => {
        const action = e.target.closest?.("[data-action]")?.dataset.action;
        if (action && menu.dataset.seq) {
            dotnet.invokeMethodAsync("MessageActionAsync", Number(menu.dataset.seq), action);
        }
    });
    // As a menu does: focus the first item when it opens, and move between items with the arrow keys.
    menu.addEventListener("toggle", state.onMenuToggle = e => {
        if (e.newState === "open") {
            menu.querySelector("[role=menuitem]:not([hidden])")?.focus();
        }
    });
    menu.addEventListener("keydown", state.onMenuKey = e => {
        const step = { ArrowDown: 1, ArrowUp: -1 }[e.key];
        if (!step) return;
        const items = [...menu.querySelectorAll("[role=menuitem]:not([hidden])")];
        items[(items.indexOf(e.target) + step + items.length) % items.length]?.focus();
        e.preventDefault();
    });

    // The page reads (moves the read position) only while the tab is visible and focused.
    const attentive = () => document.visibilityState === "visible" && document.hasFocus();
    state.attentive = attentive();
    dotnet.invokeMethodAsync("AttentionChangedAsync", state.attentive);
    state.onAttention = () => {
        const now = attentive();
        if (now !== state.attentive) {
            state.attentive = now;
            dotnet.invokeMethodAsync("AttentionChangedAsync", now);
        }
    };
    window.addEventListener("focus", state.onAttention);
    window.addEventListener("blur", state.onAttention);

    document.addEventListener("visibilitychange", state.onVisibility = () => {
        state.onAttention();
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

export function detach(list, menu) {
    const state = list._duckChat;
    if (!state) return;
    list.removeEventListener("scroll", state.onScroll);
    list.removeEventListener("click", state.onMenuButton, true);
    menu.removeEventListener("click", state.onMenuItem);
    menu.removeEventListener("toggle", state.onMenuToggle);
    menu.removeEventListener("keydown", state.onMenuKey);
    document.removeEventListener("visibilitychange", state.onVisibility);
    window.removeEventListener("focus", state.onAttention);
    window.removeEventListener("blur", state.onAttention);
    state.mutations.disconnect();
    state.sentinel.disconnect();
    delete list._duckChat;
}
