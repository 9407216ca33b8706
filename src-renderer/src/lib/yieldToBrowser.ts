/**
 * Ends the current task so the browser can paint and handle input before the
 * rest of a long piece of work runs (a 5,000-story board is ~1 MB of JSON to
 * parse, validate and render: done in one task it blocks the page > 200 ms).
 */
export function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
