// The composer's files: chosen with the paperclip button, dropped anywhere on the chat, or pasted into the box (a
// screenshot). Each starts uploading at once, on a request of its own with the raw file as the body, so the browser
// streams it from disk and the server never holds it in a circuit. Each shows as a chip: name, size, a progress bar
// while it uploads, and a remove button that also cancels the upload. A failed upload stays, saying why, until it is
// removed. The chips live in an element Blazor never renders into; the server hears only the ids of the uploaded
// files, with the send they go in. What the browser can see (size, how many, the type) is checked before an upload
// starts, so it fails at once with a clear reason; the server checks everything again.
//
// A chip is "uploading", "uploaded", "failed", or "sending" (taken by a send that the server has not answered yet:
// hidden, like the text taken out of the box, and back if the server puts the send back).
export function attachFiles(input, settings) {
    const composer = input.closest(".composer");
    const tray = composer.querySelector(".attachments");
    const list = Object.assign(document.createElement("ul"), { className: "attachment-list" });
    list.setAttribute("aria-label", "Attached files");
    const note = Object.assign(document.createElement("p"), { className: "attachment-note", hidden: true });
    note.setAttribute("role", "alert");
    tray.replaceChildren(list, note);
    const chips = new Set();
    const inState = (...states) => [...chips].filter(chip => states.includes(chip.state));

    const setState = (chip, state) => {
        chip.state = state;
        chip.element.dataset.state = state;
        chip.element.hidden = state === "sending";
    };
    const fail = (chip, code, message) => {
        chip.xhr = null;
        setState(chip, "failed");
        chip.element.dataset.error = code;
        chip.progress.remove();
        chip.error.textContent = message;
        chip.error.hidden = false;
    };
    const remove = chip => {
        chip.xhr?.abort();
        chip.element.remove();
        chips.delete(chip);
        note.hidden = true;
    };
    const upload = chip => {
        const xhr = chip.xhr = new XMLHttpRequest();
        xhr.open("POST", settings.url);
        xhr.responseType = "json"; // null when the answer is not JSON (a proxy's error page)
        xhr.setRequestHeader("X-File-Name", encodeURIComponent(chip.file.name));
        if (settings.token) {
            xhr.setRequestHeader("RequestVerificationToken", settings.token);
        }
        xhr.upload.addEventListener("progress", e => {
            if (e.lengthComputable) {
                chip.progress.value = Math.round(100 * e.loaded / e.total);
            }
        });
        xhr.addEventListener("load", () => {
            if (xhr.status === 200 && typeof xhr.response?.id === "string") {
                chip.xhr = null;
                chip.id = xhr.response.id;
                chip.progress.remove();
                setState(chip, "uploaded");
            } else {
                fail(chip, xhr.response?.error ?? `Http${xhr.status}`, xhr.response?.message ?? `The upload failed: the server answered ${xhr.status}.`);
            }
        });
        xhr.addEventListener("error", () => fail(chip, "Network", "The upload failed: the connection to the server was lost."));
        xhr.send(chip.file);
    };
    // Why the browser already knows this file will be refused, or null.
    const refusal = file => {
        const extension = /\.[^.]{1,16}$/.exec(file.name)?.[0].toLowerCase() ?? "";
        if (inState("uploading", "uploaded").length >= settings.maxFiles) {
            return ["TooMany", `At most ${settings.maxFiles} files go in one message.`];
        } else if (file.size > settings.maxFileBytes) {
            return ["TooLarge", `This file is ${formatSize(file.size)}; files may be at most ${formatSize(settings.maxFileBytes)}.`];
        } else if (settings.allowedExtensions.length > 0 && !settings.allowedExtensions.includes(extension)) {
            return ["TypeNotAllowed", `Only these types of file may be sent here: ${settings.allowedExtensions.join(", ")}.`];
        }
        return null;
    };
    const add = files => {
        note.hidden = true;
        for (const file of files) {
            const refused = refusal(file);
            const chip = chipFor(file, () => {
                remove(chip);
                input.focus();
            });
            chips.add(chip);
            list.append(chip.element);
            setState(chip, "uploading");
            if (refused) {
                fail(chip, ...refused);
            } else {
                upload(chip);
            }
        }
    };

    const picker = composer.querySelector(".composer-files");
    composer.querySelector(".composer-attach").addEventListener("click", () => picker.click());
    picker.addEventListener("change", () => {
        add(picker.files);
        picker.value = ""; // the same file can be chosen again
        input.focus();
    });
    input.addEventListener("paste", e => {
        if (e.clipboardData?.files.length > 0) {
            e.preventDefault(); // a file, not its name as text
            add(e.clipboardData.files);
        }
    });
    attachDropZone(input.closest(".chat-view") ?? composer, files => {
        add(files);
        input.focus();
    });

    return {
        /** Whether a send has files to take. */
        hasFiles: () => inState("uploaded").length > 0,
        /** Refuses a send while a file is still uploading: its message would go without it. */
        refuseWhileUploading() {
            if (inState("uploading").length === 0) {
                return false;
            }
            note.textContent = "Wait until the files have uploaded, or remove them, before sending.";
            note.dataset.reason = "Uploading";
            note.hidden = false;
            return true;
        },
        /** Takes the uploaded files for the send <sendId>: their ids; their chips hide until the send is answered. */
        take(sendId) {
            note.hidden = true;
            return inState("uploaded").map(chip => {
                chip.sendId = sendId;
                setState(chip, "sending");
                return chip.id;
            });
        },
        /** The send was not saved and comes back to the composer: so do its files. */
        putBack(sendId) {
            inState("sending").filter(chip => chip.sendId === sendId).forEach(chip => setState(chip, "uploaded"));
        },
        /** The send was saved, or the browser keeps it with its files: their chips go. */
        settle(sendId) {
            inState("sending").filter(chip => chip.sendId === sendId).forEach(remove);
        },
    };
}

