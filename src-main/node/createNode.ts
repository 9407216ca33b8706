/**
 * The composition root of a Musher node, shared by both hosts (Electron and
 * `musher serve`) and by tests. Everything a node owns hangs off the object
 * it returns; nothing is module-level, so tests can run several nodes in one
 * process.
 *
 * Persistence: with a `dataDir` the node opens `<dataDir>/musher.db` (log,
 * state, identity, workspace id — see store/openNodeStore) and every local
 * edit is committed there before its call returns; `close()` closes it.
 * `dataDir: null` keeps everything in an in-memory SQLite database (tests).
 */
import { randomBytes } from "node:crypto";
import type { CallResult } from "../../src-shared/CallResult";
import type { EventMessage, Input, Method, NodeInfo, Output } from "../../src-shared/contract";
import { ApiFailure } from "../../src-shared/ApiError";
import { createApi } from "../api/createApi";
import { parseInvite } from "../crdt/inviteLine";
import { dispatch } from "../api/dispatch";
import { generateIdentity } from "../crdt/Identity";
import { ingestInChunks, type IngestReport } from "../store/ingestInChunks";
import { openNodeStore } from "../store/openNodeStore";
import { joinState } from "../store/joinState";
import { workspaceIdOf } from "../crdt/membershipOps";
import { hostname } from "node:os";
import { PipelineBoard } from "../crdt/PipelineBoard";
import type { Replica } from "../crdt/Replica";
import { isDeleted } from "../crdt/StoryRecord";
import { createMemoryService } from "../memory/createMemoryService";
import { openMemoryDatabase } from "../store/openDatabase";
import { rederiveAfterUpgrade } from "../store/rederiveAfterUpgrade";
import { replicaOnDatabase } from "../store/replicaOnDatabase";
import { VerifyPool } from "../crdt/VerifyPool";
import { rendezvousSetting } from "../store/rendezvousSetting";
import type { SyncService } from "../sync/SyncService";
import { attachSync, type NodeSync } from "./attachSync";
import { boardChangedAnnouncer } from "./boardChangedAnnouncer";
import { createMembership } from "./createMembership";
import { Emitter } from "../base/Emitter";
import { createLogger, type Logger } from "../base/Logger";
import { MUSHER_VERSION } from "./version";
import { setImmediate as nextTurn } from "node:timers/promises";

/** Bulk received batches are announced to windows at most this often (each announcement costs every window a board read). */
const BOARD_CHANGED_INTERVAL_MS = 250;
/** A received batch this large is bulk (a catch-up or import turn); smaller ones are a peer's live edits, shown at once. */
const BULK_BATCH = 8;

export interface NodeOptions {
  /** Where the node keeps its data (`musher.db`); null = in memory, nothing persists (tests). */
  dataDir: string | null;
  /**
   * The workspace to be in. On an empty data dir it is adopted (joining a
   * peer's workspace); on an existing one it must match (else a StoreError).
   */
  workspaceId?: string;
  host: NodeInfo["host"];
  log?: Logger;
  /** Rendezvous peers to dial besides the persisted setting (`musher serve --rendezvous`). */
  rendezvous?: string[];
  /** Node keys (hex) allowed to sync with this node: an extra network filter on top of membership (none = members and invitees). */
  trustedKeys?: string[];
  /** The addresses this node's invites carry (`--advertise`); default: `listenAddress`, else the rendezvous list. */
  advertise?: string[];
  /** The host's own sync URL once it listens (`musher serve`), for invites without `advertise`. */
  listenAddress?: () => string | null;
  /** The name this device gets in a workspace it founds (default: the host name). */
  deviceName?: string;
  /**
   * An invite line to join with (`musher serve --join`): on a fresh node the
   * join happens before sync starts, so the first dial already speaks the
   * invite's workspace; ignored when the node is already in that workspace
   * (a restart); any other node rejects with ApiFailure("conflict").
   */
  join?: string;
  /**
   * Absolute path of a better-sqlite3 native module built for the running
   * runtime. The Electron shell passes its Electron-ABI build; `musher serve`
   * and tests pass nothing and get better-sqlite3's own (Node) build. One
   * that cannot load rejects with StoreError("native_binding").
   */
  sqliteBinding?: string;
  /** Change-time silence after which another member takes over segmenting a session (default: env, then 30 min). */
  segmenterTtlMs?: number;
}

