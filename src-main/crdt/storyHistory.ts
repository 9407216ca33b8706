/**
 * `story/history`: what each change in a story's log did to it, newest
 * first, in words ("moved QA → Merge"). Derived on read from the signed
 * changes the record's `log` names (never stored as text), so it is the same
 * on every replica holding the same changes. "From" values (the stage a move
 * left, the old name) come from the previous entry in effective-clock order;
 * for the oldest entry of the window they are unknown and left out.
 */
import type { HistoryEntry } from "../../src-shared/Story";
import { STAGES } from "../../src-shared/stages";
import type { Change, StoryOp } from "./Change";
import type { StoryRecord } from "./StoryRecord";

const stageName = (id: string): string => STAGES.find((s) => s.id === id)?.name ?? id;
const quote = (s: string): string => `'${s.length > 60 ? `${s.slice(0, 57)}…` : s}'`;

interface Before {
  stage: string | null;
  name: string | null;
}

function describe(op: StoryOp, before: Before): string {
  switch (op.t) {
    case "create":
      return `created ${quote(op.name)} in ${stageName(op.stage)}`;
    case "name":
      return before.name !== null && before.name !== op.value ? `renamed ${quote(before.name)} → ${quote(op.value)}` : `renamed to ${quote(op.value)}`;
    case "desc":
      return op.value === "" ? "cleared the description" : "edited the description";
    case "agent":
      return op.value === null ? "cleared the agent" : `set agent ${quote(op.value)}`;
    case "blocked":
      return op.value ? "marked blocked" : "unblocked";
    case "place":
      if (before.stage === op.stage) return `reordered in ${stageName(op.stage)}`;
      return before.stage !== null ? `moved ${stageName(before.stage)} → ${stageName(op.stage)}` : `moved to ${stageName(op.stage)}`;
    case "count":
      return op.delta > 0 ? `retried (+${op.delta})` : `retry count ${op.delta}`;
    case "deps": {
      const parts: string[] = [];
      if (op.add.length > 0) parts.push(`added ${op.add.length} dependenc${op.add.length === 1 ? "y" : "ies"}`);
      if (op.remove.length > 0) parts.push("removed dependencies");
      return parts.join(", ") || "dependencies unchanged";
    }
    case "claim":
      return `claimed by ${quote(op.by)}`;
    case "release":
      return "released";
    case "hide":
      return "hid";
    case "unhide":
      return "unhid";
    case "delete":
      return "deleted";
    case "undelete":
      return "restored";
  }
}

/** `load(id)` returns an applied change's body (undefined if gone: that entry is skipped). */
export function storyHistory(rec: StoryRecord, load: (changeId: string) => Change | undefined): HistoryEntry[] {
  const log = rec.log ?? [];
  const entries: HistoryEntry[] = [];
  const before: Before = { stage: null, name: null };
  for (let i = log.length - 1; i >= 0; i--) {
    const stamp = log[i]!;
    const change = load(stamp.id);
    if (!change) continue;
    const words: string[] = [];
    for (const op of change.ops) {
      if (!("story" in op) || op.story !== rec.id) continue;
      words.push(describe(op, before));
      if (op.t === "create") Object.assign(before, { stage: op.stage, name: op.name });
      if (op.t === "place") before.stage = op.stage;
      if (op.t === "name") before.name = op.value;
    }
    if (words.length === 0) continue;
    entries.push({ changeId: stamp.id, author: stamp.author, at: stamp.wall, summary: words.join(", ") });
  }
  return entries.reverse();
}
