/**
 * The Automerge baseline of the fresh-device benchmark: the same stories and
 * updates as our change log, one Automerge change per Musher change (a
 * story is a map of its fields; creates, renames, moves, blocks, claims,
 * retries, hides), saved once; what is timed (by the benchmark) is
 * `load` of the saved document — how long an Automerge peer needs to open
 * the same board. Stories sit in 256 buckets by id: Automerge's JS view is
 * immutable, so one flat map of 5,000 stories would be copied on every
 * change (building would take an hour; loading is the same either way).
 */
import * as Automerge from "@automerge/automerge";
import { decodeChange } from "../../src-main/crdt/changeCodec";
import { BENCH_WORKSPACE } from "./generateHistory";

interface StoryDoc {
  n: string;
  st: string;
  r: string;
  a: string | null;
  b: boolean;
  c: number;
  cl: string | null;
  h: boolean;
}
type BoardDoc = { s: Record<string, Record<string, StoryDoc>> };

const bucketOf = (story: string): string => {
  let h = 0;
  for (let i = 0; i < story.length; i++) h = (h * 31 + story.charCodeAt(i)) & 0xff;
  return h.toString(16);
};

/** The saved Automerge document of the same stories and updates as `log`. */
export function automergeBaseline(log: readonly Uint8Array[]): Uint8Array {
  let doc = Automerge.from<BoardDoc>({ s: {} });
  for (const bytes of log) {
    const d = decodeChange(bytes, BENCH_WORKSPACE);
    if (!d.ok) throw new Error(d.reason);
    doc = Automerge.change(doc, (x) => {
      for (const op of d.value.change.ops) {
        if (!("story" in op)) continue;
        const bucket = (x.s[bucketOf(op.story)] ??= {});
        if (op.t === "create") {
          bucket[op.story] = { n: op.name, st: op.stage, r: op.rank, a: op.agent, b: false, c: 0, cl: null, h: false };
          continue;
        }
        const s = bucket[op.story];
        if (!s) continue;
        if (op.t === "name") s.n = op.value;
        else if (op.t === "place") {
          s.st = op.stage;
          s.r = op.rank;
        } else if (op.t === "agent") s.a = op.value;
        else if (op.t === "blocked") s.b = op.value;
        else if (op.t === "count") s.c += op.delta;
        else if (op.t === "claim") s.cl = op.by;
        else if (op.t === "release") s.cl = null;
        else if (op.t === "hide") s.h = true;
        else if (op.t === "unhide") s.h = false;
      }
    });
  }
  return Automerge.save(doc);
}
