// One tab speaks for the browser. Every tab of the person hears of a message that should notify them; the tab that
// holds the "duckchat-notifications" Web Lock shows it, and only when none of the browser's DuckChat tabs is visible
// and focused. Tabs tell each other whether they are looked at over a BroadcastChannel. Where a browser has no
// Web Locks every tab would be leader, so each shows the notification under the message's tag, which the browser
// shows once.
const attention = (() => {
    const id = `${Date.now()}-${Math.random()}`;
    const others = new Map(); // other tabs: id -> looked at
    const channel = "BroadcastChannel" in window ? new BroadcastChannel("duckchat-attention") : null;
    const lookedAt = () => document.visibilityState === "visible" && document.hasFocus();
    const say = () => channel?.postMessage({ id, lookedAt: lookedAt() });
    let leader = !navigator.locks;
    navigator.locks?.request("duckchat-notifications", () => {
        leader = true;
        return new Promise(() => { }); // held until the tab closes
    });
    channel?.addEventListener("message", ({ data }) => {
        if (data.ask) {
            say();
        } else if (data.gone) {
            others.delete(data.id);
        } else {
            others.set(data.id, data.lookedAt === true);
        }
    });
    document.addEventListener("visibilitychange", say);
    window.addEventListener("focus", say);
    window.addEventListener("blur", say);
    window.addEventListener("pagehide", () => channel?.postMessage({ id, gone: true }));
    channel?.postMessage({ ask: true });
    say();
    return { speaksForTheBrowser: () => leader, anyLookedAt: () => lookedAt() || [...others.values()].some(Boolean) };
})();

// Small helpers the components call through JS interop.
window.duckChat = {
    // Marks the page as interactive once its circuit has rendered (tests and styles can wait for it).
    markInteractive: () => { document.body.dataset.interactive = "true"; },
    // The reader's IANA time zone, so times show as their clock shows them.
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone ?? null,
    // A message that should notify (Notifications/DesktopNotifier): shown by one tab, when nobody is looking.
    notify: ({ title, body, tag, url }) => {
        if (!("Notification" in window) || Notification.permission !== "granted" || !attention.speaksForTheBrowser() || attention.anyLookedAt()) {
            return;
        }
        const shown = new Notification(title, { body, tag });
        shown.onclick = () => {
            window.focus();
            Blazor.navigateTo(url);
            shown.close();
        };
    },
    // "granted", "denied", "default" (not asked yet) or "unsupported".
    notificationPermission: () => "Notification" in window ? Notification.permission : "unsupported",
    // Asked only from a button the person pressed, never on page load.
    requestNotificationPermission: async () => "Notification" in window ? await Notification.requestPermission() : "unsupported",
};

// A click on a push notification (wwwroot/sw.js) asks this tab to open the chat: in place, keeping the circuit.
if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", event => {
        const url = event.data?.type === "duckchat-open" && typeof event.data.url === "string" ? new URL(event.data.url, location.href) : null;
        if (url?.origin === location.origin) {
            Blazor.navigateTo(url.href);
        }
    });
    navigator.serviceWorker.startMessages();
}

// A code block's copy button (Chats/Formatting). One listener for the document: message markup carries no script,
// and the handler only reads the block, it never changes what Blazor rendered. The result is announced in a
// status region of its own, outside the rendered page.
document.addEventListener("click", async event => {
    const button = event.target instanceof Element ? event.target.closest(".code-copy") : null;
    const code = button?.closest(".code-block")?.querySelector("code");
    if (!code) {
        return;
    }

    let status = document.getElementById("copy-status");
    if (!status) {
        status = Object.assign(document.createElement("div"), { id: "copy-status", className: "visually-hidden" });
        status.setAttribute("role", "status");
        document.body.append(status);
    }

    try {
        await navigator.clipboard.writeText(code.textContent);
        status.textContent = "Code copied";
    } catch {
        status.textContent = "Could not copy the code";
    }
});

// An image in a message opens full size in a modal dialog: Escape, its close button or a click beside the image closes
// it, and the focus goes back to the image. One listener for the document, as for the copy button: the rows carry no
// script, and the dialog lives outside the rendered page.
document.addEventListener("click", event => {
    const opener = event.target instanceof Element ? event.target.closest(".file-image[data-full]") : null;
    if (!opener) {
        return;
    }

    const viewer = imageViewer();
    const image = viewer.querySelector("img");
    image.src = opener.dataset.full;
    image.alt = opener.title;
    viewer.setAttribute("aria-label", opener.title);
    viewer.opener = opener;
    viewer.showModal();
});

function imageViewer() {
    let viewer = document.getElementById("image-viewer");
    if (viewer) {
        return viewer;
    }

    viewer = Object.assign(document.createElement("dialog"), { id: "image-viewer", className: "image-viewer" });
    const close = Object.assign(document.createElement("button"), { type: "button", className: "image-viewer-close", textContent: "×", title: "Close" });
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", () => viewer.close());
    viewer.append(Object.assign(document.createElement("img"), { className: "image-viewer-image" }), close);
    // A click on the backdrop lands on the dialog itself; one on the image lands on the image.
    viewer.addEventListener("click", e => e.target === viewer && viewer.close());
    viewer.addEventListener("close", () => {
        viewer.querySelector("img").removeAttribute("src");
        if (viewer.opener?.isConnected) {
            viewer.opener.focus();
        }
    });
    document.body.append(viewer);
    return viewer;
}
