// The emoji picker for reactions: frequent emoji and a search by name, over the emoji data the server also checks
// against (wwwroot/emoji). Built on first use, outside what Blazor renders, as a native popover (Escape and a click
// outside close it; focus goes back to where it was). Keyboard: type to search, Down or Enter from the search box,
// arrow keys between emoji, Enter or Space to pick.
const DATA = "/emoji/emojibase-17.0.0.json";
const FREQUENT = ["thumbs up", "red heart", "face with tears of joy", "party popper", "grinning face with big eyes",
    "face with open mouth", "crying face", "folded hands", "eyes", "check mark button", "fire", "thinking face"];
const COLUMNS = 8;
const SHOWN = 64;

let picker, search, results, data, onPick, returnFocus;

export async function open(invoker, pick) {
    onPick = pick;
    returnFocus = invoker;
    data ??= await (await fetch(DATA)).json();
    picker ??= build();
    search.value = "";
    show("");
    picker.showPopover();
    search.focus();
}

function build() {
    const element = document.createElement("div");
    element.className = "reaction-picker";
    element.popover = "auto";
    element.setAttribute("role", "dialog");
    element.setAttribute("aria-label", "React with an emoji");
    search = Object.assign(document.createElement("input"), { type: "search", className: "reaction-search", placeholder: "Search emoji", autocomplete: "off" });
    search.setAttribute("aria-label", "Search emoji by name");
    results = document.createElement("div");
    results.className = "reaction-options";
    results.setAttribute("role", "group");
    results.setAttribute("aria-label", "Emoji");
    element.append(search, results);
    document.body.append(element);

    search.addEventListener("input", () => show(search.value));
    search.addEventListener("keydown", e => {
        if (e.key === "ArrowDown") {
            results.querySelector("button")?.focus();
            e.preventDefault();
        } else if (e.key === "Enter") {
            results.querySelector("button")?.click();
            e.preventDefault();
        }
    });
    results.addEventListener("click", e => {
        const option = e.target.closest("button[data-emoji]");
        if (option) {
            element.hidePopover();
            onPick(option.dataset.emoji);
        }
    });
    results.addEventListener("keydown", e => {
        const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS }[e.key];
        if (!step) return;
        const options = [...results.querySelectorAll("button")];
        const at = options.indexOf(document.activeElement) + step;
        if (at < 0) search.focus(); else options[Math.min(at, options.length - 1)]?.focus();
        e.preventDefault();
    });
    element.addEventListener("toggle", e => {
        if (e.newState === "closed") returnFocus?.focus();
    });
    return element;
}

function show(query) {
    const text = query.trim().toLowerCase();
    const words = text.split(/\s+/).filter(Boolean);
    // Best matches first: the name itself, then names that start with it, then names with every word, then tags.
    const rank = e => e.n === text ? 0 : e.n.startsWith(text) ? 1 : words.every(w => e.n.includes(w)) ? 2 : 3;
    const found = words.length === 0
        ? [...FREQUENT.map(name => data.find(e => e.n === name)).filter(Boolean), ...data.filter(e => e.g === 0)].slice(0, SHOWN)
        : data.filter(e => words.every(w => e.n.includes(w) || e.t.includes(w))).sort((a, b) => rank(a) - rank(b)).slice(0, SHOWN);
    results.replaceChildren(...[...new Set(found)].map(e => {
        const option = Object.assign(document.createElement("button"), { type: "button", className: "reaction-option", textContent: e.e, title: e.n });
        option.dataset.emoji = e.e;
        option.setAttribute("aria-label", e.n);
        return option;
    }));
    if (found.length === 0) {
        results.append(Object.assign(document.createElement("p"), { className: "reaction-none", textContent: "No emoji found" }));
    }
}
