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

/** Two characters absent from every text given, or null (a text holding the whole PUA: no marks). */
export function unusedMarkers(texts: readonly string[]): { open: string; close: string } | null {
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

/** The text without the markers, and the ranges they enclosed (in the unmarked text). */
export function markedRanges(marked: string, markers: { open: string; close: string }): { text: string; ranges: TextRange[] } {
  let text = "";
  const ranges: TextRange[] = [];
  let open = -1;
  for (const ch of marked) {
    if (ch === markers.open) open = text.length;
    else if (ch === markers.close) {
      if (open >= 0 && text.length > open) ranges.push({ start: open, end: text.length });
      open = -1;
    } else text += ch;
  }
  return { text, ranges };
}
