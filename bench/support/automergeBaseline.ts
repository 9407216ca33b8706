/**
 * The Automerge baseline of the fresh-device benchmark: the same stories and
 * updates as our change log, one Automerge change per Musher change (a
 * story is a map of its fields; creates, renames, moves, blocks, claims,
 * retries, hides), saved once; what is timed is `load` of the saved
 * document — how long an Automerge peer needs to open the same board.
 */
import * as Automerge from "@automerge/automerge";
import { decodeChange } from "../../src-main/crdt/changeCodec";

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
type BoardDoc = { s: Record<string, StoryDoc> };

export function automergeBaseline(log: readonly Uint8Array[]): { changes: number; savedBytes: number; buildMs: number; loadMs: number; stories: number } {
  const start = performance.now();
  let doc = Automerge.from<BoardDoc>({ s: {} });
  for (const bytes of log) {
    const d = decodeChange(bytes);
    if (!d.ok) throw new Error(d.reason);
    doc = Automerge.change(doc, (x) => {
      for (const op of d.value.change.ops) {
        if (!("story" in op)) continue;
        if (op.t === "create") {
          x.s[op.story] = { n: op.name, st: op.stage, r: op.rank, a: op.agent, b: false, c: 0, cl: null, h: false };
          continue;
        }
        const s = x.s[op.story];
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
  const saved = Automerge.save(doc);
  const buildMs = performance.now() - start;
  const loadStart = performance.now();
  const loaded = Automerge.load<BoardDoc>(saved);
  const stories = Object.keys(loaded.s).length;
  const loadMs = performance.now() - loadStart;
  return { changes: Automerge.getAllChanges(loaded).length, savedBytes: saved.length, buildMs, loadMs, stories };
}
