/**
 * `MemoryTables` on SQLite: the rows `MemoryReducer` folds changes into,
 * in the node's one database (so they commit in the replica's transaction),
 * and ranked FTS5 search over them.
 *
 * Invariants:
 * - `memory_docs` holds exactly the searchable documents — buffered messages
 *   and effective, visible memcells — and `memory_fts` indexes exactly those
 *   rows (external content, kept in step here, in the same transaction);
 *   a memcell's document carries its title, its messages' full text
 *   (`cellText`) and an LLM's content (`indexedContent`), so every word
 *   ever said is findable exactly once: in its buffered message or in the
 *   one effective memcell that holds it;
 * - `session_activity` holds, per session and author, the latest change
 *   time of their writes (max: commutative) — what the takeover rule reads;
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
import { literalRanges } from "../memory/literalRanges";
import { markedRanges, unusedMarkers } from "../memory/markedRanges";
import type { SessionActivity } from "../memory/MemoryTables";
import { snippetOf, type TextRange } from "../memory/snippetOf";
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
  ref: string;
  /** 1 when it may have a full text (a memcell's), in `docById` rows. */
  long?: number;
  title: string;
  body: string;
  text: string;
}

/** A hit document's match ranges: in its body, in its full text (read only when needed). */
interface Ranges {
  body: TextRange[];
  text: TextRange[];
  fullText: string;
}

