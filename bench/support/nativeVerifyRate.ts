/**
 * The floor every ingest benchmark is compared with: raw node:crypto Ed25519
 * verifies over the given changes' signatures, one by one (keys prepared and
 * bodies decoded outside the clock).
 */
import { createPublicKey, verify as nodeVerify, type KeyObject } from "node:crypto";
import { decodeChange } from "../../src-main/crdt/changeCodec";
import { BENCH_WORKSPACE } from "./generateHistory";

const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** Milliseconds node:crypto takes to verify every signature of `log`. */
export function nativeVerifyMs(log: readonly Uint8Array[], workspace = BENCH_WORKSPACE): number {
  const keys = new Map<string, KeyObject>();
  const items = log.map((bytes) => {
    const d = decodeChange(bytes, workspace);
    if (!d.ok) throw new Error(d.reason);
    const author = d.value.change.author;
    if (!keys.has(author)) keys.set(author, createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(author, "hex")]), format: "der", type: "spki" }));
    return { sig: d.value.sig, msg: Buffer.from(d.value.id, "hex"), key: keys.get(author)! };
  });
  const start = performance.now();
  for (const it of items) if (!nodeVerify(null, it.msg, it.key, it.sig)) throw new Error("bad sig");
  return performance.now() - start;
}

/** Verifies per second over (up to 20,000 of) the given changes' signatures. */
export function nativeVerifyRate(log: Uint8Array[], workspace = BENCH_WORKSPACE): number {
  const sample = log.slice(0, 20_000);
  return sample.length / (nativeVerifyMs(sample, workspace) / 1000);
}
