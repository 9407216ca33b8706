/**
 * About `chars` characters of `text` around its first match (whitespace
 * flattened, cut at word starts, "…" where cut), with the match ranges
 * carried into the excerpt's coordinates so a UI can mark them.
 *
 * Invariants: every returned range lies inside the returned snippet and
 * covers the same characters it covered in `text` (flattening only turns a
 * run of whitespace into one space); ranges stay in order and disjoint.
 * Done in JS for the few hits shown, from ranges FTS5 found (`markedRanges`).
 */
export interface TextRange {
  start: number;
  end: number;
}

export function snippetOf(whole: string, wholeRanges: readonly TextRange[], chars = 160): { snippet: string; matches: TextRange[] } {
  // Only a window around the first match is looked at: a long text costs no more than a short one.
  const from = Math.max(0, (wholeRanges[0]?.start ?? 0) - chars);
  const to = Math.min(whole.length, from + 3 * chars);
  const text = whole.slice(from, to);
  const ranges = wholeRanges.filter((r) => r.start >= from && r.end <= to).map((r) => ({ start: r.start - from, end: r.end - from }));
  const cutBefore = from > 0;
  const cutAfter = to < whole.length;
  // Flatten whitespace, remembering where each input offset lands.
  const at = new Int32Array(text.length + 1);
  let flat = "";
  let space = false;
  for (let i = 0; i < text.length; i++) {
    at[i] = flat.length;
    if (/\s/.test(text[i]!)) {
      space = flat.length > 0;
      continue;
    }
    if (space) flat += " ";
    space = false;
    at[i] = flat.length;
    flat += text[i];
  }
  at[text.length] = flat.length;
  const mapped = ranges.map((r) => ({ start: at[r.start]!, end: at[r.end]! })).filter((r) => r.end > r.start);

  const first = mapped[0]?.start ?? 0;
  let start = Math.max(0, first - chars / 4);
  // Start at a word, not inside one.
  if (start > 0 || cutBefore) {
    const gap = flat.indexOf(" ", start);
    start = gap >= 0 && gap < first ? gap + 1 : Math.min(start, first);
  }
  const end = Math.min(flat.length, start + chars);
  const lead = start > 0 || cutBefore ? "…" : "";
  const snippet = lead + flat.slice(start, end) + (end < flat.length || cutAfter ? "…" : "");
  const matches = mapped
    .filter((r) => r.start < end && r.end > start)
    .map((r) => ({ start: Math.max(r.start, start) - start + lead.length, end: Math.min(r.end, end) - start + lead.length }));
  return { snippet, matches };
}