interface MarkedRow {
  marked: string;
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
    docByRef: db.prepare<[string], DocRow>("SELECT id, ref, title, body, text FROM memory_docs WHERE ref = ?"),
    docInsert: db.prepare<[string, string, string, number, string, string, string]>(
      "INSERT INTO memory_docs (kind, ref, session, ts, title, body, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    docDelete: db.prepare<[number]>("DELETE FROM memory_docs WHERE id = ?"),
    ftsInsert: db.prepare<[number | bigint, string, string, string]>("INSERT INTO memory_fts (rowid, title, body, text) VALUES (?, ?, ?, ?)"),
    ftsDelete: db.prepare<[number, string, string, string]>(
      "INSERT INTO memory_fts (memory_fts, rowid, title, body, text) VALUES ('delete', ?, ?, ?, ?)",
    ),
    // A hit's document without its full text (read only when the body did not match).
    docById: db.prepare<[number], DocRow>("SELECT id, ref, title, body, '' AS text, kind = 'c' AS long FROM memory_docs WHERE id = ?"),
    docFullText: db.prepare<[number], { text: string }>("SELECT text FROM memory_docs WHERE id = ?"),
    // The hits' body (column 1) or text (column 2) with the matched tokens wrapped in markers.
    markedBody: db.prepare<[{ match: string; id: number; open: string; close: string }], MarkedRow>(
      "SELECT highlight(memory_fts, 1, @open, @close) AS marked FROM memory_fts WHERE memory_fts MATCH @match AND rowid = @id",
    ),
    markedText: db.prepare<[{ match: string; id: number; open: string; close: string }], MarkedRow>(
      "SELECT highlight(memory_fts, 2, @open, @close) AS marked FROM memory_fts WHERE memory_fts MATCH @match AND rowid = @id",
    ),
    cellMessageAt: db.prepare<[string, string], { id: string | null }>("SELECT json_extract(record, ?) AS id FROM memcells WHERE id = ?"),
    messageLines: db.prepare<[string], { id: string; sender: string; content: string }>(
      "SELECT m.id AS id, m.sender AS sender, m.content AS content FROM json_each(?) j JOIN messages m ON m.id = j.value ORDER BY j.key",
    ),
    activity: db.prepare<[string], SessionActivity>("SELECT author, wrote, added FROM session_activity WHERE session = ? ORDER BY author"),
    noteActivity: db.prepare<[string, string, number, number | null]>(`
      INSERT INTO session_activity (session, author, wrote, added) VALUES (?, ?, ?, ?)
      ON CONFLICT (session, author) DO UPDATE SET wrote = max(wrote, excluded.wrote), added = max(coalesce(added, excluded.added), coalesce(excluded.added, added))`),
    // Only ids and sort keys here: the texts of the few hits shown are read afterwards.
    search: db.prepare<[{ match: string; story: string | null; limit: number }], HitRow>(`
      SELECT d.id AS id, d.kind AS kind, d.ref AS ref, d.session AS session, d.ts AS ts, -bm25(memory_fts, 3.0, 1.0, 1.0) AS score
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
    // (Its messages, hence its full text, are fixed by its id.)
    const doc = this.q.docByRef.get(record.id);
    const searchable = record.effective && !hidden;
    if (doc !== undefined && searchable && doc.title === record.title && doc.body === indexedContent(record)) return;
    if (doc !== undefined) this.removeDoc(record.id);
    if (searchable) {
      const text = cellText(this.q.messageLines.all(JSON.stringify(record.messageIds)));
      this.addDoc("c", record.id, record.sessionId, record.endedAt, record.title, indexedContent(record), text);
    }
  }

  noteActivity(sessionId: string, author: string, at: number, added: boolean): void {
    this.q.noteActivity.run(sessionId, author, at, added ? at : null);
  }

  sessionActivity(sessionId: string): SessionActivity[] {
    return this.q.activity.all(sessionId);
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
    const rows = this.q.search.all({ match, story: options.storyId ?? null, limit: options.limit });
    const docs = new Map<number, DocRow>();
    for (const row of rows) {
      const doc = this.q.docById.get(row.id);
      if (doc !== undefined) docs.set(row.id, doc);
    }
    const marked = this.matchRanges(query, [...docs.values()]);
    return rows.map((row) => {
      const session = this.getSession(row.session);
      const message = row.kind === "m" ? this.getMessage(row.ref)?.message : undefined;
      const doc = docs.get(row.id);
      const ranges = marked.get(row.id) ?? { body: [], text: [], fullText: "" };
      const hit: MemoryHit = {
        kind: row.kind === "c" ? "memcell" : "message",
        id: row.ref,
        sessionId: row.session,
        sessionTitle: session?.title ?? "",
        title: "",
        snippet: "",
        matches: [],
        score: Math.round(row.score * 1000) / 1000,
        timestamp: row.ts,
      };
      if (message !== undefined) Object.assign(hit, messageExcerpt(message, ranges.body));
      else if (doc !== undefined) Object.assign(hit, this.cellExcerpt(doc, ranges));
      if (session !== undefined && session.storyId !== null) hit.storyId = session.storyId;
      return hit;
    });
  }

  /**
   * A memcell hit: cut from its indexed content where the words are there,
   * else from the one message that holds them (named in `messageId`).
   */
  private cellExcerpt(doc: DocRow, ranges: Ranges): Pick<MemoryHit, "title" | "snippet" | "matches" | "messageId"> {
    if (ranges.body.length > 0) return { title: doc.title, ...snippetOf(doc.body, ranges.body) };
    const first = ranges.text[0]?.start;
    // Matched in the title only: the start of what the memcell shows.
    if (first === undefined) return { title: doc.title, ...snippetOf(this.getMemCell(doc.ref)?.content ?? "", []) };
    // `cellText` separates messages with one character no message holds: count to the one with the match.
    let index = 0;
    let start = 0;
    for (let at = ranges.fullText.indexOf(MESSAGE_SEPARATOR); at >= 0 && at < first; at = ranges.fullText.indexOf(MESSAGE_SEPARATOR, at + 1)) {
      index++;
      start = at + 1;
    }
    const next = ranges.fullText.indexOf(MESSAGE_SEPARATOR, first);
    const end = next < 0 ? ranges.fullText.length : next;
    const inLine = ranges.text.filter((r) => r.start >= start && r.end <= end).map((r) => ({ start: r.start - start, end: r.end - start }));
    const excerpt = { title: doc.title, ...snippetOf(ranges.fullText.slice(start, end), inLine) };
    const messageId = this.q.cellMessageAt.get(`$.messageIds[${index}]`, doc.ref)?.id;
    return messageId === undefined || messageId === null ? excerpt : { ...excerpt, messageId };
  }

  /**
   * Where the query matched in each document's body and text, for the hits
   * shown only. First literally (`literalRanges`: native `indexOf`, almost
   * always enough); only where the typed words do not occur as such — a
   * word form the stemmer related — FTS5 `highlight()`, run with the query
   * WITHOUT its prefix star and one rowid seek per document (a prefix term
   * would make FTS5 merge the doclists of every word it starts, on each
   * call). The body first; a memcell's full text only when its body did not
   * match. No FTS ranges when no free markers exist.
   */
  private matchRanges(query: string, docs: readonly DocRow[]): Map<number, Ranges> {
    const out = new Map<number, Ranges>();
    const terms = [...new Set(tokenize(query))];
    const whole = toFtsQuery(query, { prefix: false });
    if (whole === null) return out;
    const ranges = (column: "markedBody" | "markedText", doc: DocRow, text: string): TextRange[] => {
      if (text === "") return [];
      const literal = literalRanges(text, terms);
      if (literal !== null && literal.length > 0) return literal;
      const markers = unusedMarkers([text]);
      const row = markers === null ? undefined : this.q[column].get({ match: whole, id: doc.id, ...markers });
      return row === undefined || markers === null ? [] : markedRanges(row.marked, markers);
    };
    for (const doc of docs) {
      const body = ranges("markedBody", doc, doc.body);
      const text = body.length === 0 && doc.long === 1 ? (this.q.docFullText.get(doc.id)?.text ?? "") : "";
      out.set(doc.id, { body, text: ranges("markedText", doc, text), fullText: text });
    }
    return out;
  }

  private addMessageDoc(m: Message): void {
    this.addDoc("m", m.id, m.sessionId, m.timestamp, "", `${m.senderId} ${m.content}`, "");
  }

  private addDoc(kind: "c" | "m", ref: string, session: string, ts: number, title: string, body: string, text: string): void {
    const { lastInsertRowid } = this.q.docInsert.run(kind, ref, session, ts, title, body, text);
    this.q.ftsInsert.run(lastInsertRowid, title, body, text);
  }

  /** External-content FTS5: a delete must name the indexed values. */
  private removeDoc(ref: string): void {
    const doc = this.q.docByRef.get(ref);
    if (doc === undefined) return;
    this.q.ftsDelete.run(doc.id, doc.title, doc.body, doc.text);
    this.q.docDelete.run(doc.id);
  }
}

/**
 * The user's words as an FTS5 query: each term quoted (so no query syntax
 * can be injected), OR-ed (bm25 ranks documents matching more terms
 * higher), the last one as a prefix so results follow typing (unless
 * `prefix: false`).
 */
export function toFtsQuery(query: string, options: { prefix: boolean } = { prefix: true }): string | null {
  const terms = [...new Set(tokenize(query))];
  if (terms.length === 0) return null;
  return terms.map((t, i) => `"${t.replaceAll('"', '""')}"${options.prefix && i === terms.length - 1 ? "*" : ""}`).join(" OR ");
}

/**
 * The content a memcell's document indexes (`memory_docs.body`): an LLM's
 * episode text (the memcell has a summary) — words no message may hold —
 * or nothing: an extractive digest (no summary) is cut from its messages'
 * text, which `text` indexes whole, so indexing it too would count every
 * word twice and double the index. The migration applies the same rule.
 */
export function indexedContent(record: Pick<MemCellRecord, "content" | "summary">): string {
  return record.summary === null ? "" : record.content;
}

/** Between two messages in a memcell's full text; replaced by a space inside a message (one for one: offsets hold). */
const MESSAGE_SEPARATOR = "\u001e";

/**
 * A memcell's searchable full text: one "sender: content" per message, in
 * `messageIds` order, separated by U+001E (a record separator no message
 * keeps, so a match's message is found by counting) — the same as the
 * migration that back-filled it (store/migrations.ts), so old and new rows
 * agree. The tokenizer treats the separator as it treats a space.
 */
export function cellText(messages: readonly { sender: string; content: string }[]): string {
  return messages.map((m) => `${m.sender}: ${m.content}`.replaceAll(MESSAGE_SEPARATOR, " ")).join(MESSAGE_SEPARATOR);
}

/** A buffered message's hit: "sender: first line" as title, the snippet from its content. */
function messageExcerpt(message: Message, bodyRanges: readonly TextRange[]): Pick<MemoryHit, "title" | "snippet" | "matches"> {
  // The document body is "sender content": drop the sender prefix from the ranges.
  const skip = message.senderId.length + 1;
  const ranges = bodyRanges.filter((r) => r.start >= skip).map((r) => ({ start: r.start - skip, end: r.end - skip }));
  return { title: clip(`${message.senderId}: ${firstLine(message.content)}`, 80), ...snippetOf(message.content, ranges) };
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
