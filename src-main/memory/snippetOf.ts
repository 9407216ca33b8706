/**
 * About `chars` characters of `text` around the first occurrence of any
 * search term (whitespace flattened, cut at word starts, "…" where cut).
 * Done in JS for the few hits shown, not by FTS5 for every match.
 */
export function snippetOf(text: string, terms: readonly string[], chars = 160): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const lower = flat.normalize("NFKC").toLowerCase();
  let at = -1;
  for (const t of terms) {
    const i = lower.indexOf(t);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  let start = Math.max(0, at - chars / 4);
  // Start at a word, not inside one.
  if (start > 0) {
    const space = flat.indexOf(" ", start);
    if (space >= 0 && space < at) start = space + 1;
  }
  const piece = flat.slice(start, start + chars);
  return (start > 0 ? "…" : "") + piece + (start + chars < flat.length ? "…" : "");
}
