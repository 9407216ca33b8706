/**
 * The memory search that shipped before full-text memcells and stemming,
 * rebuilt beside the current index in a copy of a bench database so both
 * can be timed in the same run on the same rows: `legacy_docs` holds what
 * the old index held (memcell title + content, i.e. the digest; buffered
 * messages as "sender content"), indexed by
 * `unicode61 remove_diacritics 2` without porter; the query, the joins, the
 * bm25 weights and the JS snippet are the old code's, copied.
 */
import type Database from "better-sqlite3";
import { toFtsQuery } from "../../src-main/store/SqliteMemoryTables";
import { tokenize } from "../../src-main/memory/tokenize";

export interface LegacyHit {
  kind: "c" | "m";
  ref: string;
  snippet: string;
}

export function buildLegacyIndex(db: Database.Database): void {
  db.exec(`
    CREATE TABLE legacy_docs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL UNIQUE, session TEXT NOT NULL, ts INTEGER NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL) STRICT;
    INSERT INTO legacy_docs (id, kind, ref, session, ts, title, body)
      SELECT d.id, d.kind, d.ref, d.session, d.ts, d.title, CASE WHEN d.kind = 'c' THEN json_extract(c.record, '$.content') ELSE d.body END
      FROM memory_docs d LEFT JOIN memcells c ON c.id = d.ref;
    CREATE VIRTUAL TABLE legacy_fts USING fts5 (title, body, content = 'legacy_docs', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
    INSERT INTO legacy_fts (legacy_fts) VALUES ('rebuild');
  `);
}

/** Today's `SqliteMemoryTables.search` before this change, minus the wire shape's cosmetic fields. */
export function legacySearch(db: Database.Database): (query: string, storyId: string | null, limit: number) => LegacyHit[] {
  const search = db.prepare<[{ match: string; story: string | null; limit: number }], { id: number; kind: "c" | "m"; ref: string; session: string }>(`
    SELECT d.id AS id, d.kind AS kind, d.ref AS ref, d.session AS session, -bm25(legacy_fts, 3.0, 1.0) AS score
    FROM legacy_fts
    JOIN legacy_docs d ON d.id = legacy_fts.rowid
    JOIN sessions s ON s.id = d.session
    WHERE legacy_fts MATCH @match AND (@story IS NULL OR s.story = @story)
    ORDER BY score DESC, d.ts DESC, d.ref
    LIMIT @limit`);
  const session = db.prepare<[string], { record: string }>("SELECT record FROM sessions WHERE id = ?");
  const text = db.prepare<[number], { title: string; body: string }>("SELECT title, body FROM legacy_docs WHERE id = ?");
  const message = db.prepare<[string], { content: string }>("SELECT content FROM messages WHERE id = ?");
  return (query, storyId, limit) => {
    const match = toFtsQuery(query);
    if (match === null) return [];
    const terms = tokenize(query);
    return search.all({ match, story: storyId, limit }).map((row) => {
      JSON.parse(session.get(row.session)?.record ?? "{}");
      const doc = text.get(row.id);
      const body = row.kind === "m" ? (message.get(row.ref)?.content ?? "") : (doc?.body ?? "");
      return { kind: row.kind, ref: row.ref, snippet: oldSnippetOf(body, terms) };
    });
  };
}

/** The old `snippetOf`: first occurrence of any term by `indexOf`, no ranges. */
function oldSnippetOf(text: string, terms: readonly string[], chars = 160): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const lower = flat.normalize("NFKC").toLowerCase();
  let at = -1;
  for (const t of terms) {
    const i = lower.indexOf(t);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  let start = Math.max(0, at - chars / 4);
  if (start > 0) {
    const space = flat.indexOf(" ", start);
    if (space >= 0 && space < at) start = space + 1;
  }
  const piece = flat.slice(start, start + chars);
  return (start > 0 ? "…" : "") + piece + (start + chars < flat.length ? "…" : "");
}
