// Small helpers the components call through JS interop.
window.duckChat = {
    // Marks the page as interactive once its circuit has rendered (tests and styles can wait for it).
    markInteractive: () => { document.body.dataset.interactive = "true"; },
    // The reader's IANA time zone, so times show as their clock shows them.
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone ?? null,
};
