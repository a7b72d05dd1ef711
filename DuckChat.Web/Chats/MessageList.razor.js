// Scrolling for a chat's message list: start at the newest message (or at the one the page was opened at), follow
// new messages while the reader is at the bottom of the live end, keep the reader's place when a page is added at
// either end (and the far end trimmed), and ask for the next page when an end with more past it comes into view.
// Also reports the tab becoming visible (to fetch what it missed) and whether the reader is looking (visible and
// focused), which is when messages count as read, and runs the rows' shared menu.
export function attach(list, menu, dotnet) {
    const state = { atBottom: true, anchor: null, inView: new Set() };
    list._duckChat = state;

    list.addEventListener("scroll", state.onScroll = () => {
        state.atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
    });

    // The window was filled afresh (the server changes data-opening): show the highlighted row in the middle, else the end.
    const place = () => {
        state.opening = list.dataset.opening;
        state.anchor = null;
        const target = list.querySelector("[aria-current]");
        list.scrollTop = target
            ? list.scrollTop + target.getBoundingClientRect().top - list.getBoundingClientRect().top - (list.clientHeight - target.offsetHeight) / 2
            : list.scrollHeight;
        state.onScroll();
    };

    // After a page was added: the row that was in view goes back where it was. If it was trimmed (the page came at the
    // other end), the row the page joins goes to that side of the view, rather than the view landing on the far end.
    const restore = ({ seq, top, edge, older }) => {
        const row = list.querySelector(`[data-seq="${seq}"]`) ?? list.querySelector(`[data-seq="${edge}"]`);
        if (row) {
            const want = row.dataset.seq === seq ? top : older ? 0 : list.clientHeight - row.offsetHeight;
            list.scrollTop += row.getBoundingClientRect().top - list.getBoundingClientRect().top - want;
        }
    };

    // An editor that has just appeared (Edit in the menu, or Up in the composer) takes the focus.
    const focusNewEditor = () => {
        const editor = list.querySelector(".message-edit:not([data-focused])");
        if (editor) {
            editor.dataset.focused = "true";
            editor.focus();
        }
    };

    state.mutations = new MutationObserver(() => {
        observeEnds();
        focusNewEditor();
        if (list.dataset.opening !== state.opening) {
            place();
        } else if (state.anchor) {
            restore(state.anchor);
            state.anchor = null;
        } else if (state.atBottom && !state.newer) {
            list.scrollTop = list.scrollHeight;
        }
    });
    state.mutations.observe(list, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-opening"] });

    // An end coming into view loads the next page there. Not while both ends are in view: then the whole window fits
    // on the screen, and loading at one end would trim the other, back and forth; their buttons still work.
    // An end that a page loaded at the other end brought into view (the window was trimmed there) waits until it is
    // scrolled to again or pressed: loading there at once would undo that page, back and forth.
    state.ends = new IntersectionObserver(entries => {
        let broughtByPage = false;
        entries.forEach(e => {
            e.isIntersecting ? state.inView.add(e.target) : state.inView.delete(e.target);
            if (e.target._broughtByPage) {
                broughtByPage ||= e.isIntersecting;
                delete e.target._broughtByPage;
            }
        });
        if (state.inView.size === 1 && !state.anchor && !broughtByPage) {
            dotnet.invokeMethodAsync("LoadPageAsync", !state.inView.has(state.newer));
        }
    }, { root: list });
    const observeEnd = (key, end) => {
        if (end !== state[key]) {
            if (state[key]) {
                state.ends.unobserve(state[key]);
                state.inView.delete(state[key]);
            }
            if (end) {
                if (state.anchor) end._broughtByPage = true;
                state.ends.observe(end);
            }
            state[key] = end;
        }
    };
    const observeEnds = () => {
        observeEnd("older", list.querySelector(".history-sentinel"));
        observeEnd("newer", list.querySelector(".newer-sentinel"));
    };
    observeEnds();
    place();

    // The rows share one menu, a native popover that each row's button opens (the browser places it by its
    // button, closes it on Escape or a click outside, and gives focus back). Before it opens, the menu learns its
    // row and shows only what that row allows; a chosen item goes to the server, which checks it again.
    list.addEventListener("click", state.onMenuButton = e => {
        const row = e.target.closest?.(".message-menu-button")?.closest("[data-seq]");
        if (!row) return;
        menu.dataset.seq = row.dataset.seq;
        const own = row.classList.contains("mine") && !row.classList.contains("deleted");
        menu.querySelectorAll("[data-own]").forEach(item => item.hidden = !own);
        menu.querySelectorAll("[data-live]").forEach(item => item.hidden = row.classList.contains("deleted"));
    }, true);
    menu.addEventListener("click", state.onMenuItem = e => {
        const action = e.target.closest?.("[data-action]")?.dataset.action;
        const seq = Number(menu.dataset.seq);
        if (action === "react" && seq) {
            // The picker is the browser's own: its data is a static file, the server only hears the emoji chosen.
            const invoker = list.querySelector(`[data-seq="${seq}"] .message-menu-button`);
            import("/js/reaction-picker.js").then(picker => picker.open(invoker, emoji => dotnet.invokeMethodAsync("ReactAsync", seq, emoji)));
        } else if (action && seq) {
            // Replying goes on in the composer: focus it once the menu has closed (and given focus back to its button).
            dotnet.invokeMethodAsync("MessageActionAsync", seq, action)
                .then(() => action === "reply" && document.querySelector(".composer-input")?.focus());
        }
    });
    // Escape in the composer stops a reply being written (the reply bar's cancel button does the work).
    document.addEventListener("keydown", state.onEscape = e => {
        if (e.key === "Escape" && e.target.closest?.(".composer-input")) {
            document.querySelector(".reply-bar-cancel")?.click();
        }
    });
    // A touch screen has no hover to show a chip's title: a long press (the browser's context-menu gesture) shows who
    // reacted, in a popover of its own outside what Blazor renders; a tap elsewhere closes it.
    list.addEventListener("contextmenu", state.onReactionPress = e => {
        const chip = e.target.closest?.(".reaction[data-emoji]");
        if (chip) {
            e.preventDefault();
            showWhoReacted(chip);
        }
    });
    // A click on a reaction chip toggles mine (the server decides).
    list.addEventListener("click", state.onReaction = e => {
        const chip = e.target.closest?.(".reaction[data-emoji]");
        const row = chip?.closest("[data-seq]");
        if (row) {
            dotnet.invokeMethodAsync("ReactAsync", Number(row.dataset.seq), chip.dataset.emoji);
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

    // Editing by keyboard: Up in the empty composer edits my last message shown (the server checks it is mine), and
    // Escape in the row being edited cancels and goes back to the composer.
    document.addEventListener("duckchat-edit-last", state.onEditLast = () => {
        const rows = list.querySelectorAll(".message.mine:not(.deleted)[data-seq]");
        const last = rows[rows.length - 1];
        if (last) dotnet.invokeMethodAsync("MessageActionAsync", Number(last.dataset.seq), "edit");
    });
    list.addEventListener("keydown", state.onEditorKey = e => {
        if (e.key === "Escape" && e.target.closest?.("[data-seq]")?.querySelector(".message-edit")) {
            e.preventDefault();
            dotnet.invokeMethodAsync("CancelAsync").then(() => document.querySelector(".composer .composer-input")?.focus());
        }
    });
}

function showWhoReacted(chip) {
    let who = document.getElementById("reaction-who");
    if (!who) {
        who = Object.assign(document.createElement("div"), { id: "reaction-who", className: "reaction-who", popover: "auto" });
        who.setAttribute("role", "tooltip");
        document.body.append(who);
    }
    who.textContent = chip.title;
    const at = chip.getBoundingClientRect();
    who.style.left = `${Math.max(8, at.left)}px`;
    who.style.top = `${at.bottom + 4}px`;
    who.showPopover();
}

// Before a page is added at the older or the newer end: remember where the first row in view is, to put it back there
// afterwards (rows added above it, or trimmed from the far end, would otherwise move what the reader is looking at).
export function keepPosition(list, older) {
    const state = list._duckChat;
    if (state) {
        const top = list.getBoundingClientRect().top;
        const rows = [...list.querySelectorAll("[data-seq]")];
        const row = rows.find(r => r.getBoundingClientRect().bottom > top);
        const edge = older ? rows[0] : rows[rows.length - 1];
        state.anchor = { seq: row?.dataset.seq, top: row ? row.getBoundingClientRect().top - top : 0, edge: edge?.dataset.seq, older };
    }
}

export function detach(list, menu) {
    const state = list._duckChat;
    if (!state) return;
    list.removeEventListener("scroll", state.onScroll);
    list.removeEventListener("click", state.onMenuButton, true);
    list.removeEventListener("click", state.onReaction);
    list.removeEventListener("contextmenu", state.onReactionPress);
    document.removeEventListener("keydown", state.onEscape);
    menu.removeEventListener("click", state.onMenuItem);
    menu.removeEventListener("toggle", state.onMenuToggle);
    menu.removeEventListener("keydown", state.onMenuKey);
    document.removeEventListener("duckchat-edit-last", state.onEditLast);
    list.removeEventListener("keydown", state.onEditorKey);
    state.mutations.disconnect();
    state.ends.disconnect();
    delete list._duckChat;
}
