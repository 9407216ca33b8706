/**
 * Match ranges from FTS5's `highlight()`: the node asks SQLite to wrap each
 * matched token in two marker characters and reads the ranges back here.
 * SQLite's tokenizer decides what matched (stems, prefixes, diacritics), so
 * the ranges agree with the search by construction.
 *
 * The markers are two Private Use Area characters that do NOT occur in the
 * text (`unusedMarkers`), so a marker in the output is always one SQLite
 * inserted: no text can forge or shift a range.
 */
import type { TextRange } from "./snippetOf";

const PUA_FIRST = 0xe000;
const PUA_LAST = 0xf8ff;

const ANY_PUA = /[\ue000-\uf8ff]/;

/** Two characters absent from every text given, or null (a text holding the whole PUA: no marks). */
export function unusedMarkers(texts: readonly string[]): { open: string; close: string } | null {
  if (!texts.some((t) => ANY_PUA.test(t))) return { open: String.fromCharCode(PUA_FIRST), close: String.fromCharCode(PUA_FIRST + 1) };
  const used = new Set<number>();
  for (const text of texts) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= PUA_FIRST && c <= PUA_LAST) used.add(c);
    }
  }
  const free: string[] = [];
  for (let c = PUA_FIRST; c <= PUA_LAST && free.length < 2; c++) if (!used.has(c)) free.push(String.fromCharCode(c));
  return free.length === 2 ? { open: free[0]!, close: free[1]! } : null;
}

/** The ranges the markers enclosed, in the text without them. */
export function markedRanges(marked: string, markers: { open: string; close: string }): TextRange[] {
  const ranges: TextRange[] = [];
  let seen = 0; // marker characters before the current position
  for (let at = marked.indexOf(markers.open); at >= 0; at = marked.indexOf(markers.open, at + 1)) {
    const close = marked.indexOf(markers.close, at + 1);
    if (close < 0) break;
    const start = at - seen;
    const end = close - seen - 1;
    if (end > start) ranges.push({ start, end });
    seen += 2;
    at = close;
  }
  return ranges;
}