/** The composer where files are turned off: sends carry text alone. */
export const noFiles = { hasFiles: () => false, refuseWhileUploading: () => false, take: () => [], putBack() { }, settle() { } };

function chipFor(file, onRemove) {
    const element = Object.assign(document.createElement("li"), { className: "attachment" });
    const name = Object.assign(document.createElement("span"), { className: "attachment-name", textContent: file.name, title: file.name, dir: "auto" });
    const size = Object.assign(document.createElement("span"), { className: "attachment-size", textContent: formatSize(file.size) });
    const progress = Object.assign(document.createElement("progress"), { className: "attachment-progress", max: 100, value: 0 });
    progress.setAttribute("aria-label", `Uploading ${file.name}`);
    const error = Object.assign(document.createElement("span"), { className: "attachment-error", hidden: true });
    const removeButton = Object.assign(document.createElement("button"), { type: "button", className: "attachment-remove", textContent: "×" });
    removeButton.setAttribute("aria-label", `Remove ${file.name}`);
    removeButton.title = "Remove";
    removeButton.addEventListener("click", onRemove);
    element.append(name, size, progress, error, removeButton);
    return { file, element, progress, error, state: "uploading", id: null, xhr: null, sendId: null };
}

// Files dragged over the chat outline it as a drop target; dropped, they are attached. A chat page's next composer
// takes the zone over from the one before (the page stays, the composer is the chat's own).
function attachDropZone(zone, add) {
    zone._duckChatDrop?.abort();
    const controller = zone._duckChatDrop = new AbortController();
    const options = { signal: controller.signal };
    const carriesFiles = e => e.dataTransfer?.types.includes("Files") === true;
    let depth = 0; // enter and leave fire for every element crossed inside the zone
    const leave = () => {
        depth = 0;
        zone.classList.remove("drop-target");
    };
    zone.addEventListener("dragenter", e => {
        if (carriesFiles(e)) {
            e.preventDefault();
            depth++;
            zone.classList.add("drop-target");
        }
    }, options);
    zone.addEventListener("dragover", e => {
        if (carriesFiles(e)) {
            e.preventDefault(); // allows the drop
            e.dataTransfer.dropEffect = "copy";
        }
    }, options);
    zone.addEventListener("dragleave", e => {
        if (carriesFiles(e) && --depth <= 0) {
            leave();
        }
    }, options);
    zone.addEventListener("drop", e => {
        if (carriesFiles(e)) {
            e.preventDefault(); // attached, not opened by the browser
            leave();
            add(e.dataTransfer.files);
        }
    }, options);
}

// As the server writes sizes (FileSizes in Files/FileUploads.cs): powers of 1,024, at most one decimal.
function formatSize(bytes) {
    const units = ["bytes", "KB", "MB", "GB"];
    let unit = 0;
    while (bytes >= 1024 ** (unit + 1) && unit < units.length - 1) {
        unit++;
    }
    return bytes === 1 ? "1 byte" : `${unit === 0 ? bytes : Math.round(bytes / 1024 ** unit * 10) / 10} ${units[unit]}`;
}
