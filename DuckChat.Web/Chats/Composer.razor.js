// The composer's text box: Enter sends, Shift+Enter makes a new line (and so does Enter while an input method is
// composing text). Sending takes the text out of the box at once, so typing the next message never races the
// server; the server puts the text back (restore) if it could not be sent.
export function attach(input, sendButton, dotnet) {
    const send = () => {
        const text = input.value;
        if (!text.trim()) {
            return;
        }
        // Empty again: back to one line without measuring (reading scrollHeight would force a layout before the send).
        input.value = "";
        input.style.height = "";
        dotnet.invokeMethodAsync("SendTypedTextAsync", text);
        if (document.activeElement !== input) {
            input.focus(); // after a click on Send
        }
    };
    input.addEventListener("keydown", event => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            send();
        }
    });
    sendButton.addEventListener("click", send);
    input.addEventListener("input", () => grow(input));
    input.dataset.ready = "true"; // Enter sends from now on (tests wait for this)
}

export function restore(input, text) {
    if (input.value !== "") {
        return false;
    }
    input.value = text;
    grow(input);
    return true;
}

function grow(input) {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 160) + "px";
}
