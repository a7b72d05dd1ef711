// The composer's text box: Enter sends, Shift+Enter makes a new line (and so does Enter while an input method is
// composing text). Sending takes the text (and the uploaded files, wwwroot/js/attachments.js) out of the composer at
// once, so typing the next message never races the server; the server puts them back (restore) if it could not be
// sent. A send waits for files still uploading: it is refused, with a note saying so, until they are done or removed.
//
// Every send has a client message id, and until the server confirms it, its text, file ids and id are kept in this
// tab's sessionStorage, under a key the server names (the person signed in and the chat). A send whose answer never
// comes (the socket died, the page reloaded itself) stays kept: the server reads what is kept when the chat page starts
// or its circuit reconnects, shows it as not sent yet and sends it again with the same id, which saves it at most once.
import { attachFiles, noFiles } from "/js/attachments.js";

const prefix = "duckchat.pending.";

export function attach(input, sendButton, dotnet, key, uploads) {
    const files = uploads ? attachFiles(input, uploads) : noFiles; // null where files are turned off
    const state = input._duckChat = { key: prefix + key, draftId: null, files };
    const send = () => {
        const text = input.value;
        if ((!text.trim() && !files.hasFiles()) || files.refuseWhileUploading()) {
            return;
        }
        // Text the server put back keeps its id: if that send did save after all, this one returns it, not a second.
        const id = state.draftId ?? newId();
        state.draftId = null;
        const fileIds = files.take(id);
        keep(state.key, id, text, fileIds); // before the call, which may never be answered
        // Empty again: back to one line without measuring (reading scrollHeight would force a layout before the send).
        input.value = "";
        input.style.height = "";
        dotnet.invokeMethodAsync("SendTypedTextAsync", text, id, fileIds).then(
            settled => {
                if (settled) {
                    drop(state.key, id);
                    files.settle(id);
                }
            },
            () => { }); // no answer from the server: the send stays kept, with its files, to be sent again
        if (document.activeElement !== input) {
            input.focus(); // after a click on Send
        }
    };
    attachMentionPicker(input, dotnet); // first: its keys (Enter, Tab, arrows, Escape) win while its list is open
    input.addEventListener("keydown", event => {
        if (event.defaultPrevented) {
            return;
        } else if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            send();
        } else if (event.key === "ArrowUp" && input.value === "" && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
            // Up in an empty box edits my last message, as in other chats: the message list opens its editor.
            event.preventDefault();
            input.dispatchEvent(new CustomEvent("duckchat-edit-last", { bubbles: true }));
        }
    });
    sendButton.addEventListener("click", send);
    input.addEventListener("input", () => grow(input));
    input.dataset.ready = "true"; // Enter sends from now on (tests wait for this)
    return pending(input);
}

/** Puts a send that was not saved back in the box (its files back in the tray), with its id, unless something new was typed there meanwhile. */
export function restore(input, text, id) {
    if (input.value !== "") {
        return false;
    }
    input.value = text;
    input._duckChat.draftId = id;
    input._duckChat.files.putBack(id);
    grow(input);
    return true;
}

/** What is kept for this chat and not in the box (that text goes with Enter), oldest first. */
export function pending(input) {
    const state = input._duckChat;
    return read(state.key).filter(send => send.clientMessageId !== state.draftId);
}

/** Stops keeping a send the server has confirmed (or refused for good). */
export function forget(input, id) {
    drop(input._duckChat.key, id);
    input._duckChat.files.settle(id);
}

/** How many sends this tab keeps, in every chat (the reconnect dialog says so). */
export function keptCount() {
    try {
        return Object.keys(sessionStorage).filter(key => key.startsWith(prefix)).reduce((count, key) => count + read(key).length, 0);
    } catch {
        return 0; // storage turned off: nothing is kept
    }
}

function read(key) {
    try {
        const sends = JSON.parse(sessionStorage.getItem(key) ?? "[]");
        // Only what this script wrote: the server reads ids as GUIDs.
        return Array.isArray(sends)
            ? sends.filter(s => typeof s?.text === "string" && /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(s.clientMessageId))
                .map(s => ({ clientMessageId: s.clientMessageId, text: s.text, fileIds: Array.isArray(s.fileIds) ? s.fileIds.filter(f => typeof f === "string") : [] }))
            : [];
    } catch {
        return [];
    }
}

