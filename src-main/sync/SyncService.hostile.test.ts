import { afterEach, describe, expect, it } from "vitest";
import { signChange } from "../crdt/changeCodec";
import { Replica } from "../crdt/Replica";
import { recordingLogger, testIdentity, TEST_WORKSPACE } from "../../test/support/crdt/testKit";
import { hostilePeer } from "../../test/support/sync/hostilePeer";
import { packChanges } from "./SyncFrame";
import { SyncCloseCode } from "./SyncCloseCode";
import { SyncService } from "./SyncService";
import { converged, serveSync, syncNode, type SyncTestNode, type TestServer } from "../../test/support/sync/syncTestKit";
import { waitFor } from "../../test/support/waitFor";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function target(opts: Parameters<typeof syncNode>[1] = {}): Promise<{ node: SyncTestNode; server: TestServer; state: string }> {
  const node = syncNode(0, opts);
  node.board.create({ name: "existing", stage: "1_backlog", agent: null });
  const server = await serveSync(node.sync.handleUpgrade);
  cleanup.push(() => node.sync.close(), () => server.close());
  return { node, server, state: node.replica.canonicalState() };
}

/** After an attack: the state is unchanged and an honest peer still syncs. */
async function stillServing(node: SyncTestNode, server: TestServer, state: string): Promise<void> {
  expect(node.replica.canonicalState()).toBe(state);
  const honest = syncNode(7);
  cleanup.push(() => honest.sync.close());
  honest.sync.connect(server.url);
  await waitFor(() => converged([node, honest]), "honest peer converges", 5_000);
}

function closeLogged(node: SyncTestNode, code: number): boolean {
  return node.logger.lines.some((l) => l.msg === "sync: closing link" && l.fields.code === code);
}

describe("hostile input on the endpoint", () => {
  const cases: [string, (p: Awaited<ReturnType<typeof hostilePeer>>) => void, number][] = [
    ["garbage text", (p) => p.ws.send("hello?"), SyncCloseCode.badFrame],
    ["garbage binary", (p) => p.ws.send(Buffer.from([3, 2, 0, 0, 0, 9, 1, 2, 3])), SyncCloseCode.badFrame],
    ["an unknown frame type", (p) => p.ws.send(Buffer.from([3, 9, 1])), SyncCloseCode.badFrame],
    ["an unknown envelope version", (p) => p.ws.send(Buffer.from([7, 1, 123, 125])), SyncCloseCode.unsupportedVersion],
    ["an oversize frame", (p) => p.ws.send(Buffer.alloc(1024 * 1024 + 1, 1)), SyncCloseCode.tooBig],
    ["a bad control message", (p) => p.ws.send(Buffer.from([3, 1, ...Buffer.from('{"t":"auth","x":1}')])), SyncCloseCode.badFrame],
  ];
  for (const [name, attack, code] of cases) {
    it(`rejects ${name} with close ${code}`, async () => {
      const { node, server, state } = await target();
      const p = await hostilePeer(server.url);
      await p.hello();
      attack(p);
      expect((await p.closed).code).toBe(code);
      expect(closeLogged(node, code)).toBe(true);
      await stillServing(node, server, state);
    });
  }

  it("rejects a forged handshake signature (4003)", async () => {
    const { node, server, state } = await target();
    const p = await hostilePeer(server.url);
    const auth = await p.auth(testIdentity(5), TEST_WORKSPACE);
    p.control({ ...auth, sig: "11".repeat(64) });
    expect((await p.closed).code).toBe(SyncCloseCode.authFailed);
    expect(closeLogged(node, SyncCloseCode.authFailed)).toBe(true);
    await stillServing(node, server, state);
  });

  it("rejects a replayed handshake: the server's nonce is fresh (4003)", async () => {
    const { node, server, state } = await target();
    const first = await hostilePeer(server.url);
    const auth = await first.auth(testIdentity(5), TEST_WORKSPACE);
    first.control(auth);
    await waitFor(() => node.sync.status().online, "first handshake", 2_000);
    first.ws.close();
    const replay = await hostilePeer(server.url);
    await replay.hello();
    replay.control(auth);
    expect((await replay.closed).code).toBe(SyncCloseCode.authFailed);
    await stillServing(node, server, state);
  });

  it("rejects a wrong-workspace peer in both directions (4002)", async () => {
    const { node, server, state } = await target();
    const p = await hostilePeer(server.url);
    p.control(await p.auth(testIdentity(5), "another-workspace"));
    expect((await p.closed).code).toBe(SyncCloseCode.wrongWorkspace);
    // A node of another workspace dialing in refuses the server's hello itself.
    const id = testIdentity(6);
    const log = recordingLogger();
    const other = new SyncService({ replica: new Replica({ workspace: "another-workspace", signer: id, logger: log }), identity: id, log, limits: { backoffBaseMs: 5_000 } });
    cleanup.push(() => other.close());
    other.connect(server.url);
    await waitFor(() => log.lines.some((l) => l.msg === "sync: rendezvous connection failed" && l.fields.code === SyncCloseCode.wrongWorkspace), "refusal", 3_000);
    await stillServing(node, server, state);
  });

  it("refuses an untrusted key and applies nothing it pipelined (4004)", async () => {
    const honest = testIdentity(7);
    const { node, server, state } = await target({ trustedKeys: [honest.publicKey] });
    const evil = testIdentity(5);
    const p = await hostilePeer(server.url);
    p.control(await p.auth(evil, TEST_WORKSPACE));
    const change = signChange({ v: 1, workspace: TEST_WORKSPACE, author: evil.publicKey, seq: 1, deps: [], clock: { wall: 1, logical: 0 }, ops: [{ t: "create", story: "evil", name: "evil", stage: "1_backlog", rank: "a0", agent: null }] }, evil);
    p.ws.send(packChanges([change.bytes], 1 << 20).frames[0]!);
    expect((await p.closed).code).toBe(SyncCloseCode.untrusted);
    expect(node.replica.story("evil")).toBeUndefined();
    await stillServing(node, server, state);
  });

  it("rejects a change with a tampered hash, logs it, keeps serving", async () => {
    const { node, server, state } = await target();
    const id = testIdentity(5);
    const p = await hostilePeer(server.url);
    p.control(await p.auth(id, TEST_WORKSPACE));
    const change = signChange({ v: 1, workspace: TEST_WORKSPACE, author: id.publicKey, seq: 1, deps: [], clock: { wall: 1, logical: 0 }, ops: [{ t: "create", story: "tamper", name: "honest", stage: "1_backlog", rank: "a0", agent: null }] }, id);
    const tampered = Buffer.from(change.bytes);
    tampered.write("evilst", tampered.indexOf("honest"), "utf8"); // same length, still canonical: only the hash changes
    p.ws.send(packChanges([tampered], 1 << 20).frames[0]!);
    await waitFor(() => node.logger.lines.some((l) => l.msg === "sync: change from peer rejected" && l.fields.reason === "bad signature"), "reject log", 3_000);
    expect(node.replica.story("tamper")).toBeUndefined();
    await stillServing(node, server, state);
  });
});
