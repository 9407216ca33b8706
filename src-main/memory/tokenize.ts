/**
 * Search terms: lower-cased runs of letters and digits (any script),
 * NFKC-normalized so "ﬁle" and "file" match. Used for both queries and
 * documents by the interim in-memory search.
 */
export function tokenize(text: string): string[] {
  return text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
