// Installed in every page before the page's own scripts. Records on the browser's clock, which all pages share
// (performance.timeOrigin + performance.now(), in ms): when each marked message ("live-12;", "seed-9;") first
// appears in the page, when Enter was pressed on a marked text (before the page's own handler sees the key), and
// when the composer was marked ready. Also when each marked message first arrives in a WebSocket frame, before the
// page's own handlers (so before Blazor applies the batch): the circuit client's point of measurement, in Chromium.
(() => {
    const bench = window.__bench = { seen: {}, sent: {}, arrived: {}, ready: null };
    const now = () => performance.timeOrigin + performance.now();
    const marker = /(?:live|warm|seed)-\d+;/g;
    const note = (text, time) => {
        for (const [key] of text.matchAll(marker)) {
            if (!(key in bench.seen)) bench.seen[key] = time;
        }
    };

    new MutationObserver(records => {
        const time = now();
        for (const record of records) {
            if (record.type === "childList") {
                for (const node of record.addedNodes) note(node.textContent ?? "", time);
            } else if (record.type === "characterData") {
                note(record.target.textContent ?? "", time);
            } else if (bench.ready === null && record.target.dataset?.ready === "true") {
                bench.ready = time;
            }
        }
    }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["data-ready"] });

    const NativeWebSocket = window.WebSocket;
    window.WebSocket = class extends NativeWebSocket {
        constructor(...args) {
            super(...args);
            // Added first, so it runs before the SignalR client's onmessage.
            this.addEventListener("message", event => {
                if (!(event.data instanceof ArrayBuffer)) return;
                const time = now();
                const text = new TextDecoder("latin1").decode(event.data);
                for (const [key] of text.matchAll(marker)) bench.arrived[key] ??= time;
            });
        }
    };

    addEventListener("keydown", event => {
        if (event.key === "Enter" && typeof event.target?.value === "string") {
            for (const [key] of event.target.value.matchAll(marker)) bench.sent[key] ??= now();
        }
    }, true);
})();
