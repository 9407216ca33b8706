/**
 * Convergence properties: N replicas (2–5) run random API calls of every
 * kind against their local state while changes flow between them in random
 * order, with duplicates, delays and drops; after everything is redelivered
 * every replica's canonicalState() is byte-identical.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../src-shared/ApiError";
import { STAGES } from "../../src-shared/stages";
import { identityFromSeed, type Identity } from "./Identity";
import { isDeleted } from "./StoryRecord";
import { shuffled, testNode, type TestNode } from "../../test/support/crdt/testKit";

// Keys are made once: property runs must stay fast.
const IDENTITIES: Identity[] = Array.from({ length: 5 }, (_, i) => identityFromSeed(new Uint8Array(32).fill(0x40 + i)));

const KINDS = ["create", "name", "desc", "agent", "blocked", "deps", "move", "retry", "claim", "release", "hide", "unhide", "delete", "restore", "undo", "redo"] as const;

const stepArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
    kind: fc.constant("op" as const),
    node: fc.nat(),
    op: fc.constantFrom(...KINDS),
    pick: fc.nat(),
    arg: fc.nat(),
    advance: fc.integer({ min: 0, max: 400_000 }),
  }),
  },
  // Deliver one change from the global log to one node (possibly again: a duplicate).
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("deliver" as const), node: fc.nat(), pick: fc.nat() }) },
);

function runOp(node: TestNode, op: (typeof KINDS)[number], pick: number, arg: number): void {
  const live = node.replica
    .stories()
    .filter((s) => !isDeleted(s))
    .map((s) => s.id)
    .sort();
  if (op === "undo") return void node.board.undo();
  if (op === "redo") return void node.board.redo();
  if (op === "restore") {
    const gone = node.replica.stories().filter(isDeleted);
    if (gone.length > 0) node.board.restore(gone[pick % gone.length]!.id);
    return;
  }
  if (op === "create" || live.length === 0) {
    node.board.create({ name: `n${arg}`, stage: STAGES[arg % STAGES.length]!.id, agent: arg % 2 ? null : `a${arg % 3}` });
    return;
  }
  const id = live[pick % live.length]!;
  try {
    switch (op) {
      case "name":
        node.board.update(id, { name: `name${arg}` });
        break;
      case "desc":
        node.board.update(id, { description: `d${arg % 5}` });
        break;
      case "agent":
        node.board.update(id, { agent: arg % 3 === 0 ? null : `agent${arg % 4}` });
        break;
      case "blocked":
        node.board.update(id, { blocked: arg % 2 === 0 });
        break;
      case "deps":
        node.board.update(id, { dependsOn: live.filter((_, i) => (arg >> i) & 1) });
        break;
      case "move":
        node.board.move(id, STAGES[arg % STAGES.length]!.id, arg % 4 === 0 ? undefined : arg % 3);
        break;
      case "retry":
        node.board.retry(id);
        break;
      case "claim":
        node.board.claim(id, `claimant${arg % 3}`);
        break;
      case "release":
        node.board.release(id);
        break;
      case "hide":
        node.board.hide(id);
        break;
      case "unhide":
        node.board.unhide(id);
        break;
      case "delete":
        node.board.delete(id);
        break;
    }
  } catch (err) {
    if (!(err instanceof ApiFailure && err.code === "conflict")) throw err;
  }
}

describe("convergence", () => {
  it("replicas holding the same changes have byte-identical state (200 runs)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.array(stepArb, { minLength: 8, maxLength: 40, size: "max" }),
        fc.integer(),
        fc.integer({ min: 0, max: 3 }),
        (n, steps, seed, dropEvery) => {
          const nodes = Array.from({ length: n }, (_, i) => testNode(i, { identity: IDENTITIES[i]! }));
          const log: Uint8Array[] = [];
          nodes.forEach((node) => node.replica.onApplied((e) => e.local && log.push(...e.changes)));
          for (const step of steps) {
            const node = nodes[step.node % n]!;
            if (step.kind === "op") {
              node.clock.t += step.advance;
              runOp(node, step.op, step.pick, step.arg);
            } else if (log.length > 0) {
              const r = node.replica.receive(log[step.pick % log.length]!);
              expect(r.status).not.toBe("rejected");
            }
          }
          // Lossy round (some changes dropped), then a full shuffled redelivery with duplicates.
          nodes.forEach((node, i) => {
            const lossy = shuffled(log, seed + i).filter((_, k) => dropEvery === 0 || k % (dropEvery + 1) !== 0);
            for (const bytes of lossy) expect(node.replica.receive(bytes).status).not.toBe("rejected");
            for (const bytes of shuffled([...log, ...log], seed ^ (i + 7))) node.replica.receive(bytes);
          });
          if (process.env.CRDT_STATS) console.log("stats", n, log.length, nodes[0]!.replica.stories().length);
          const states = nodes.map((node) => node.replica.canonicalState());
          for (const s of states) expect(s).toBe(states[0]);
          for (const node of nodes) expect(node.replica.pendingSize().count).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("delivery order alone never changes the result (200 runs)", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 8, maxLength: 30, size: "max" }), fc.integer(), fc.integer(), (steps, s1, s2) => {
        const authors = Array.from({ length: 3 }, (_, i) => testNode(i, { identity: IDENTITIES[i]! }));
        const log: Uint8Array[] = [];
        authors.forEach((node) => node.replica.onApplied((e) => e.local && log.push(...e.changes)));
        for (const step of steps) {
          const node = authors[step.node % 3]!;
          if (step.kind === "op") {
            node.clock.t += step.advance;
            runOp(node, step.op, step.pick, step.arg);
          } else if (log.length > 0) node.replica.receive(log[step.pick % log.length]!);
        }
        const x = testNode(3, { identity: IDENTITIES[3]! });
        const y = testNode(4, { identity: IDENTITIES[4]! });
        for (const bytes of shuffled(log, s1)) x.replica.receive(bytes);
        y.replica.receiveBatch(shuffled([...log, ...log.slice(0, 3)], s2));
        expect(y.replica.canonicalState()).toBe(x.replica.canonicalState());
      }),
      { numRuns: 200 },
    );
  });
});
