/**
 * The worker pool answers exactly as the in-thread pinned verifier, and a
 * replica that checks signatures in workers decides every change of a
 * hostile batch as one that checks them in its own thread.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Ed25519Verifier } from "./Ed25519Verifier";
import { MemoryReplicaStore } from "./MemoryReplicaStore";
import { Replica } from "./Replica";
import { VerifyPool } from "./VerifyPool";
import { recordingLogger, TEST_WORKSPACE, testIdentity, testNode } from "../../test/support/crdt/testKit";

const pool = new VerifyPool({ size: 2 });
afterAll(() => pool.close());

const L = Buffer.from("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010", "hex");

describe("VerifyPool", () => {
  it("agrees with Ed25519Verifier on valid, broken, malleable and small-order inputs", async () => {
    const id = testIdentity(0);
    const msg = Buffer.from("a message");
    const sig = id.sign(msg);
    const key = Buffer.from(id.publicKey, "hex");
    const flipped = Uint8Array.from(sig);
    flipped[5] = flipped[5]! ^ 1;
    // S + L: the same signature, malleated (OpenSSL rejects it too, the precheck first).
    const malleable = Uint8Array.from(sig);
    let carry = 0;
    for (let i = 0; i < 32; i++) {
      const v = malleable[32 + i]! + L[i]! + carry;
      malleable[32 + i] = v & 0xff;
      carry = v >> 8;
    }
    const smallOrderKey = new Uint8Array(32);
    smallOrderKey[0] = 1; // the identity point
    const cases = [
      { sig, msg, key },
      { sig: flipped, msg, key },
      { sig: malleable, msg, key },
      { sig, msg: Buffer.from("another"), key },
      { sig, msg, key: smallOrderKey },
      { sig: sig.subarray(0, 63), msg, key },
    ];
    const inThread = new Ed25519Verifier();
    const expected = cases.map((c) => inThread.verify(c.sig, c.msg, Buffer.from(c.key).toString("hex")));
    expect(expected).toEqual([true, false, false, false, false, false]);
    expect(await pool.verifyMany(cases)).toEqual(expected);
  });

  it("a replica verifying in workers decides a hostile batch as one verifying in-thread", async () => {
    const a = testNode(0);
    const log: Uint8Array[] = [];
    a.replica.onApplied((e) => log.push(...e.changes));
    for (let k = 0; k < 40; k++) a.board.create({ name: `a${k}`, stage: "1_backlog", agent: null });
    const hostile = log.map((b, i) => {
      if (i % 7 !== 3 && i !== log.length - 1) return b;
      const c = Uint8Array.from(b);
      c[1] = c[1]! ^ 1;
      return c;
    });
    const make = (withPool: boolean): Replica =>
      new Replica({ workspace: TEST_WORKSPACE, signer: testIdentity(9), logger: recordingLogger(), store: new MemoryReplicaStore(), ...(withPool ? { verifyPool: pool } : {}) });
    const plain = make(false).receiveBatch(hostile).map((r) => r.status);
    const pooled = make(true);
    const viaPool = (await pooled.receiveBatchAsync(hostile)).map((r) => r.status);
    expect(viaPool).toEqual(plain);
    // Only the last two (38 and 39 are broken, nothing valid after them vouches); the earlier broken ones are vouched by a later valid one.
    expect(plain.map((s, i) => (s === "rejected" ? i : -1)).filter((i) => i >= 0)).toEqual([38, 39]);
    expect(pooled.signaturesChecked()).toBeGreaterThan(1);
  });

  it("starts its workers on start(), once, and never after close()", async () => {
    const early = new VerifyPool({ size: 2 });
    expect(early.running).toBe(0); // nothing before it is needed
    early.start();
    early.start();
    expect(early.running).toBe(2);
    const id = testIdentity(1);
    const msg = Buffer.from("started early");
    expect(await early.verifyMany([{ sig: id.sign(msg), msg, key: Buffer.from(id.publicKey, "hex") }])).toEqual([true]);
    expect(early.running).toBe(2); // the request used them, it did not spawn more
    await early.close();
    early.start();
    expect(early.running).toBe(0);
  });
});
