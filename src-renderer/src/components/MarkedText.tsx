/**
 * Text with the search's matched words marked (`<mark>`). Ranges come from
 * the node (`MemoryHit.matches`: [start, end) in the text, ordered, disjoint);
 * out-of-range or overlapping ones are skipped rather than trusted.
 */
import type { ReactNode } from "react";

export interface MatchRange {
  start: number;
  end: number;
}

export function MarkedText({ text, ranges }: { text: string; ranges: readonly MatchRange[] | undefined }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const r of ranges ?? []) {
    if (r.start < at || r.end <= r.start || r.end > text.length) continue;
    if (r.start > at) parts.push(text.slice(at, r.start));
    parts.push(
      <mark key={r.start} className="match">
        {text.slice(r.start, r.end)}
      </mark>,
    );
    at = r.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
