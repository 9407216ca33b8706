/**
 * In-page probes for the board benchmark, as plain script text (the bench
 * runs in Node without DOM types; the page runs this before its own code).
 *
 * - `__probe.firstCard`: performance.now() when the first card was in the DOM.
 * - `__probe.longTasks`: durations of every long task (> 50 ms) so far.
 * - `__probe.mark(type)`: records when the next `type` event (drop, keydown)
 *   starts, so latency runs from the user's action, not the test driver's.
 * - `__probe.cardIn(stage, id)`: resolves with performance.now() once the
 *   card is inside that column (a MutationObserver, checked as it changes).
 */
export const BOARD_PROBE = `
(() => {
  const probe = { firstCard: null, longTasks: [], marks: {} };
  window.__probe = probe;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push(e.duration);
  }).observe({ type: "longtask", buffered: true });
  const seen = new MutationObserver(() => {
    if (probe.firstCard === null && document.querySelector("[data-story-id]")) {
      probe.firstCard = performance.now();
      seen.disconnect();
    }
  });
  document.addEventListener("DOMContentLoaded", () => seen.observe(document.body, { childList: true, subtree: true }));
  probe.mark = (type) => {
    delete probe.marks[type];
    window.addEventListener(type, () => { probe.marks[type] = performance.now(); }, { capture: true, once: true });
  };
  probe.cardIn = (stage, id) => new Promise((resolve) => {
    const sel = '[data-stage="' + stage + '"] [data-story-id="' + id + '"]';
    if (document.querySelector(sel)) return resolve(performance.now());
    const mo = new MutationObserver(() => {
      if (document.querySelector(sel)) { mo.disconnect(); resolve(performance.now()); }
    });
    mo.observe(document.body, { childList: true, subtree: true, attributes: true });
  });
})();
`;
