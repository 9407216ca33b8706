/**
 * Property: an undo on A and B's edits commute as specified. A edits some
 * fields, B receives that and edits some fields; A undoes either after
 * receiving B's edit ("seen") or apart from it (concurrent). Whatever the
 * delivery order, every replica ends equal, and:
 * - a field only A touched is back to its old value;
 * - a field B wrote that A's undo had SEEN keeps B's value (the undo skipped
 *   it: a later write by someone else is never clobbered);
 * - a field B wrote CONCURRENTLY with the undo holds both values as a
 *   conflict (nothing lost silently), B's among them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { identityFromSeed } from "./Identity";
import { testNode } from "../../test/support/crdt/testKit";

const FIELDS = ["name", "description", "agent", "blocked"] as const;
type Field = (typeof FIELDS)[number];
const ids = [0x51, 0x52, 0x53].map((b) => identityFromSeed(new Uint8Array(32).fill(b)));

const patchOf = (field: Field, tag: string) =>
  field === "name" ? { name: `name-${tag}` } : field === "description" ? { description: `desc-${tag}` } : field === "agent" ? { agent: `agent-${tag}` } : { blocked: tag === "A" };

const read = (s: { name: string; description: string; agent: string | null; blocked: boolean }, f: Field): unknown =>
  f === "name" ? s.name : f === "description" ? s.description : f === "agent" ? s.agent : s.blocked;

describe("undo commutes with remote edits (property)", () => {
  it("A's undo and B's concurrent edits: equal replicas, A-only fields restored, B's later writes kept", () => {
    fc.assert(
      fc.property(fc.subarray([...FIELDS], { minLength: 1 }), fc.subarray([...FIELDS]), fc.boolean(), fc.boolean(), (aFields, bFields, undoFirst, seen) => {
        const [a, b, c] = ids.map((identity, i) => testNode(i, { identity }));
        const log: Uint8Array[] = [];
        for (const n of [a!, b!]) n.replica.onApplied((e) => e.local && log.push(...e.changes));
        const s = a!.board.create({ name: "name-0", stage: "1_backlog", agent: null });
        const before = a!.board.get(s.id);
        a!.clock.t += 10;
        a!.board.update(s.id, Object.assign({}, ...aFields.map((f) => patchOf(f, "A"))));
        b!.replica.receiveBatch(log);
        const mark = log.length;
        a!.clock.t += 10;
        b!.clock.t += 10;
        const undo = () => a!.board.undo();
        const remote = () => bFields.length > 0 && b!.board.update(s.id, Object.assign({}, ...bFields.map((f) => patchOf(f, "B"))));
        if (seen) {
          remote();
          a!.replica.receiveBatch(log);
          undo();
        } else if (undoFirst) {
          undo();
          remote();
        } else {
          remote();
          undo();
        }
        const fresh = log.slice(mark);
        c!.replica.receiveBatch(log.slice(0, mark));
        c!.replica.receiveBatch([...fresh].reverse());
        a!.replica.receiveBatch(log);
        b!.replica.receiveBatch(log);
        const states = [a!, b!, c!].map((n) => n.board.get(s.id));
        for (const st of states) expect(st).toEqual(states[0]);
        const end = states[0]!;
        const valueB = (f: Field): unknown => read({ ...before, ...patchOf(f, "B") } as typeof before, f);
        const conflicted = new Set<string>();
        for (const f of FIELDS) {
          const clash = !seen && aFields.includes(f) && bFields.includes(f) && valueB(f) !== read(before, f);
          if (clash) {
            conflicted.add(f);
            const values = end.conflicts.find((c) => c.field === f)?.values.map((v) => v.value);
            expect(new Set(values)).toEqual(new Set([valueB(f), read(before, f)]));
          } else if (bFields.includes(f)) expect(read(end, f)).toBe(valueB(f));
          else expect(read(end, f)).toBe(read(before, f));
        }
        expect(new Set(end.conflicts.map((c) => c.field))).toEqual(conflicted);
      }),
      { numRuns: 100 },
    );
  });
});
