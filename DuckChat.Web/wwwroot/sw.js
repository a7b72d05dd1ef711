// DuckChat's service worker: shows the Web Push notifications the server sends (Push/PushPayload.cs) and opens the
// chat one is about when it is clicked. Served from the root so that its scope is the whole app.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", event => event.waitUntil(self.clients.claim()));

// Only pages of this site, whatever a payload says.
const appUrl = url => {
    const target = new URL(url ?? "/", self.location.origin);
    return target.origin === self.location.origin ? target.href : `${self.location.origin}/`;
};

const appWindows = async () =>
    (await self.clients.matchAll({ type: "window", includeUncontrolled: true }))
        // The account pages are not the app: they cannot open a chat in place.
        .filter(client => !new URL(client.url).pathname.startsWith("/Identity/"));

self.addEventListener("push", event => event.waitUntil((async () => {
    let push = {};
    try {
        push = event.data?.json() ?? {};
    } catch {
        // Not ours, or damaged: still say that something came.
    }

    // Someone looking at DuckChat sees the message there (and the page's own notification uses the same tag).
    if ((await appWindows()).some(client => client.focused && client.visibilityState === "visible")) {
        return;
    }

    await self.registration.showNotification(push.title || "DuckChat", {
        body: push.body ?? "",
        tag: push.tag ?? "",
        data: { url: appUrl(push.url) },
    });
})()));

self.addEventListener("notificationclick", event => {
    event.notification.close();
    event.waitUntil((async () => {
        const url = appUrl(event.notification.data?.url);
        const windows = await appWindows();
        const tab = windows.find(client => client.url === url) ?? windows.find(client => client.focused) ?? windows[0];
        if (!tab) {
            await self.clients.openWindow(url);
            return;
        }

        // The tab moves to the chat itself (app.js), which keeps its circuit; it may have loaded before this worker.
        tab.postMessage({ type: "duckchat-open", url });
        await tab.focus();
    })());
});
