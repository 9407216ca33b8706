/**
 * The composition root of a Musher node, shared by both hosts (Electron and
 * `musher serve`) and by tests. Everything a node owns hangs off the object
 * it returns; nothing is module-level, so tests can run several nodes in one
 * process.
 */
import { randomBytes } from "node:crypto";
import type { CallResult } from "../../src-shared/CallResult";
import type { EventMessage, NodeInfo } from "../../src-shared/contract";
import { createApi } from "../api/createApi";
import { dispatch } from "../api/dispatch";
import { generateIdentity } from "../crdt/Identity";
import { PipelineBoard } from "../crdt/PipelineBoard";
import { Replica } from "../crdt/Replica";
import { Emitter } from "./Emitter";
import { createLogger, type Logger } from "./Logger";
import { MUSHER_VERSION } from "./version";

export interface NodeOptions {
  /** Where the node keeps its data (used by the store). */
  dataDir: string;
  host: NodeInfo["host"];
  log?: Logger;
}

export interface MusherNode {
  readonly info: NodeInfo;
  readonly log: Logger;
  readonly replica: Replica;
  /** Validates and runs one contract call; never throws. */
  call(method: string, input: unknown): Promise<CallResult<unknown>>;
  /** Every push event, in commit order. */
  subscribe(listener: (message: EventMessage) => void): () => void;
  close(): Promise<void>;
}

export async function createNode(options: NodeOptions): Promise<MusherNode> {
  const log = options.log ?? createLogger();
  const events = new Emitter<EventMessage>((err) => log.error("event listener failed", { err }));
  const identity = generateIdentity();
  const workspaceId = `w_${randomBytes(16).toString("hex")}`;
  const replica = new Replica({ workspace: workspaceId, signer: identity, logger: log.child({ svc: "crdt" }) });
  const info: NodeInfo = { nodeId: identity.publicKey, workspaceId, version: MUSHER_VERSION, host: options.host };
  const board = new PipelineBoard(replica, () => `s_${randomBytes(8).toString("hex")}`);
  const handlers = createApi({ info, board });
  // Announce after commit, for local edits and received changes alike.
  replica.onApplied((e) => {
    if (e.storyIds.length > 0) events.emit({ event: "board/changed", payload: { storyIds: e.storyIds } });
  });
  let closed = false;

  return {
    info,
    log,
    replica,
    call: async (method, input) => {
      if (closed) return { ok: false, error: { code: "unavailable", message: "the node is shutting down" } };
      return dispatch(handlers, method, input, log);
    },
    subscribe: (listener) => events.on(listener),
    close: async () => {
      closed = true;
    },
  };
}
