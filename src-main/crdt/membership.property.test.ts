/**
 * Random concurrent histories with membership changes (invites, joins,
 * removals, role changes) and board edits: every replica that receives the
 * same changes, in any order, has the same member list and the same board.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { identityFromSeed } from "./Identity";
import { joinOp } from "./membershipOps";
import { deliver, memberNode, type MemberNode } from "../../test/support/crdt/membershipTestKit";
import { shuffled } from "../../test/support/crdt/testKit";

const stepArb = fc.oneof(
  fc.record({ kind: fc.constant("edit" as const), node: fc.nat(3), arg: fc.nat() }),
  fc.record({ kind: fc.constant("remove" as const), node: fc.nat(3), target: fc.nat(3) }),
  fc.record({ kind: fc.constant("role" as const), node: fc.nat(3), target: fc.nat(3), admin: fc.boolean() }),
  // Inviters are mostly the founder (the only admin at first), so histories grow past one member.
  { arbitrary: fc.record({ kind: fc.constant("invite" as const), node: fc.nat(5).map((n) => (n > 3 ? 0 : n)), target: fc.integer({ min: 1, max: 3 }) }), weight: 3 },
  fc.record({ kind: fc.constant("sync" as const), from: fc.nat(3), to: fc.nat(3) }),
  fc.record({ kind: fc.constant("tick" as const), node: fc.nat(3), ms: fc.integer({ min: 1, max: 5_000 }) }),
);

type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

/** Runs a step; a write refused for membership (the node is not allowed) is simply skipped. */
function run(nodes: MemberNode[], step: Step, invites: Map<number, number>): void {
  const attempt = (fn: () => void): void => {
    try {
      fn();
    } catch {
      /* not a member / not an admin here: the history simply has no such change */
    }
  };
  switch (step.kind) {
    case "edit": {
      const n = nodes[step.node]!;
      const stories = n.replica.stories();
      attempt(() => {
        if (stories.length === 0 || step.arg % 3 === 0) n.board.create({ name: `n${step.node}`, stage: "1_backlog", agent: null });
        else n.board.update(stories[step.arg % stories.length]!.id, { name: `r${step.arg}` });
      });
      break;
    }
    case "remove": {
      const n = nodes[step.node]!;
      const key = nodes[step.target]!.identity.publicKey;
      if (n.membership.isAdmin(n.identity.publicKey) && n.membership.isMember(key)) attempt(() => n.replica.commit([{ t: "remove", key }]));
      break;
    }
    case "role": {
      const n = nodes[step.node]!;
      const key = nodes[step.target]!.identity.publicKey;
      if (n.membership.isAdmin(n.identity.publicKey) && n.membership.isMember(key)) {
        attempt(() => n.replica.commit([{ t: "role", key, role: step.admin ? "admin" : "member" }]));
      }
      break;
    }
    case "invite": {
      // The inviter writes an invite; the target (if it is not a member in its own view) receives it and joins.
      const n = nodes[step.node]!;
      const t = nodes[step.target]!;
      if (!n.membership.isAdmin(n.identity.publicKey)) break;
      const seed = 100 + invites.size;
      const invite = identityFromSeed(new Uint8Array(32).fill(seed));
      invites.set(seed, step.target);
      attempt(() => n.replica.commit([{ t: "invite", key: invite.publicKey, name: `d${step.target}`, role: "member", expires: null }]));
      deliver(n, t);
      if (!t.membership.isMember(t.identity.publicKey)) attempt(() => t.replica.commit([joinOp(invite, t.replica.workspace, t.identity.publicKey)]));
      break;
    }
    case "sync":
      deliver(nodes[step.from]!, nodes[step.to]!);
      break;
    case "tick":
      nodes[step.node]!.clock.t += step.ms;
      break;
  }
}

describe("membership convergence", () => {
  it("replicas holding the same changes have the same members and the same board (150 runs)", { timeout: 120_000 }, () => {
    const seen = { joined: 0, removed: 0 };
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 5, maxLength: 40 }), fc.integer(), (steps, seed) => {
        const nodes = [0, 1, 2, 3].map((i) => memberNode(i));
        nodes[0]!.replica.found();
        const invites = new Map<number, number>();
        for (const step of steps) run(nodes, step, invites);
        const all = nodes.flatMap((n) => n.log);
        // Two fresh replicas get everything in two different orders; the four get the rest.
        const x = memberNode(6);
        const y = memberNode(7);
        x.replica.receiveBatch(shuffled(all, seed));
        y.replica.receiveBatch(shuffled(all, seed ^ 0x5bd1e995));
        for (const n of nodes) n.replica.receiveBatch(shuffled(all, seed + n.i));
        const everyone = [...nodes, x, y];
        const members = JSON.stringify(x.membership.list());
        const state = x.replica.canonicalState();
        const list = x.membership.list();
        if (list.length > 2) seen.joined++;
        if (list.some((m) => m.removed)) seen.removed++;
        for (const n of everyone) {
          expect(n.replica.pendingSize().count).toBe(0);
          expect(JSON.stringify(n.membership.list())).toBe(members);
          expect(n.replica.canonicalState()).toBe(state);
        }
      }),
      { numRuns: 150 },
    );
    // The generator really produces the interesting histories (not only founder-alone runs).
    expect(seen.joined).toBeGreaterThan(10);
    expect(seen.removed).toBeGreaterThan(5);
  });
});
