/**
 * The materialized memory of a workspace (sessions, messages, memcells, the
 * full-text index), folded from changes by `MemoryReducer` and read by the
 * memory service. Implemented on SQLite (`store/SqliteMemoryTables`), in the
 * same database and transaction as the change log: a change and what it
 * materializes are written together or not at all.
 *
 * Records carry the CRDT bookkeeping the merge rules need (who created a
 * row, with which stamp); the service turns them into wire shapes.
 * Values handed to `put*` are owned by the tables afterwards; values
 * returned must not be mutated (every read decodes a fresh copy).
 */
import type { MemoryHit } from "../../src-shared/MemoryHit";
import type { Hlc, Stamp } from "../crdt/Hlc";
import type { Message } from "./Message";

/** One author's latest writes to one session (change times, ms). */
export interface SessionActivity {
  author: string;
  /** Latest change with a session, msg, cell or segmenter op for the session. */
  wrote: number;
  /** Latest change with a msg op for the session; null = never added a message. */
  added: number | null;
}

export interface SessionRecord {
  id: string;
  title: string;
  storyId: string | null;
  createdAt: number;
  /** Ids of the changes that created it (one, unless created concurrently under one id). */
  creators: string[];
  /** Stamp of the create whose fields won (the earliest). */
  stamp: Stamp;
  /** The node that segments this session into memcells (LWW register). */
  segmenter: string;
  segmenterStamp: Stamp;
}

export interface MessageRecord {
  message: Message;
  /** Ids of the changes that carried it (a retried or re-sent message adds one). */
  creators: string[];
  /** The effective memcell that holds it; null = still in the session's buffer. */
  cell: string | null;
}

export interface MemCellRecord {
  id: string;
  sessionId: string;
  messageIds: string[];
  title: string;
  content: string;
  summary: string | null;
  senderIds: string[];
  startedAt: number;
  endedAt: number;
  creators: string[];
  /** Precedence: among memcells sharing a message, the earliest (stamp, id) is the effective one. */
  stamp: Stamp;
  hide: Hlc | null;
  unhide: Hlc | null;
  effective: boolean;
}

export interface MemorySearchOptions {
  storyId?: string;
  limit: number;
}

export interface MemoryTables {
  getSession(id: string): SessionRecord | undefined;
  putSession(record: SessionRecord): void;
  /** Newest first (createdAt, then id, descending); only the story's when given. */
  listSessions(storyId?: string): SessionRecord[];

  getMessage(id: string): MessageRecord | undefined;
  /** Inserts a message not stored yet (indexed for search while buffered). */
  insertMessage(record: MessageRecord): void;
  setMessageCreators(messageId: string, creators: readonly string[]): void;
  /** Points every message of the session at its effective memcell (null = buffered). */
  setMessageCells(sessionId: string, cellOf: ReadonlyMap<string, string>): void;
  setMessageCell(messageId: string, cellId: string | null): void;
  /** The session's buffered messages, sorted by (timestamp, id). */
  bufferedMessages(sessionId: string): Message[];

  getMemCell(id: string): MemCellRecord | undefined;
  /** Inserts or replaces (indexed for search). */
  putMemCell(record: MemCellRecord): void;
  /** Every memcell of the session, effective or not. */
  sessionMemCells(sessionId: string): MemCellRecord[];
  /** The session's effective memcells by (startedAt, id). */
  effectiveMemCells(sessionId: string): MemCellRecord[];

  /** Raises the author's latest write (and add, if `added`) time on the session: a max, so commutative. */
  noteActivity(sessionId: string, author: string, at: number, added: boolean): void;
  /** Every author's latest writes to the session, by author. */
  sessionActivity(sessionId: string): SessionActivity[];

  /** Ranked full-text search over effective visible memcells (with their messages' full text) and buffered messages. */
  search(query: string, options: MemorySearchOptions): MemoryHit[];
}

/** Hide wins unless the unhide is strictly later: the board's rule (`StoryRecord.isHidden`). */
export { isHidden as isCellHidden } from "../crdt/StoryRecord";
