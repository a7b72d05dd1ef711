// This browser's push subscription, for the push settings page. Only subscribe() asks for permission, and only the
// page's button calls it; status() never asks. The service worker (/sw.js) shows what arrives.
const supported = () => window.isSecureContext && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

const currentSubscription = async () => (await navigator.serviceWorker.getRegistration("/"))?.pushManager.getSubscription() ?? null;

const fromBase64Url = text => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), c => c.charCodeAt(0));

const sameBytes = (a, b) => {
    const [x, y] = [new Uint8Array(a ?? []), new Uint8Array(b)];
    return x.length === y.length && x.every((value, i) => value === y[i]);
};

export async function status() {
    if (!supported()) {
        return { supported: false, permission: "unsupported", endpoint: null };
    }

    const subscription = await currentSubscription();
    return { supported: true, permission: Notification.permission, endpoint: subscription?.endpoint ?? null };
}

export async function subscribe(publicKey) {
    if (!supported()) {
        return { outcome: "unsupported" };
    }

    if (await Notification.requestPermission() !== "granted") {
        return { outcome: "denied" };
    }

    try {
        const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
        await navigator.serviceWorker.ready;
        const key = fromBase64Url(publicKey);
        let subscription = await registration.pushManager.getSubscription();
        // A subscription made with another server key (the keys were replaced) can no longer be pushed to.
        if (subscription && !sameBytes(subscription.options?.applicationServerKey, key)) {
            await subscription.unsubscribe();
            subscription = null;
        }

        subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
        const { endpoint, keys } = subscription.toJSON();
        return { outcome: "subscribed", endpoint, p256dh: keys.p256dh, auth: keys.auth, userAgent: navigator.userAgent };
    } catch (error) {
        return { outcome: "failed", message: String(error?.message ?? error) };
    }
}

export async function unsubscribe() {
    await (await currentSubscription())?.unsubscribe();
}
