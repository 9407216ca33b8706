/**
 * Interim `MemorySearch`: scans every session's memcells and buffer on each
 * query (no index). Fine for the thousands of memcells of one laptop; the
 * lead replaces it with SQLite FTS5.
 *
 * Ranking: for each query term, its frequency in the document (title terms
 * count 3×), weighted by an inverse document frequency over the scanned
 * documents so rare words outrank common ones; a document matching every
 * query term gets its score doubled. A document matching no term is dropped.
 */
import type { MemoryHit } from "../../src-shared/MemoryHit";
import type { Session } from "../../src-shared/Session";
import { clip } from "./extractEpisode";
import type { HideMarks } from "./HideMarks";
import type { MemoryStore } from "./MemoryStore";
import type { MemorySearch, MemorySearchOptions } from "./MemorySearch";
import type { SessionRegistry } from "./SessionRegistry";
import { tokenize } from "./tokenize";
import { isHidden } from "./VisibilityStamp";

const TITLE_WEIGHT = 3;
const SNIPPET_CHARS = 160;

interface Doc {
  hit: Omit<MemoryHit, "score" | "snippet">;
  text: string;
  title: string[];
  body: string[];
}

export class ScanMemorySearch implements MemorySearch {
  constructor(
    private readonly deps: { registry: SessionRegistry; store: MemoryStore; marks: HideMarks },
  ) {}

  search(query: string, options: MemorySearchOptions): MemoryHit[] {
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0) return [];
    const docs = this.documents(options.storyId);
    const df = new Map<string, number>();
    for (const doc of docs) {
      const present = new Set([...doc.title, ...doc.body]);
      for (const t of terms) if (present.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
    }
    const hits: MemoryHit[] = [];
    for (const doc of docs) {
      let score = 0;
      let matched = 0;
      for (const t of terms) {
        const tf = TITLE_WEIGHT * count(doc.title, t) + count(doc.body, t);
        if (tf === 0) continue;
        matched += 1;
        score += tf * Math.log(1 + docs.length / (df.get(t) ?? 1));
      }
      if (matched === 0) continue;
      if (matched === terms.length) score *= 2;
      hits.push({ ...doc.hit, score: Math.round(score * 1000) / 1000, snippet: snippet(doc.text, terms) });
    }
    hits.sort((a, b) => b.score - a.score || b.timestamp - a.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return hits.slice(0, options.limit);
  }

  private documents(storyId: string | undefined): Doc[] {
    const { registry, store, marks } = this.deps;
    const docs: Doc[] = [];
    for (const session of registry.list(storyId === undefined ? {} : { storyId })) {
      const base = baseOf(session);
      for (const cell of store.listMemCells(session.id)) {
        if (isHidden(marks.get(cell.id))) continue;
        docs.push({
          hit: { ...base, kind: "memcell", id: cell.id, title: cell.title, timestamp: cell.endedAt },
          text: cell.content,
          title: tokenize(cell.title),
          body: tokenize(cell.content),
        });
      }
      for (const m of store.getBuffer(session.id)) {
        docs.push({
          hit: { ...base, kind: "message", id: m.id, title: clip(`${m.senderId}: ${firstLine(m.content)}`, 80), timestamp: m.timestamp },
          text: m.content,
          title: [],
          body: tokenize(`${m.senderId} ${m.content}`),
        });
      }
    }
    return docs;
  }
}

function baseOf(session: Session): Pick<MemoryHit, "sessionId" | "sessionTitle" | "storyId"> {
  return session.storyId === undefined
    ? { sessionId: session.id, sessionTitle: session.title }
    : { sessionId: session.id, sessionTitle: session.title, storyId: session.storyId };
}

function count(tokens: readonly string[], term: string): number {
  let n = 0;
  for (const t of tokens) if (t === term) n += 1;
  return n;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((l) => l.trim() !== "")?.trim() ?? "";
}

/** ~160 characters around the first occurrence of any term. */
function snippet(text: string, terms: readonly string[]): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const lower = flat.toLowerCase();
  let at = -1;
  for (const t of terms) {
    const i = lower.indexOf(t);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  let start = Math.max(0, at - SNIPPET_CHARS / 4);
  // Start at a word, not inside one.
  if (start > 0) {
    const space = flat.indexOf(" ", start);
    if (space >= 0 && space < at) start = space + 1;
  }
  const piece = flat.slice(start, start + SNIPPET_CHARS);
  return (start > 0 ? "…" : "") + piece + (start + SNIPPET_CHARS < flat.length ? "…" : "");
}
