// Enter sends, Shift+Enter makes a new line (and so does Enter while an input method is composing text).
export function attach(input, dotnet) {
    input.addEventListener("keydown", event => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            dotnet.invokeMethodAsync("SendFromKeyboardAsync", input.value);
        }
    });
    input.addEventListener("input", () => grow(input));
}

export function clear(input) {
    input.value = "";
    grow(input);
    input.focus();
}

function grow(input) {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 160) + "px";
}
