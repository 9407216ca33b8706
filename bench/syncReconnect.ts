/**
 * Sync reconnect benchmark, over real WebSockets on 127.0.0.1.
 *
 * Two replicas share a history of 50,000 changes (two authors editing
 * concurrently, merging every 250 changes, as in crdtIngest). One side goes
 * offline, each side makes 10 changes, then they reconnect:
 * - this protocol (seq-vector reconciliation, src-main/sync): bytes on the
 *   wire each way, round trips (direction switches of the traffic after the
 *   socket opened), time until both have equal heads;
 * - the seed's first protocol (full history dump both ways on connect),
 *   measured in the same run over the same kind of socket: bytes and time.
 * Then edit-to-visible latency on a connected peer over ~200 edits.
 * Then a fresh device joining: planning its catch-up of the whole history
 * (the longest event-loop block of the sliced plan, against the same plan
 * computed in one block in the same run), and the catch-up itself (time,
 * rate, and the longest block in this process, which runs both sides).
 *
 * Run: node --import tsx bench/syncReconnect.ts   (one JSON line per benchmark)
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { identityFromSeed } from "../src-main/crdt/Identity";
import { PipelineBoard } from "../src-main/crdt/PipelineBoard";
import { Replica } from "../src-main/crdt/Replica";
import { silentLogger } from "../src-main/base/Logger";
import { packChanges, decodeSyncFrame } from "../src-main/sync/SyncFrame";
import { SyncService } from "../src-main/sync/SyncService";
import type { PeerSocketListener } from "../src-main/sync/PeerSocket";
import { dialPeerSocket, PeerSocketServer } from "../src-main/sync/WsPeerSocket";
import { planCatchUp } from "../src-main/sync/planCatchUp";
import { TimeSlicer } from "../src-main/sync/TimeSlicer";
import { blockProbe } from "./support/blockProbe";
import { STAGES } from "../src-shared/stages";
import { waitFor } from "../test/support/waitFor";

const TOTAL = 50_000;
const NEW_EACH_SIDE = 10;
const EDITS = 200;
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const WORKSPACE = "bench";

interface BenchNode {
  replica: Replica;
  board: PipelineBoard;
  identity: ReturnType<typeof identityFromSeed>;
  ids: string[];
}

function makeNode(i: number): BenchNode {
  let t = 1_700_000_000_000;
  const identity = identityFromSeed(new Uint8Array(32).fill(0x10 + i));
  const replica = new Replica({ workspace: WORKSPACE, signer: identity, logger: silentLogger, now: () => (t += 7) });
  let n = 0;
  return { replica, board: new PipelineBoard(replica, () => `b${i}-${n++}`), identity, ids: [] };
}

/** Both nodes end holding the same 50,000 changes; returns every change's bytes. */
function generate(a: BenchNode, b: BenchNode): Uint8Array[] {
  const nodes = [a, b];
  const log: Uint8Array[] = [];
  let shipped = 0;
  nodes.forEach((n) => n.replica.onApplied((e) => e.local && log.push(...e.changes)));
  let x = 12345;
  const rnd = (m: number): number => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x % m);
  for (let i = 0; log.length < TOTAL; i++) {
    const node = nodes[i % 2]!;
    const r = rnd(100);
    if (node.ids.length < 20 || r < 10) {
      const id = `g${i % 2}-${i}`;
      const rank = "a" + DIGITS[rnd(62)]! + DIGITS[1 + rnd(61)]!;
      node.replica.commit([{ t: "create", story: id, name: `story ${i}`, stage: STAGES[rnd(STAGES.length)]!.id, rank, agent: null }]);
      node.ids.push(id);
    } else {
      const id = node.ids[rnd(node.ids.length)]!;
      if (r < 40) node.replica.commit([{ t: "place", story: id, stage: STAGES[rnd(STAGES.length)]!.id, rank: "a" + DIGITS[rnd(62)]! + DIGITS[1 + rnd(61)]! }]);
      else if (r < 60) node.board.update(id, { name: `renamed ${i}` });
      else if (r < 75) node.board.retry(id);
      else node.board.update(id, { blocked: r % 2 === 0 });
    }
    if (i % 250 === 249 || log.length >= TOTAL) {
      const batch = log.slice(shipped);
      nodes.forEach((n) => n.replica.receiveBatch(batch));
      shipped = log.length;
    }
  }
  return log;
}

interface Traced {
  server: Server;
  url: string;
  /** Chunks seen on the server's sockets: direction and size, in order. */
  trace: { dir: "up" | "down"; bytes: number }[];
  close(): Promise<void>;
}

