/**
 * Helpers shared by the crdt tests and the benchmark: deterministic
 * identities, a hand-driven wall clock, and a logger that records lines.
 * Nothing here is used by production code.
 */
import type { LogFields, Logger } from "../../../src-main/base/Logger";
import { CHANGE_VERSION, type Change, type Op } from "../../../src-main/crdt/Change";
import { signChange } from "../../../src-main/crdt/changeCodec";
import type { Hlc } from "../../../src-main/crdt/Hlc";
import { identityFromSeed, type Identity } from "../../../src-main/crdt/Identity";
import { PipelineBoard } from "../../../src-main/crdt/PipelineBoard";
import { Replica, type PendingLimits } from "../../../src-main/crdt/Replica";

export const TEST_WORKSPACE = "ws-test";

/** Identity i is made from the seed [i+1, i+1, ...]: stable across runs. */
export function testIdentity(i: number): Identity {
  return identityFromSeed(new Uint8Array(32).fill(i + 1));
}

export class ManualClock {
  constructor(public t = 1_000) {}
  readonly now = (): number => this.t;
}

export interface LogLine {
  level: string;
  msg: string;
  fields: LogFields;
}

export function recordingLogger(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  const make = (base: LogFields): Logger & { lines: LogLine[] } => ({
    lines,
    debug: (msg, f) => void lines.push({ level: "debug", msg, fields: { ...base, ...f } }),
    info: (msg, f) => void lines.push({ level: "info", msg, fields: { ...base, ...f } }),
    warn: (msg, f) => void lines.push({ level: "warn", msg, fields: { ...base, ...f } }),
    error: (msg, f) => void lines.push({ level: "error", msg, fields: { ...base, ...f } }),
    child: (f) => make({ ...base, ...f }),
  });
  return make({});
}

export interface TestNode {
  identity: Identity;
  clock: ManualClock;
  replica: Replica;
  board: PipelineBoard;
  logger: Logger & { lines: LogLine[] };
}

/** A replica + board with identity i; story ids are `s<i>-<n>` so tests can name them. */
export function testNode(i: number, opts: { identity?: Identity; pendingLimits?: PendingLimits; t?: number } = {}): TestNode {
  const identity = opts.identity ?? testIdentity(i);
  const clock = new ManualClock(opts.t ?? 1_000);
  const logger = recordingLogger();
  const replica = new Replica({
    workspace: TEST_WORKSPACE,
    signer: identity,
    logger,
    now: clock.now,
    ...(opts.pendingLimits ? { pendingLimits: opts.pendingLimits } : {}),
  });
  let n = 0;
  const board = new PipelineBoard(replica, () => `s${i}-${n++}`);
  return { identity, clock, replica, board, logger };
}

/** Delivers every change `from` has to `to` (in `from`'s application order is not needed: causal delivery sorts it). */
export function syncAll(nodes: readonly TestNode[], log: readonly Uint8Array[]): void {
  for (const node of nodes) node.replica.receiveBatch(log);
}

/**
 * Signs a change built by hand on top of `on`'s current heads — how a
 * Byzantine author bypasses the honest commit path (any claimed clock, any
 * ops). Applies it to `on` (a replica of the same author) and returns the
 * wire bytes. seq follows the rule, so the change is valid unless its ops
 * are not.
 */
export function craftChange(on: Replica, signer: Identity, fields: { clock: Hlc; ops: Op[]; deps?: string[] }): Uint8Array {
  const deps = fields.deps ?? on.heads().sort();
  const seq = (on.authorSeqs().get(signer.publicKey) ?? 0) + 1;
  const change: Change = { v: CHANGE_VERSION, workspace: on.workspace, author: signer.publicKey, seq, deps, clock: fields.clock, ops: fields.ops };
  const signed = signChange(change, signer);
  const result = on.receive(signed.bytes);
  if (result.status !== "applied") throw new Error(`crafted change not applied: ${result.reason ?? result.status}`);
  return signed.bytes;
}

/** A deterministic shuffle driven by a seed (fast-check's, so failures shrink and replay). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed | 1;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = Math.abs(x) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
