// The search box's shortcuts: Ctrl+K (⌘K on a Mac) focuses it from anywhere; "/" does when focus is not in a text
// field, where it is a character being typed. One listener for the document, added when the module is first imported
// (a module runs once however often it is imported); it only moves focus and never calls the server.
const inTextField = target => target instanceof Element && (target.matches("input, textarea, select") || target.isContentEditable);

document.addEventListener("keydown", event => {
    const box = document.getElementById("app-search");
    if (!box || event.defaultPrevented || event.isComposing || event.altKey) {
        return;
    }

    const commandK = (event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "k";
    const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !inTextField(event.target);
    if (commandK || slash) {
        event.preventDefault();
        box.focus();
        box.select();
    }
});