async function tracedServer(onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): Promise<Traced> {
  const trace: Traced["trace"] = [];
  const sockets = new Set<Duplex>();
  const server = createServer();
  server.on("upgrade", (req, socket, head) => {
    sockets.add(socket);
    socket.on("data", (b: Buffer) => trace.push({ dir: "up", bytes: b.length }));
    const write = socket.write.bind(socket);
    socket.write = ((chunk: Buffer | string, ...rest: never[]) => {
      trace.push({ dir: "down", bytes: typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length });
      return write(chunk, ...rest);
    }) as typeof socket.write;
    onUpgrade(req, socket, head);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    server,
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/sync`,
    trace,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function summarize(trace: Traced["trace"]): { up: number; down: number; flights: number; roundTrips: number } {
  let up = 0;
  let down = 0;
  let flights = 0;
  let last: string | null = null;
  for (const t of trace) {
    if (t.dir === "up") up += t.bytes;
    else down += t.bytes;
    if (t.dir !== last) flights++;
    last = t.dir;
  }
  // The upgrade request is parsed before the socket reaches us, so the trace
  // starts with the 101 response (+ hello): each pair of flights is one round
  // trip after the upgrade (the upgrade itself costs one more).
  return { up, down, flights, roundTrips: Math.ceil(flights / 2) };
}

// Polled every 2 ms: the wait is part of what is timed.
const waitUntil = async (cond: () => boolean, ms = 120_000): Promise<void> => void (await waitFor(cond, "bench condition", ms, 2));

/** The seed's first protocol: on connect each side sends its whole history; the receiver applies it. */
async function fullDump(a: BenchNode, b: BenchNode, log: Uint8Array[]): Promise<{ up: number; down: number; ms: number }> {
  const apply = (replica: Replica, data: Buffer): void => {
    const f = decodeSyncFrame(data);
    if (f.ok && f.kind === "changes") for (let i = 0; i < f.changes.length; i += 1_000) replica.receiveBatch(f.changes.slice(i, i + 1_000));
  };
  const frames = packChanges(log, 1024 * 1024).frames;
  // The same transport the sync links use (WsPeerSocket), without the protocol on top.
  const wss = new PeerSocketServer(2 * 1024 * 1024, () => undefined);
  const listener = (onFrame: (d: Buffer) => void, onOpen: () => void = () => undefined): PeerSocketListener => ({
    open: onOpen,
    frame: (d) => onFrame(d),
    heartbeat: () => undefined,
    error: () => undefined,
    close: () => undefined,
  });
  const sent = (): void => undefined;
  let doneA = 0;
  let doneB = 0;
  const srv = await tracedServer((req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (peer) => {
      peer.listen(
        listener((d) => {
          apply(a.replica, d);
          doneA++;
        }),
      );
      for (const f of frames) peer.send(f, sent);
    }),
  );
  const start = performance.now();
  const client = dialPeerSocket(srv.url, { maxFrameBytes: 2 * 1024 * 1024, handshakeTimeoutMs: 10_000 });
  client.listen(
    listener(
      (d) => {
        apply(b.replica, d);
        doneB++;
      },
      () => frames.forEach((f) => client.send(f, sent)),
    ),
  );
  await waitUntil(() => doneA === frames.length && doneB === frames.length);
  const ms = performance.now() - start;
  client.close(1000, "done");
  const s = summarize(srv.trace);
  await srv.close();
  await wss.close();
  return { up: s.up, down: s.down, ms };
}

function offlineEdits(n: BenchNode, k: number): void {
  for (let j = 0; j < k; j++) {
    const id = n.ids[(j * 7919) % n.ids.length]!;
    if (j % 2 === 0) n.board.retry(id);
    else n.board.update(id, { name: `offline ${j}` });
  }
}

const equalHeads = (x: Replica, y: Replica): boolean => JSON.stringify(x.heads().sort()) === JSON.stringify(y.heads().sort());

async function main(): Promise<void> {
  const t0 = performance.now();
  const a = makeNode(0);
  const b = makeNode(1);
  const log = generate(a, b).slice(0, TOTAL); // a copy: the generator's listeners keep appending
  if (!equalHeads(a.replica, b.replica)) throw new Error("bench: generator did not converge");
  const historyBytes = log.reduce((n, c) => n + c.length, 0);
  console.log(`generated ${log.length} changes (${(historyBytes / 1e6).toFixed(1)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const dump = await fullDump(a, b, log);
  console.log(`full dump: ${dump.up} B up, ${dump.down} B down, ${dump.ms.toFixed(0)} ms`);

  offlineEdits(a, NEW_EACH_SIDE);
  offlineEdits(b, NEW_EACH_SIDE);
  const syncA = new SyncService({ replica: a.replica, identity: a.identity, log: silentLogger });
  const syncB = new SyncService({ replica: b.replica, identity: b.identity, log: silentLogger });
  const srv = await tracedServer(syncA.handleUpgrade);
  const start = performance.now();
  syncB.connect(srv.url);
  await waitUntil(() => equalHeads(a.replica, b.replica));
  const convergeMs = performance.now() - start;
  await waitUntil(() => syncA.status().peers[0]?.state === "live" && syncB.status().peers[0]?.state === "live");
  const s = summarize(srv.trace);
  if (a.replica.canonicalState() !== b.replica.canonicalState()) throw new Error("bench: states differ");
  const ratio = (s.up + s.down) / (dump.up + dump.down);
  console.log(
    JSON.stringify({
      bench: "sync-reconnect",
      history: log.length,
      newEachSide: NEW_EACH_SIDE,
      bytesUp: s.up,
      bytesDown: s.down,
      roundTrips: s.roundTrips,
      flights: s.flights,
      convergeMs: Number(convergeMs.toFixed(1)),
      fullDumpBytesUp: dump.up,
      fullDumpBytesDown: dump.down,
      fullDumpMs: Number(dump.ms.toFixed(0)),
      ratio: Number(ratio.toFixed(5)),
      goal: ratio <= 0.01 && s.roundTrips <= 3 ? "met" : "missed",
    }),
  );

  // Edit-to-visible: one edit at a time on A, timed until B has applied it.
  const lat: number[] = [];
  for (let j = 0; j < EDITS; j++) {
    const id = a.ids[(j * 104729) % a.ids.length]!;
    const begin = performance.now();
    const seen = new Promise<void>((resolve) => {
      const off = b.replica.onApplied(() => {
        off();
        resolve();
      });
    });
    a.board.retry(id);
    await seen;
    lat.push(performance.now() - begin);
  }
  lat.sort((x, y) => x - y);
  const pct = (p: number): number => Number(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(2));
  console.log(JSON.stringify({ bench: "sync-edit-to-visible", edits: EDITS, stories: a.replica.stories().length, medianMs: pct(0.5), p99Ms: pct(0.99), maxMs: pct(1) }));
  await syncB.close();

  // A fresh device joining: the whole history through the same protocol, with progress.
  // Baseline: the same plan in one block (a slicer that never pauses), as before slicing.
  const oneStart = performance.now();
  const oneBlock = await planCatchUp(a.replica, new Map(), { slicer: new TimeSlicer(Infinity) });
  const planOneBlockMs = performance.now() - oneStart;
  const stopPlanProbe = blockProbe();
  const planStart = performance.now();
  const plan = await planCatchUp(a.replica, new Map());
  const planMs = performance.now() - planStart;
  const planMaxBlockMs = stopPlanProbe();
  if (plan.length !== oneBlock.length || plan.some((id, i) => id !== oneBlock[i])) throw new Error("bench: sliced plan differs");
  const c = makeNode(2);
  const syncC = new SyncService({ replica: c.replica, identity: c.identity, log: silentLogger });
  let maxExpected = 0;
  syncC.onStatus((st) => (maxExpected = Math.max(maxExpected, st.catchUp?.expected ?? 0)));
  const stopCatchUpProbe = blockProbe();
  const freshStart = performance.now();
  syncC.connect(srv.url);
  await waitUntil(() => equalHeads(a.replica, c.replica), 300_000);
  const freshMs = performance.now() - freshStart;
  const catchUpMaxBlockMs = stopCatchUpProbe();
  console.log(
    JSON.stringify({
      bench: "sync-catch-up-plan",
      changes: plan.length,
      planMs: Number(planMs.toFixed(1)),
      planMaxBlockMs: Number(planMaxBlockMs.toFixed(1)),
      planOneBlockMs: Number(planOneBlockMs.toFixed(1)),
      ratio: Number((planMaxBlockMs / planOneBlockMs).toFixed(3)),
      catchUpMs: Number(freshMs.toFixed(0)),
      catchUpMaxBlockMs: Number(catchUpMaxBlockMs.toFixed(1)),
      changesPerSec: Math.round(plan.length / (freshMs / 1000)),
      progressExpected: maxExpected,
      goal: planMaxBlockMs <= 50 ? "met" : "missed",
    }),
  );
  await syncC.close();
  await syncA.close();
  await srv.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
