/**
 * Typed access to a running `musher serve` for the sync tests: calls that
 * must succeed (anything but 200 throws with the error body), outputs parsed
 * with the contract's schemas, and the node's `/sync` address.
 */
import type { z } from "zod";
import { boardSchema, type Board } from "../../src-shared/Board";
import { nodeInfoSchema, type NodeInfo } from "../../src-shared/contract";
import { syncStatusSchema, type SyncStatus } from "../../src-shared/syncMethods";
import type { ServeProcess } from "./startServe";

export interface ServeApi {
  ok(method: string, input?: unknown): Promise<unknown>;
  okAs<S extends z.ZodType>(schema: S, method: string, input?: unknown): Promise<z.infer<S>>;
  info(): Promise<NodeInfo>;
  status(): Promise<SyncStatus>;
  board(includeHidden?: boolean): Promise<Board>;
  /** ws://127.0.0.1:PORT/sync */
  syncUrl: string;
}

export function apiOf(p: ServeProcess): ServeApi {
  const ok = async (method: string, input: unknown = {}): Promise<unknown> => {
    const r = await p.call(method, input);
    if (r.status !== 200) throw new Error(`${method} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const okAs = async <S extends z.ZodType>(schema: S, method: string, input: unknown = {}): Promise<z.infer<S>> => schema.parse(await ok(method, input));
  return {
    ok,
    okAs,
    info: () => okAs(nodeInfoSchema, "node/info"),
    status: () => okAs(syncStatusSchema, "sync/status"),
    board: (includeHidden = true) => okAs(boardSchema, "board/get", { includeHidden }),
    syncUrl: `ws://127.0.0.1:${p.port}/sync`,
  };
}