export interface MusherNode {
  readonly info: NodeInfo;
  readonly log: Logger;
  readonly replica: Replica;
  /** The sync layer; a host mounts `sync.handleUpgrade` at `/sync`. */
  readonly sync: SyncService;
  /** Validates and runs one contract call from outside (IPC, HTTP): method and input are untrusted; never throws. */
  dispatch(method: string, input: unknown): Promise<CallResult<unknown>>;
  /** The same call typed by the contract, for in-process callers (tests, benches); never throws. */
  call<M extends Method>(method: M, input: Input<M>): Promise<CallResult<Output<M>>>;
  /** Every push event, in commit order (a bulk of received changes announces `board/changed` throttled, see boardChangedAnnouncer). */
  subscribe(listener: (message: EventMessage) => void): () => void;
  /** Applies received changes in chunks, yielding between them (never blocks the loop for long). */
  ingest(changes: readonly Uint8Array[]): Promise<IngestReport>;
  close(): Promise<void>;
}

export async function createNode(options: NodeOptions): Promise<MusherNode> {
  const log = options.log ?? createLogger();
  const events = new Emitter<EventMessage>((err) => log.error("event listener failed", { err }));
  const binding = options.sqliteBinding !== undefined ? { nativeBinding: options.sqliteBinding } : {};
  const persisted =
    options.dataDir === null
      ? null
      : openNodeStore({ dataDir: options.dataDir, ...binding, ...(options.workspaceId !== undefined ? { workspaceId: options.workspaceId } : {}), checkpointer: { log: log.child({ svc: "store" }) } });
  if (persisted) {
    try {
      rederiveAfterUpgrade(persisted, log);
    } catch (err) {
      persisted.close();
      throw err;
    }
  }
  // Opening (a new data dir: the whole schema) is one block of tens of ms; what follows is another.
  // A turn between them keeps each one short for whatever else runs in this process (Invariant 7).
  await nextTurn();
  const identity = persisted?.identity ?? generateIdentity();
  // In memory (tests): a fresh workspace founded by this identity, unless one is given.
  const memoryNonce = persisted === null && options.workspaceId === undefined ? randomBytes(32).toString("hex") : undefined;
  const genesisNonce = persisted ? persisted.genesisNonce : memoryNonce;
  const workspaceId = persisted?.workspaceId ?? options.workspaceId ?? workspaceIdOf(identity.publicKey, memoryNonce!);
  // One SQLite database holds the log, the board and the memory tables, so
  // one transaction covers everything a change writes (in memory for tests).
  const db = persisted?.db ?? openMemoryDatabase(options.sqliteBinding);
  // Large rounds of signature checks (sync chunks, ingests) run in worker threads (the main loop stays free).
  const verifyPool = new VerifyPool();
  const deviceName = options.deviceName ?? hostname();
  const { replica, tables, memoryReducer, stageLimits, membership } = replicaOnDatabase(db, {
    workspace: workspaceId,
    signer: identity,
    logger: log.child({ svc: "crdt" }),
    verifyPool,
    ...(persisted ? { store: persisted.store } : {}),
    // The genesis is written before the first local change, and only in the workspace this node founded (not one it joined).
    founding: (workspace) =>
      genesisNonce !== undefined && workspace === workspaceIdOf(identity.publicKey, genesisNonce) ? [{ t: "genesis", nonce: genesisNonce, name: deviceName }] : null,
  });
  const info: NodeInfo = { nodeId: identity.publicKey, workspaceId, version: MUSHER_VERSION, host: options.host };
  const setting = rendezvousSetting(persisted?.db ?? null, log);
  // eslint-disable-next-line prefer-const -- assigned once sync exists (sync's admission needs the membership layer first)
  let sync: NodeSync | undefined;
  const members = createMembership({
    replica,
    membership,
    joinState: joinState(db),
    log: log.child({ svc: "members" }),
    advertise: () => {
      if (options.advertise && options.advertise.length > 0) return options.advertise;
      const own = options.listenAddress?.() ?? null;
      if (own !== null) return [own];
      return sync ? sync.status().rendezvous.map((r) => r.url) : [];
    },
    setRendezvous: (urls) => (sync ? void sync.setRendezvous(urls) : setting.write(urls)),
    workspaceAdopted: (workspace) => {
      info.workspaceId = workspace;
      membership.forget();
      // A joining device is about to receive the workspace's whole history: its verify workers start now, while
      // the link connects, not at the first frame (the checks of the first ~100 ms of a catch-up ran in this thread).
      verifyPool.start();
    },
  });
  const board = new PipelineBoard(replica, () => `s_${randomBytes(8).toString("hex")}`, stageLimits);
  const memory = createMemoryService({
    replica,
    tables,
    storyExists: (id) => {
      const rec = replica.story(id);
      return rec !== undefined && !isDeleted(rec);
    },
    logger: log.child({ svc: "memory" }),
    segmenterTtlMs: options.segmenterTtlMs,
  });
  if (options.join !== undefined) {
    const invite = parseInvite(options.join);
    if (!invite.ok) throw new ApiFailure("invalid_input", invite.reason);
    if (invite.invite.workspace !== replica.workspace) {
      try {
        members.control.join(options.join);
      } catch (err) {
        if (persisted) persisted.close();
        else db.close();
        throw err;
      }
    }
  }
  await nextTurn(); // building the replica and the services, then starting sync (and joining)
  sync = attachSync({
    replica,
    identity,
    log,
    setting,
    emit: (payload) => events.emit({ event: "sync/changed", payload }),
    rendezvous: options.rendezvous,
    trustedKeys: options.trustedKeys,
    admission: members.admission,
  });
  const handlers = createApi({ info, board, memory, sync, members: members.control });
  // Announce after commit, for local edits and received changes alike (bulk batches throttled: see boardChangedAnnouncer).
  const boardChanged = boardChangedAnnouncer((storyIds) => events.emit({ event: "board/changed", payload: { storyIds } }), BOARD_CHANGED_INTERVAL_MS);
  replica.onApplied((e) => {
    if (e.storyIds.length > 0 || stageLimits.drainTouched()) boardChanged.applied(e.storyIds, e.local || e.changeIds.length < BULK_BATCH);
    const touched = memoryReducer.drain();
    for (const sessionId of [...touched.sessions].sort()) events.emit({ event: "session/changed", payload: { sessionId } });
    if (!e.local) memory.onRemoteMessages(touched.newMessages);
    if (membership.drainChanged()) {
      sync?.service.recheckPeers();
      events.emit({ event: "member/changed", payload: { members: membership.list() } });
    }
    members.afterApplied();
  });
  members.afterApplied(); // a join interrupted by a restart
  let closed = false;
  // In-flight ingests stop between chunks on close, so the db closes under no one.
  const stopIngest = new AbortController();
  const ingesting = new Set<Promise<unknown>>();

  const run = async (method: string, input: unknown): Promise<CallResult<unknown>> => {
    if (closed) return { ok: false, error: { code: "unavailable", message: "the node is shutting down" } };
    return dispatch(handlers, method, input, log);
  };

  return {
    info,
    log,
    replica,
    sync: sync.service,
    dispatch: run,
    // dispatch validated the input and the handler's output has the method's
    // type (createApi's table is checked against the contract), so the cast
    // only restores what the string method name erased.
    call: async <M extends Method>(method: M, input: Input<M>) => (await run(method, input)) as CallResult<Output<M>>,
    subscribe: (listener) => events.on(listener),
    ingest: async (changes) => {
      if (closed) throw new Error("the node is shutting down");
      const run = ingestInChunks(replica, changes, { signal: stopIngest.signal });
      ingesting.add(run);
      try {
        return await run;
      } finally {
        ingesting.delete(run);
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      members.stop();
      await sync.close(); // before the store: links read the replica until they close
      stopIngest.abort();
      await Promise.allSettled([...ingesting]);
      boardChanged.flush();
      // Not awaited: terminating threads takes a turn, and nothing waits on them (they are unref'd).
      verifyPool.close().catch((err: unknown) => log.warn("verify workers did not stop cleanly", { err }));
      if (persisted) persisted.close();
      else db.close();
    },
  };
}
