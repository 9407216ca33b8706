/**
 * Property (design invariants 1, 2 and 8): for random histories mixing
 * honest edits with a Byzantine author who equivocates (two replicas with
 * one key) and claims extreme clocks, every honest replica can always commit
 * a local write, and all replicas converge once they hold the same changes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STAGES } from "../../src-shared/stages";
import type { Hlc } from "./Hlc";
import { identityFromSeed } from "./Identity";
import { PipelineBoard } from "./PipelineBoard";
import { craftChange, testNode, type TestNode } from "../../test/support/crdt/testKit";

const IDS = Array.from({ length: 4 }, (_, i) => identityFromSeed(new Uint8Array(32).fill(0x60 + i)));
const CLOCKS: Hlc[] = [
  { wall: Number.MAX_SAFE_INTEGER, logical: 0xffff_ffff },
  { wall: 0, logical: 0 },
  { wall: 1_000, logical: 0xffff_ffff },
  { wall: 7_000_000, logical: 3 },
];

const stepArb = fc.oneof(
  fc.record({ kind: fc.constant("honest" as const), node: fc.nat(2), story: fc.nat(), arg: fc.nat(), advance: fc.integer({ min: 0, max: 100_000 }) }),
  fc.record({ kind: fc.constant("byzantine" as const), branch: fc.nat(1), story: fc.nat(), clock: fc.nat(CLOCKS.length - 1), create: fc.boolean() }),
  fc.record({ kind: fc.constant("deliver" as const), to: fc.nat(4), pick: fc.nat() }),
);

function liveStories(node: TestNode): string[] {
  return node.replica
    .stories()
    .filter((s) => s.deleted === null)
    .map((s) => s.id)
    .sort();
}

describe("Byzantine histories", () => {
  it("honest replicas stay writable and everyone converges (150 runs)", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 10, maxLength: 50 }), fc.integer(), (steps, seed) => {
        const honest = [0, 1, 2].map((i) => testNode(i, { identity: IDS[i]! }));
        const branches = [testNode(3, { identity: IDS[3]! }), testNode(4, { identity: IDS[3]! })];
        const everyone = [...honest, ...branches];
        const log: Uint8Array[] = [];
        everyone.forEach((n) => n.replica.onApplied((e) => e.local && log.push(...e.changes)));
        let crafted = 0;
        for (const step of steps) {
          if (step.kind === "honest") {
            const node = honest[step.node]!;
            node.clock.t += step.advance;
            const live = liveStories(node);
            // Never throws: whatever the Byzantine author did, a local write is possible.
            if (live.length === 0 || step.arg % 3 === 0) node.board.create({ name: `h${step.arg}`, stage: "1_backlog", agent: null });
            else if (step.arg % 3 === 1) node.board.update(live[step.story % live.length]!, { name: `n${step.arg}` });
            else node.board.move(live[step.story % live.length]!, STAGES[step.arg % STAGES.length]!.id);
          } else if (step.kind === "byzantine") {
            const b = branches[step.branch]!;
            const live = liveStories(b);
            const ops =
              step.create || live.length === 0
                ? [{ t: "create" as const, story: `b${crafted}`, name: "evil", stage: "2_current" as const, rank: "a0", agent: null }]
                : [{ t: "name" as const, story: live[step.story % live.length]!, value: `evil${crafted}` }];
            crafted++;
            log.push(craftChange(b.replica, b.identity, { clock: CLOCKS[step.clock]!, ops }));
          } else if (log.length > 0) {
            everyone[step.to]!.replica.receive(log[(step.pick + seed) % log.length]!);
          }
        }
        for (const node of everyone) node.replica.receiveBatch(log);
        const states = everyone.map((n) => n.replica.canonicalState());
        for (const s of states) expect(s).toBe(states[0]);
        // Still writable after seeing everything, and still convergent.
        for (const node of honest) node.board.create({ name: "after", stage: "3_qa", agent: null });
        for (const node of everyone) node.replica.receiveBatch(log);
        const after = everyone.map((n) => n.replica.canonicalState());
        for (const s of after) expect(s).toBe(after[0]);
        for (const node of everyone) expect(node.replica.pendingSize().count).toBe(0);
        // The board view patched through the whole history equals one folded fresh from the records.
        for (const node of honest) expect(node.board.board({ includeHidden: true })).toEqual(new PipelineBoard(node.replica).board({ includeHidden: true }));
      }),
      { numRuns: 150 },
    );
  });
});
