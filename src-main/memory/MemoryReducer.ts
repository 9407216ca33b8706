/**
 * Folds the memory ops of signed changes into `MemoryTables`: the rules that
 * make every replica show the same sessions, buffers and memcells.
 *
 * Validity (decided from the change and its causal past only):
 * - `session`: not already created in the causal past nor earlier in the change;
 * - `msg`: its session exists in the past (or earlier in the change), and its
 *   id is the id rule's hash of its content (`messageId`) — so one id always
 *   means one content, and duplicates can be merged by id;
 * - `cell`: its session likewise; every message exists in the past (or
 *   earlier in the change), belongs to that session, and appears once;
 * - `segmenter`, `cellHide`, `cellUnhide`: the session / memcell exists in the past.
 *
 * Merge rules (commutative, so delivery order does not matter):
 * - a message id is stored once; a re-sent message only records another creator
 *   (a duplicate replay never double-counts);
 * - concurrent creates of one session or memcell id keep the fields of the
 *   earliest stamp;
 * - the segmenter is a LWW register (creation counts as a write);
 * - session activity (per author: latest change time of their session, msg,
 *   cell, segmenter ops; and of their msg ops) is a max per author — what the
 *   takeover rule (`segmenterTakeover`) reads;
 * - hide/unhide keep their latest clocks; hidden = hide and no strictly
 *   later unhide;
 * - EFFECTIVE MEMCELLS: within a session, memcells are taken greedily in
 *   (stamp, id) order and one is effective when none of its messages is in
 *   an earlier effective one. The buffer is every message in no effective
 *   memcell. So "each message in exactly one memcell or the buffer" holds on
 *   every replica by construction, even when two nodes segmented concurrently
 *   (after a takeover): the later segmentation's overlapping memcells lose and
 *   their messages fall back to the earlier one or to the buffer.
 */
import { compareHlc, compareStamp, type Hlc, type Stamp } from "../crdt/Hlc";
import type { Change, MemoryOp } from "../crdt/Change";
import { isMemoryOp } from "../crdt/Change";
import type { ChangeReducer } from "../crdt/ChangeReducer";
import { memCellId } from "./MemCell";
import { messageId } from "./Message";
import type { MemCellRecord, MemoryTables } from "./MemoryTables";
import { changeTime } from "./segmenterTakeover";

/** What one applied batch touched (drained by the node after commit). */
export interface MemoryTouched {
  sessions: Set<string>;
  /** Sessions that received messages they did not have. */
  newMessages: Set<string>;
}

