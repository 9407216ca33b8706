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
import { Emitter } from "./Emitter";
import { createLogger, type Logger } from "./Logger";
import { MemoryBoard } from "./MemoryBoard";
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
  /** Validates and runs one contract call; never throws. */
  call(method: string, input: unknown): Promise<CallResult<unknown>>;
  /** Every push event, in commit order. */
  subscribe(listener: (message: EventMessage) => void): () => void;
  close(): Promise<void>;
}

export async function createNode(options: NodeOptions): Promise<MusherNode> {
  const log = options.log ?? createLogger();
  const events = new Emitter<EventMessage>((err) => log.error("event listener failed", { err }));
  const nodeId = randomBytes(32).toString("hex");
  const info: NodeInfo = { nodeId, version: MUSHER_VERSION, host: options.host };
  const board = new MemoryBoard(() => `s_${randomBytes(8).toString("hex")}`);
  const handlers = createApi({ info, board, emit: (m) => events.emit(m) });
  let closed = false;

  return {
    info,
    log,
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
