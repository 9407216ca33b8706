/**
 * `MemoryTables` on SQLite: the rows `MemoryReducer` folds changes into,
 * in the node's one database (so they commit in the replica's transaction),
 * and ranked FTS5 search over them.
 *
 * Invariants:
 * - `memory_docs` holds exactly the searchable documents — buffered messages
 *   and effective, visible memcells — and `memory_fts` indexes exactly those
 *   rows (external content, kept in step here, in the same transaction);
 * - `messages.cell` / `memcells.effective` / `memcells.hidden` mirror the
 *   records, so listing and search filter with indexes, never JSON;
 * - reads decode fresh objects; prepared statements belong to the instance.
 */
import type Database from "better-sqlite3";
import type { MemoryHit } from "../../src-shared/MemoryHit";
import type { Message, MessageRole } from "../../src-shared/Message";
import { clip } from "../memory/extractEpisode";
import { compareMessages } from "../memory/Message";
import {
  isCellHidden,
  type MemCellRecord,
  type MemorySearchOptions,
  type MemoryTables,
  type MessageRecord,
  type SessionRecord,
} from "../memory/MemoryTables";
import { snippetOf } from "../memory/snippetOf";
import { tokenize } from "../memory/tokenize";

interface MessageRow {
  id: string;
  session: string;
  ts: number;
  sender: string;
  role: string;
  content: string;
  creators: string;
  cell: string | null;
}

interface HitRow {
  id: number;
  kind: "c" | "m";
  ref: string;
  session: string;
  ts: number;
  score: number;
}

interface DocRow {
  id: number;
  title: string;
  body: string;
}

const MESSAGE_COLUMNS = "id, session, ts, sender, role, content, creators, cell";

function prepare(db: Database.Database) {
  return {
    getSession: db.prepare<[string], { record: string }>("SELECT record FROM sessions WHERE id = ?"),
    putSession: db.prepare<[string, string | null, number, string]>(
      "INSERT INTO sessions (id, story, created_at, record) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET story = excluded.story, created_at = excluded.created_at, record = excluded.record",
    ),
    allSessions: db.prepare<[], { record: string }>("SELECT record FROM sessions ORDER BY created_at DESC, id DESC"),
    storySessions: db.prepare<[string], { record: string }>("SELECT record FROM sessions WHERE story = ? ORDER BY created_at DESC, id DESC"),
    getMessage: db.prepare<[string], MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`),
    insertMessage: db.prepare<[string, string, number, string, string, string, string, string | null]>(
      "INSERT INTO messages (id, session, ts, sender, role, content, creators, cell) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    updateCreators: db.prepare<[string, string]>("UPDATE messages SET creators = ? WHERE id = ?"),
    setCell: db.prepare<[string | null, string]>("UPDATE messages SET cell = ? WHERE id = ?"),
    sessionMessageCells: db.prepare<[string], { id: string; cell: string | null }>("SELECT id, cell FROM messages WHERE session = ?"),
    buffered: db.prepare<[string], MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE session = ? AND cell IS NULL ORDER BY ts, id`),
    getCell: db.prepare<[string], { record: string; effective: number }>("SELECT record, effective FROM memcells WHERE id = ?"),
    putCell: db.prepare<[string, string, number, number, number, number, string]>(
      "INSERT INTO memcells (id, session, effective, hidden, started_at, ended_at, record) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET effective = excluded.effective, hidden = excluded.hidden, record = excluded.record",
    ),
    sessionCells: db.prepare<[string], { record: string; effective: number }>("SELECT record, effective FROM memcells WHERE session = ?"),
    effectiveCells: db.prepare<[string], { record: string; effective: number }>(
      "SELECT record, effective FROM memcells WHERE session = ? AND effective = 1 ORDER BY started_at, id",
    ),
    docByRef: db.prepare<[string], DocRow>("SELECT id, title, body FROM memory_docs WHERE ref = ?"),
    docInsert: db.prepare<[string, string, string, number, string, string]>(
      "INSERT INTO memory_docs (kind, ref, session, ts, title, body) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    docDelete: db.prepare<[number]>("DELETE FROM memory_docs WHERE id = ?"),
    ftsInsert: db.prepare<[number | bigint, string, string]>("INSERT INTO memory_fts (rowid, title, body) VALUES (?, ?, ?)"),
    ftsDelete: db.prepare<[number, string, string]>("INSERT INTO memory_fts (memory_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)"),
    docText: db.prepare<[number], { title: string; body: string }>("SELECT title, body FROM memory_docs WHERE id = ?"),
    // Only ids and sort keys here: the texts of the few hits shown are read afterwards.
    search: db.prepare<[{ match: string; story: string | null; limit: number }], HitRow>(`
      SELECT d.id AS id, d.kind AS kind, d.ref AS ref, d.session AS session, d.ts AS ts, -bm25(memory_fts, 3.0, 1.0) AS score
      FROM memory_fts
      JOIN memory_docs d ON d.id = memory_fts.rowid
      JOIN sessions s ON s.id = d.session
      WHERE memory_fts MATCH @match AND (@story IS NULL OR s.story = @story)
      ORDER BY score DESC, d.ts DESC, d.ref
      LIMIT @limit`),
  };
}