const byPrecedence = (a: MemCellRecord, b: MemCellRecord): number => compareStamp(a.stamp, b.stamp) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class MemoryReducer implements ChangeReducer {
  private touched: MemoryTouched = { sessions: new Set(), newMessages: new Set() };

  constructor(private readonly tables: MemoryTables) {}

  /** Returns and resets what was touched since the last drain. */
  drain(): MemoryTouched {
    const out = this.touched;
    this.touched = { sessions: new Set(), newMessages: new Set() };
    return out;
  }

  validate(_id: string, change: Change, past: (changeId: string) => boolean): string | null {
    if (!change.ops.some(isMemoryOp)) return null; // most changes: nothing to set up
    const sessionsHere = new Set<string>();
    const messagesHere = new Map<string, string>(); // message id → session
    const cellsHere = new Set<string>();
    const inPast = (creators: readonly string[]): boolean => creators.some(past);
    const sessionKnown = (session: string): boolean => {
      if (sessionsHere.has(session)) return true;
      const rec = this.tables.getSession(session);
      return rec !== undefined && inPast(rec.creators);
    };
    for (let i = 0; i < change.ops.length; i++) {
      const op = change.ops[i]!;
      if (!isMemoryOp(op)) continue;
      const fail = (why: string): string => `op ${i}: ${why}`;
      switch (op.t) {
        case "session":
          if (sessionKnown(op.session)) return fail(`session ${op.session} already exists`);
          sessionsHere.add(op.session);
          break;
        case "msg": {
          if (!sessionKnown(op.session)) return fail(`session ${op.session} not in causal past`);
          const expected = messageId(op.session, { senderId: op.sender, role: op.role, timestamp: op.ts, content: op.content }, op.occ);
          if (op.id !== expected) return fail(`message id ${op.id} does not match its content`);
          messagesHere.set(op.id, op.session);
          break;
        }
        case "cell": {
          if (!sessionKnown(op.session)) return fail(`session ${op.session} not in causal past`);
          const seen = new Set<string>();
          for (const m of op.messages) {
            if (seen.has(m)) return fail(`message ${m} listed twice`);
            seen.add(m);
            const here = messagesHere.get(m);
            if (here !== undefined) {
              if (here !== op.session) return fail(`message ${m} is not in session ${op.session}`);
              continue;
            }
            const rec = this.tables.getMessage(m);
            if (rec === undefined || !inPast(rec.creators)) return fail(`message ${m} not in causal past`);
            if (rec.message.sessionId !== op.session) return fail(`message ${m} is not in session ${op.session}`);
          }
          cellsHere.add(memCellId(op.messages));
          break;
        }
        case "segmenter":
          if (!sessionKnown(op.session)) return fail(`session ${op.session} not in causal past`);
          break;
        case "cellHide":
        case "cellUnhide": {
          if (cellsHere.has(op.cell)) break;
          const rec = this.tables.getMemCell(op.cell);
          if (rec === undefined || !inPast(rec.creators)) return fail(`memcell ${op.cell} not in causal past`);
          break;
        }
      }
    }
    return null;
  }

  apply(id: string, change: Change, clock: Hlc): void {
    if (!change.ops.some(isMemoryOp)) return; // most changes are board changes: nothing to allocate for them
    const stamp: Stamp = { wall: clock.wall, logical: clock.logical, author: change.author, id };
    const wrote = new Map<string, boolean>(); // session → carried a msg op
    for (const op of change.ops) {
      if (!isMemoryOp(op)) continue;
      this.applyOp(id, stamp, op);
      if (op.t !== "cellHide" && op.t !== "cellUnhide") wrote.set(op.session, (wrote.get(op.session) ?? false) || op.t === "msg");
    }
    for (const [session, added] of wrote) this.tables.noteActivity(session, change.author, changeTime(stamp), added);
  }

  private applyOp(id: string, stamp: Stamp, op: MemoryOp): void {
    const { tables } = this;
    switch (op.t) {
      case "session": {
        const existing = tables.getSession(op.session);
        const fields = { title: op.title, storyId: op.storyId, createdAt: op.createdAt };
        if (existing === undefined) {
          tables.putSession({ id: op.session, ...fields, creators: [id], stamp, segmenter: stamp.author, segmenterStamp: stamp });
        } else {
          const next = { ...existing, creators: [...existing.creators, id].sort() };
          if (compareStamp(stamp, existing.stamp) < 0) Object.assign(next, fields, { stamp });
          if (compareStamp(stamp, existing.segmenterStamp) > 0) Object.assign(next, { segmenter: stamp.author, segmenterStamp: stamp });
          tables.putSession(next);
        }
        this.touched.sessions.add(op.session);
        return;
      }
      case "segmenter": {
        const rec = tables.getSession(op.session);
        if (rec !== undefined && compareStamp(stamp, rec.segmenterStamp) > 0) {
          tables.putSession({ ...rec, segmenter: stamp.author, segmenterStamp: stamp });
        }
        return;
      }
      case "msg": {
        const existing = tables.getMessage(op.id);
        if (existing !== undefined) {
          if (!existing.creators.includes(id)) tables.setMessageCreators(op.id, [...existing.creators, id].sort());
          return;
        }
        tables.insertMessage({
          message: { id: op.id, sessionId: op.session, senderId: op.sender, role: op.role, timestamp: op.ts, content: op.content },
          creators: [id],
          cell: null,
        });
        this.touched.sessions.add(op.session);
        this.touched.newMessages.add(op.session);
        return;
      }
      case "cell":
        this.applyCell(id, stamp, op);
        this.touched.sessions.add(op.session);
        return;
      case "cellHide":
      case "cellUnhide": {
        const rec = tables.getMemCell(op.cell);
        if (rec === undefined) return;
        const key = op.t === "cellHide" ? "hide" : "unhide";
        const current = rec[key];
        const clock = { wall: stamp.wall, logical: stamp.logical };
        if (current === null || compareHlc(clock, current) > 0) {
          tables.putMemCell({ ...rec, [key]: clock });
          this.touched.sessions.add(rec.sessionId);
        }
        return;
      }
    }
  }

  private applyCell(id: string, stamp: Stamp, op: Extract<MemoryOp, { t: "cell" }>): void {
    const { tables } = this;
    const cellId = memCellId(op.messages);
    const existing = tables.getMemCell(cellId);
    if (existing !== undefined) {
      const next: MemCellRecord = { ...existing, creators: [...new Set([...existing.creators, id])].sort() };
      const earlier = compareStamp(stamp, existing.stamp) < 0;
      if (earlier) Object.assign(next, { title: op.title, content: op.content, summary: op.summary, stamp });
      tables.putMemCell(next);
      if (earlier) this.recomputeSession(op.session);
      return;
    }
    const messages = op.messages.map((m) => tables.getMessage(m)!);
    const record: MemCellRecord = {
      id: cellId,
      sessionId: op.session,
      messageIds: [...op.messages],
      title: op.title,
      content: op.content,
      summary: op.summary,
      senderIds: [...new Set(messages.map((m) => m.message.senderId))],
      startedAt: Math.min(...messages.map((m) => m.message.timestamp)),
      endedAt: Math.max(...messages.map((m) => m.message.timestamp)),
      creators: [id],
      stamp,
      hide: null,
      unhide: null,
      effective: false,
    };
    const holders = new Set(messages.map((m) => m.cell).filter((c): c is string => c !== null));
    if (holders.size === 0) {
      tables.putMemCell({ ...record, effective: true });
      for (const m of op.messages) tables.setMessageCell(m, cellId);
      return;
    }
    tables.putMemCell(record);
    // An earlier effective holder means this one simply loses; otherwise precedence shifts.
    const beaten = [...holders].some((h) => {
      const holder = tables.getMemCell(h);
      return holder !== undefined && byPrecedence(holder, record) < 0;
    });
    if (!beaten) this.recomputeSession(op.session);
  }

  /** The greedy rule from scratch, for one session (only after concurrent segmentations). */
  private recomputeSession(sessionId: string): void {
    const { tables } = this;
    const cells = tables.sessionMemCells(sessionId).sort(byPrecedence);
    const cellOf = new Map<string, string>();
    for (const cell of cells) {
      const effective = cell.messageIds.every((m) => !cellOf.has(m));
      if (effective) for (const m of cell.messageIds) cellOf.set(m, cell.id);
      if (effective !== cell.effective) tables.putMemCell({ ...cell, effective });
    }
    tables.setMessageCells(sessionId, cellOf);
  }
}
