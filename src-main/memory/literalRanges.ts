/**
 * Where the query's words occur literally in a text (case-insensitive):
 * whole words for every term but the last, which also matches the words it
 * starts (the search treats it as a prefix). The cheap first look for a
 * hit's match ranges — native `indexOf` over the text — before asking FTS5
 * (`highlight()`) for the word forms only the stemmer relates.
 *
 * Returns null when lower-casing changes the text's length (a few scripts):
 * offsets would not map back, so the caller asks FTS5 instead.
 */
import type { TextRange } from "./snippetOf";

const WORD_CHAR = /[\p{L}\p{N}]/u;

export function literalRanges(text: string, terms: readonly string[]): TextRange[] | null {
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return null;
  const out: TextRange[] = [];
  terms.forEach((term, i) => {
    const prefix = i === terms.length - 1;
    for (let at = lower.indexOf(term); at >= 0 && term !== ""; at = lower.indexOf(term, at + 1)) {
      if (at > 0 && WORD_CHAR.test(lower[at - 1]!)) continue;
      let end = at + term.length;
      if (prefix) while (end < lower.length && WORD_CHAR.test(lower[end]!)) end++;
      else if (end < lower.length && WORD_CHAR.test(lower[end]!)) continue;
      out.push({ start: at, end });
    }
  });
  return mergeRanges(out);
}

/** Sorted, overlapping ranges joined. */
export function mergeRanges(ranges: TextRange[]): TextRange[] {
  const out: TextRange[] = [];
  for (const r of ranges.sort((a, b) => a.start - b.start || b.end - a.end)) {
    const prev = out.at(-1);
    if (prev !== undefined && r.start < prev.end) prev.end = Math.max(prev.end, r.end);
    else out.push({ ...r });
  }
  return out;
}
