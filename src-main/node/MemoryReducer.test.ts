/**
 * Memory ops from a peer that does not follow the rules: each is rejected
 * with a reason and changes nothing, and the node keeps working.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Change, Op } from "../crdt/Change";
import { signChange } from "../crdt/changeCodec";
import { testIdentity } from "../../test/support/crdt/testKit";
import { createNode, type MusherNode } from "./createNode";
import { silentLogger } from "../base/Logger";
import { messageId } from "../memory/Message";
import type { Input, Method, Output } from "../../src-shared/contract";
import { callOk } from "../../test/support/callOk";

const nodes: MusherNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
});

const T0 = Date.UTC(2025, 0, 6, 9);

async function setup() {
  const node = await createNode({ dataDir: null, host: "embedded", log: silentLogger, workspaceId: "w_test" });
  nodes.push(node);
  const call = <M extends Method>(method: M, input: Input<M>): Promise<Output<M>> => callOk(node, method, input);
  const session = await call("session/create", { title: "s" });
  await call("session/addMessages", { sessionId: session.id, messages: [{ senderId: "a", role: "user", timestamp: T0, content: "hello" }] });
  const other = await call("session/create", { title: "other" });
  await call("session/addMessages", { sessionId: other.id, messages: [{ senderId: "a", role: "user", timestamp: T0, content: "elsewhere" }] });
  const evil = testIdentity(9);
  let seq = 0;
  /** A validly signed change from a stranger, on top of the node's heads. */
  const forge = (ops: Op[]) => {
    const heads = node.replica.heads();
    const change: Change = { v: 1, workspace: "w_test", author: evil.publicKey, seq: ++seq, deps: heads, clock: { wall: Date.now() + 1_000, logical: seq }, ops };
    seq--; // a rejected change does not advance the stranger's chain
    return signChange(change, evil).bytes;
  };
  return { node, call, session, other, forge };
}

describe("memory ops from a misbehaving peer", () => {
  it("rejects each with a reason and leaves the state unchanged", async () => {
    const { node, call, session, other, forge } = await setup();
    const hello = messageId(session.id, { senderId: "a", role: "user", timestamp: T0, content: "hello" }, 0);
    const elsewhere = messageId(other.id, { senderId: "a", role: "user", timestamp: T0, content: "elsewhere" }, 0);
    const before = { heads: node.replica.heads(), buffer: await call("session/buffer", { sessionId: session.id }) };
    const cases: [string, Op[], RegExp][] = [
      ["a message whose id does not match its content", [{ t: "msg", session: session.id, id: hello, sender: "a", role: "user", ts: T0, content: "HELLO (rewritten)", occ: 0 }], /does not match/],
      ["a message in a session that does not exist", [{ t: "msg", session: "ses_nope", id: messageId("ses_nope", { senderId: "a", role: "user", timestamp: 1, content: "x" }, 0), sender: "a", role: "user", ts: 1, content: "x", occ: 0 }], /not in causal past/],
      ["a memcell over a message it never saw", [{ t: "cell", session: session.id, messages: [messageId(session.id, { senderId: "a", role: "user", timestamp: 5, content: "ghost" }, 0)], title: "t", content: "c", summary: null }], /not in causal past/],
      ["a memcell over another session's message", [{ t: "cell", session: session.id, messages: [hello, elsewhere], title: "t", content: "c", summary: null }], /not in session/],
      ["a memcell listing a message twice", [{ t: "cell", session: session.id, messages: [hello, hello], title: "t", content: "c", summary: null }], /twice/],
      ["a second create of an existing session", [{ t: "session", session: session.id, title: "hijack", storyId: null, createdAt: 1 }], /already exists/],
      ["a hide of a memcell that does not exist", [{ t: "cellHide", cell: "c_00000000000000000000000000000000" }], /not in causal past/],
      ["a takeover of a session that does not exist", [{ t: "segmenter", session: "ses_nope" }], /not in causal past/],
    ];
    for (const [what, ops, reason] of cases) {
      const r = node.replica.receive(forge(ops));
      expect({ what, status: r.status }).toEqual({ what, status: "rejected" });
      expect(r.reason).toMatch(reason);
    }
    expect(node.replica.heads()).toEqual(before.heads);
    expect(await call("session/buffer", { sessionId: session.id })).toEqual(before.buffer);
    expect(await call("session/list", {})).toHaveLength(2);
    // A well-formed change from the same stranger still applies.
    expect(node.replica.receive(forge([{ t: "session", session: "ses_fine", title: "ok", storyId: null, createdAt: 2 }])).status).toBe("applied");
  });
});
