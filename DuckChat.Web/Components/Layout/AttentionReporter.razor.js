// Whether this tab is looked at: visible, focused, and with keyboard, pointer or touch input within idleAfterMs.
// Reports each change, and nothing else: going idle is one timer here, reset by input, never a call to the server.
let state = null;

export function attach(dotnet, idleAfterMs) {
    detach();
    const s = state = { idle: false, reported: true, timer: 0 }; // the server counts a new tab as looked at
    const looked = () => document.visibilityState === "visible" && document.hasFocus() && !s.idle;
    const report = () => {
        const now = looked();
        if (now !== s.reported) {
            s.reported = now;
            dotnet.invokeMethodAsync("AttentionChanged", now).catch(() => { }); // a tab that lost its circuit reports again when a new one attaches
        }
    };
    const idleLater = () => {
        clearTimeout(s.timer);
        s.timer = setTimeout(() => { s.idle = true; report(); }, idleAfterMs);
    };
    s.onInput = () => {
        idleLater();
        if (s.idle) {
            s.idle = false;
            report();
        }
    };
    s.onChange = () => { s.onInput(); report(); };
    s.inputs = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"];
    s.inputs.forEach(type => window.addEventListener(type, s.onInput, { passive: true, capture: true }));
    window.addEventListener("focus", s.onChange);
    window.addEventListener("blur", s.onChange);
    document.addEventListener("visibilitychange", s.onChange);
    idleLater();
    report();
}

export function detach() {
    if (!state) return;
    clearTimeout(state.timer);
    state.inputs.forEach(type => window.removeEventListener(type, state.onInput, { capture: true }));
    window.removeEventListener("focus", state.onChange);
    window.removeEventListener("blur", state.onChange);
    document.removeEventListener("visibilitychange", state.onChange);
    state = null;
}