function write(key, sends) {
    try {
        if (sends.length > 0) {
            sessionStorage.setItem(key, JSON.stringify(sends));
        } else {
            sessionStorage.removeItem(key);
        }
    } catch {
        // Storage is full or turned off: the send still goes, it is only not kept.
    }
}

function keep(key, clientMessageId, text, fileIds) {
    const sends = read(key);
    const index = sends.findIndex(s => s.clientMessageId === clientMessageId);
    if (index < 0) {
        sends.push({ clientMessageId, text, fileIds });
    } else {
        Object.assign(sends[index], { text, fileIds }); // sent again from the box: same message, its place in line kept
    }
    write(key, sends);
}

function drop(key, clientMessageId) {
    write(key, read(key).filter(s => s.clientMessageId !== clientMessageId));
}

// A random (version 4) UUID. crypto.randomUUID exists only on secure pages, and DuckChat may be served over plain
// HTTP inside a network.
function newId() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function grow(input) {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 160) + "px";
}

// The mention picker: typing "@" and part of a name lists who it may be (the chat's members first, then others, then
// @here and @all in a group), as a listbox the text box controls. Arrow keys move, Enter or Tab picks, Escape
// closes. The list lives outside the part of the page Blazor renders (one for the page, whichever chat is open), and
// picking only edits the box's text.
function attachMentionPicker(input, dotnet) {
    let list = document.getElementById("mention-picker");
    if (!list) {
        list = Object.assign(document.createElement("ul"), { id: "mention-picker", className: "mention-picker" });
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", "People to mention");
        list.hidden = true;
        document.body.append(list);
    }
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    let token = null; // { start, typed } of the "@name" being typed
    let options = [];
    let active = 0;
    let asked = 0;

    const close = () => {
        list.hidden = true;
        input.removeAttribute("aria-activedescendant");
        options = [];
        token = null;
    };
    const show = () => {
        list.replaceChildren(...options.map((option, i) => {
            const item = Object.assign(document.createElement("li"), { id: `${list.id}-${i}`, className: "mention-option" });
            item.setAttribute("role", "option");
            item.setAttribute("aria-selected", i === active ? "true" : "false");
            item.append(`@${option.name}`);
            if (!option.inChat) {
                item.append(Object.assign(document.createElement("span"), { className: "mention-option-note", textContent: " not in this chat" }));
            }
            item.addEventListener("mousedown", event => {
                event.preventDefault(); // keep the focus in the box
                pick(i);
            });
            return item;
        }));
        const box = input.getBoundingClientRect();
        list.style.left = `${box.left + window.scrollX}px`;
        list.style.bottom = `${window.innerHeight - box.top - window.scrollY + 4}px`;
        list.hidden = false;
        input.setAttribute("aria-activedescendant", `${list.id}-${active}`);
    };
    const pick = i => {
        const name = options[i]?.name;
        if (!name || !token) {
            return;
        }
        const before = input.value.slice(0, token.start);
        const after = input.value.slice(input.selectionStart);
        input.value = `${before}@${name} ${after.replace(/^\s+/, "")}`;
        const caret = before.length + name.length + 2;
        input.setSelectionRange(caret, caret);
        input.dispatchEvent(new Event("input", { bubbles: true }));
        close();
    };
    const typedToken = () => {
        const text = input.value.slice(0, input.selectionStart);
        const match = /(^|[^\p{L}\p{N}_.\-])@([\p{L}\p{N}_.\-]{0,32})$/u.exec(text);
        return match ? { start: text.length - match[2].length - 1, typed: match[2] } : null;
    };

    input.addEventListener("input", async () => {
        const found = typedToken();
        if (!found) {
            close();
            return;
        }
        token = found;
        const ask = ++asked;
        let answer = [];
        try {
            answer = await dotnet.invokeMethodAsync("MentionCandidatesAsync", found.typed);
        } catch {
            // No answer (the connection is down): no list, the text stays as typed.
        }
        if (ask !== asked || !token) {
            return; // typed on meanwhile
        }
        options = answer ?? [];
        active = 0;
        if (options.length === 0) {
            close();
        } else {
            token = found;
            show();
        }
    });
    input.addEventListener("keydown", event => {
        if (list.hidden || options.length === 0) {
            return;
        }
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            active = (active + (event.key === "ArrowDown" ? 1 : options.length - 1)) % options.length;
            show();
        } else if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            pick(active);
        } else if (event.key === "Escape") {
            event.preventDefault();
            close();
        }
    });
    input.addEventListener("blur", close);
}
