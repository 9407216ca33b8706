/**
 * `MemoryTables` on SQLite: the rows `MemoryReducer` folds changes into,
 * in the node's one database (so they commit in the replica's transaction),
 * and ranked FTS5 search over them.
 *
 * Invariants:
 * - every message and memcell has exactly one `memory_fts` row, written with
 *   it (a memcell whose text changes has its row replaced);
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
  kind: "c" | "m";
  ref: string;
  score: number;
  snip: string;
  ts: number;
  session_record: string;
  cell_title: string | null;
  sender: string | null;
  content: string | null;
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
    clearCells: db.prepare<[string]>("UPDATE messages SET cell = NULL WHERE session = ? AND cell IS NOT NULL"),
    buffered: db.prepare<[string], MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE session = ? AND cell IS NULL ORDER BY ts, id`),
    getCell: db.prepare<[string], { record: string; effective: number }>("SELECT record, effective FROM memcells WHERE id = ?"),
    putCell: db.prepare<[string, string, number, number, number, number, string]>(
      "INSERT INTO memcells (id, session, effective, hidden, started_at, ended_at, record) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET effective = excluded.effective, hidden = excluded.hidden, record = excluded.record",
    ),
    sessionCells: db.prepare<[string], { record: string; effective: number }>("SELECT record, effective FROM memcells WHERE session = ?"),
    effectiveCells: db.prepare<[string], { record: string; effective: number }>(
      "SELECT record, effective FROM memcells WHERE session = ? AND effective = 1 ORDER BY started_at, id",
    ),
    ftsInsert: db.prepare<[string, string, string, string, string]>("INSERT INTO memory_fts (title, body, kind, ref, session) VALUES (?, ?, ?, ?, ?)"),
    ftsDelete: db.prepare<[string, string]>("DELETE FROM memory_fts WHERE kind = ? AND ref = ?"),
    search: db.prepare<[{ match: string; story: string | null; limit: number }], HitRow>(`
      SELECT memory_fts.kind AS kind, memory_fts.ref AS ref, -bm25(memory_fts, 3.0, 1.0) AS score,
             snippet(memory_fts, 1, '', '', '…', 24) AS snip,
             COALESCE(m.ts, c.ended_at) AS ts, s.record AS session_record,
             memory_fts.title AS cell_title, m.sender AS sender, m.content AS content
      FROM memory_fts
      JOIN sessions s ON s.id = memory_fts.session
      LEFT JOIN messages m ON memory_fts.kind = 'm' AND m.id = memory_fts.ref
      LEFT JOIN memcells c ON memory_fts.kind = 'c' AND c.id = memory_fts.ref
      WHERE memory_fts MATCH @match
        AND ((memory_fts.kind = 'm' AND m.cell IS NULL) OR (memory_fts.kind = 'c' AND c.effective = 1 AND c.hidden = 0))
        AND (@story IS NULL OR s.story = @story)
      ORDER BY score DESC, ts DESC, memory_fts.ref
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

  putMessage(record: MessageRecord): void {
    const m = record.message;
    const creators = JSON.stringify(record.creators);
    if (this.q.getMessage.get(m.id) !== undefined) {
      this.q.updateCreators.run(creators, m.id);
      return;
    }
    this.q.insertMessage.run(m.id, m.sessionId, m.timestamp, m.senderId, m.role, m.content, creators, record.cell);
    this.q.ftsInsert.run("", `${m.senderId} ${m.content}`, "m", m.id, m.sessionId);
  }

  setMessageCells(sessionId: string, cellOf: ReadonlyMap<string, string>): void {
    this.q.clearCells.run(sessionId);
    for (const [messageId, cellId] of cellOf) this.q.setCell.run(cellId, messageId);
  }

  setMessageCell(messageId: string, cellId: string | null): void {
    this.q.setCell.run(cellId, messageId);
  }

  bufferedMessages(sessionId: string): Message[] {
    return this.q.buffered.all(sessionId).map((r) => toMessageRecord(r).message).sort(compareMessages);
  }

  getMemCell(id: string): MemCellRecord | undefined {
    const row = this.q.getCell.get(id);
    return row === undefined ? undefined : toCell(row);
  }

  putMemCell(record: MemCellRecord): void {
    const before = this.q.getCell.get(record.id);
    const textChanged = before === undefined || textOf(toCell(before)) !== textOf(record);
    this.q.putCell.run(
      record.id,
      record.sessionId,
      record.effective ? 1 : 0,
      isCellHidden(record) ? 1 : 0,
      record.startedAt,
      record.endedAt,
      JSON.stringify(record),
    );
    if (!textChanged) return;
    if (before !== undefined) this.q.ftsDelete.run("c", record.id);
    this.q.ftsInsert.run(record.title, record.content, "c", record.id, record.sessionId);
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
    return this.q.search.all({ match, story: options.storyId ?? null, limit: options.limit }).map((row) => {
      const session = JSON.parse(row.session_record) as SessionRecord;
      const hit: MemoryHit = {
        kind: row.kind === "c" ? "memcell" : "message",
        id: row.ref,
        sessionId: session.id,
        sessionTitle: session.title,
        title: row.kind === "c" ? (row.cell_title ?? "") : clip(`${row.sender ?? ""}: ${firstLine(row.content ?? "")}`, 80),
        snippet: row.snip,
        score: Math.round(row.score * 1000) / 1000,
        timestamp: row.ts,
      };
      if (session.storyId !== null) hit.storyId = session.storyId;
      return hit;
    });
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

function textOf(cell: MemCellRecord): string {
  return `${cell.title}\u0000${cell.content}`;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((l) => l.trim() !== "")?.trim() ?? "";
}