export class SqliteMemoryTables implements MemoryTables {
  private readonly q: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.q = prepare(db);
  }

  getSession(id: string): SessionRecord | undefined {
    const row = this.q.getSession.get(id);
    return row === undefined ? undefined : (JSON.parse(row.record) as SessionRecord);
  }

  putSession(record: SessionRecord): void {
    this.q.putSession.run(record.id, record.storyId, record.createdAt, JSON.stringify(record));
  }

  listSessions(storyId?: string): SessionRecord[] {
    const rows = storyId === undefined ? this.q.allSessions.all() : this.q.storySessions.all(storyId);
    return rows.map((r) => JSON.parse(r.record) as SessionRecord);
  }

  getMessage(id: string): MessageRecord | undefined {
    const row = this.q.getMessage.get(id);
    return row === undefined ? undefined : toMessageRecord(row);
  }

  insertMessage(record: MessageRecord): void {
    const m = record.message;
    this.q.insertMessage.run(m.id, m.sessionId, m.timestamp, m.senderId, m.role, m.content, JSON.stringify(record.creators), record.cell);
    if (record.cell === null) this.addMessageDoc(m);
  }

  setMessageCreators(messageId: string, creators: readonly string[]): void {
    this.q.updateCreators.run(JSON.stringify(creators), messageId);
  }

  setMessageCells(sessionId: string, cellOf: ReadonlyMap<string, string>): void {
    for (const row of this.q.sessionMessageCells.all(sessionId)) {
      const cell = cellOf.get(row.id) ?? null;
      if (cell !== row.cell) this.setMessageCell(row.id, cell);
    }
  }

  setMessageCell(messageId: string, cellId: string | null): void {
    const row = this.q.getMessage.get(messageId);
    if (row === undefined || row.cell === cellId) return;
    this.q.setCell.run(cellId, messageId);
    // Searchable while buffered only: a memorized message is found through its memcell.
    if (cellId === null) this.addMessageDoc(toMessageRecord(row).message);
    else if (row.cell === null) this.removeDoc(messageId);
  }

  bufferedMessages(sessionId: string): Message[] {
    return this.q.buffered.all(sessionId).map((r) => toMessageRecord(r).message).sort(compareMessages);
  }

  getMemCell(id: string): MemCellRecord | undefined {
    const row = this.q.getCell.get(id);
    return row === undefined ? undefined : toCell(row);
  }

  putMemCell(record: MemCellRecord): void {
    const hidden = isCellHidden(record);
    this.q.putCell.run(record.id, record.sessionId, record.effective ? 1 : 0, hidden ? 1 : 0, record.startedAt, record.endedAt, JSON.stringify(record));
    // Searchable while effective and visible; re-indexed when its text changes.
    const doc = this.q.docByRef.get(record.id);
    const searchable = record.effective && !hidden;
    if (doc !== undefined && searchable && doc.title === record.title && doc.body === record.content) return;
    if (doc !== undefined) this.removeDoc(record.id);
    if (searchable) this.addDoc("c", record.id, record.sessionId, record.endedAt, record.title, record.content);
  }

  sessionMemCells(sessionId: string): MemCellRecord[] {
    return this.q.sessionCells.all(sessionId).map(toCell);
  }

  effectiveMemCells(sessionId: string): MemCellRecord[] {
    return this.q.effectiveCells.all(sessionId).map(toCell);
  }

  search(query: string, options: MemorySearchOptions): MemoryHit[] {
    const match = toFtsQuery(query);
    if (match === null) return [];
    const terms = tokenize(query);
    return this.q.search.all({ match, story: options.storyId ?? null, limit: options.limit }).map((row) => {
      const session = this.getSession(row.session);
      const text = this.q.docText.get(row.id);
      const message = row.kind === "m" ? this.getMessage(row.ref)?.message : undefined;
      const body = message?.content ?? text?.body ?? "";
      const hit: MemoryHit = {
        kind: row.kind === "c" ? "memcell" : "message",
        id: row.ref,
        sessionId: row.session,
        sessionTitle: session?.title ?? "",
        title: message === undefined ? (text?.title ?? "") : clip(`${message.senderId}: ${firstLine(message.content)}`, 80),
        snippet: snippetOf(body, terms),
        score: Math.round(row.score * 1000) / 1000,
        timestamp: row.ts,
      };
      if (session !== undefined && session.storyId !== null) hit.storyId = session.storyId;
      return hit;
    });
  }

  private addMessageDoc(m: Message): void {
    this.addDoc("m", m.id, m.sessionId, m.timestamp, "", `${m.senderId} ${m.content}`);
  }

  private addDoc(kind: "c" | "m", ref: string, session: string, ts: number, title: string, body: string): void {
    const { lastInsertRowid } = this.q.docInsert.run(kind, ref, session, ts, title, body);
    this.q.ftsInsert.run(lastInsertRowid, title, body);
  }

  /** External-content FTS5: a delete must name the indexed values. */
  private removeDoc(ref: string): void {
    const doc = this.q.docByRef.get(ref);
    if (doc === undefined) return;
    this.q.ftsDelete.run(doc.id, doc.title, doc.body);
    this.q.docDelete.run(doc.id);
  }
}

/**
 * The user's words as an FTS5 query: each term quoted (so no query syntax
 * can be injected), OR-ed (bm25 ranks documents matching more terms
 * higher), the last one as a prefix so results follow typing.
 */
export function toFtsQuery(query: string): string | null {
  const terms = [...new Set(tokenize(query))];
  if (terms.length === 0) return null;
  return terms.map((t, i) => `"${t.replaceAll('"', '""')}"${i === terms.length - 1 ? "*" : ""}`).join(" OR ");
}

function toMessageRecord(row: MessageRow): MessageRecord {
  return {
    message: { id: row.id, sessionId: row.session, senderId: row.sender, role: row.role as MessageRole, timestamp: row.ts, content: row.content },
    creators: JSON.parse(row.creators) as string[],
    cell: row.cell,
  };
}

function toCell(row: { record: string; effective: number }): MemCellRecord {
  return { ...(JSON.parse(row.record) as MemCellRecord), effective: row.effective === 1 };
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((l) => l.trim() !== "")?.trim() ?? "";
}
