// Whether this tab is looked at: visible; visible and focused; and that with keyboard, pointer or touch input within
// idleAfterMs. attach answers with the state now, and each change is reported, nothing else: going idle is one timer
// here, reset by input, never a call to the server.
let state = null;

export function attach(dotnet, idleAfterMs) {
    detach();
    const s = state = { idle: false, reported: null, timer: 0 };
    const now = () => {
        const visible = document.visibilityState === "visible";
        const attentive = visible && document.hasFocus();
        return { visible, attentive, lookedAt: attentive && !s.idle };
    };
    const report = () => {
        const n = now(), r = s.reported;
        if (n.visible !== r.visible || n.attentive !== r.attentive || n.lookedAt !== r.lookedAt) {
            s.reported = n;
            dotnet.invokeMethodAsync("AttentionChanged", n).catch(() => { }); // a tab that lost its circuit reports again when a new one attaches
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
    return s.reported = now();
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
