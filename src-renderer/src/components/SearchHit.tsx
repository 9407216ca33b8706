/** One memory search hit as a button: kind, title, time, the snippet with its matches marked, the session. */
import type { MemoryHit } from "../../../src-shared/MemoryHit";
import { formatInstant } from "../lib/formatSpan";
import { MarkedText } from "./MarkedText";

export function SearchHit({ hit, onOpen, testId }: { hit: MemoryHit; onOpen: (hit: MemoryHit) => void; testId: string }) {
  return (
    <button type="button" className="hit" data-testid={testId} onClick={() => onOpen(hit)}>
      <span className="hit__head">
        <span className={`chip chip--${hit.kind}`}>{hit.kind === "memcell" ? "memcell" : "pending"}</span>
        <span className="hit__title">{hit.title}</span>
        <span className="hit__time">{formatInstant(hit.timestamp)}</span>
      </span>
      <span className="hit__snippet">
        <MarkedText text={hit.snippet} ranges={hit.matches} />
      </span>
      <span className="hit__session">in {hit.sessionTitle}</span>
    </button>
  );
}
