/**
 * Helpers for the sync tests and the benchmark: a node (replica + board +
 * SyncService with fast timers) and a real HTTP server on 127.0.0.1 with an
 * ephemeral port routing `/sync` upgrades to the service — the same route
 * the host mounts. Counts raw socket bytes received by the server, so tests
 * can assert wire cost. Nothing here is used by production code.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { testNode, type TestNode } from "../crdt/testKit";
import type { PendingLimits } from "../../../src-main/crdt/Replica";
import { SyncService } from "../../../src-main/sync/SyncService";
import type { SyncLimits } from "../../../src-main/sync/SyncLimits";

export const FAST_LIMITS: Partial<SyncLimits> = {
  backoffBaseMs: 20,
  backoffMaxMs: 200,
  pingIntervalMs: 500,
  handshakeTimeoutMs: 2_000,
};

export interface SyncTestNode extends TestNode {
  sync: SyncService;
}

export function syncNode(
  i: number,
  opts: { limits?: Partial<SyncLimits>; trustedKeys?: string[]; pendingLimits?: PendingLimits; t?: number } = {},
): SyncTestNode {
  const node = testNode(i, { ...(opts.pendingLimits ? { pendingLimits: opts.pendingLimits } : {}), ...(opts.t !== undefined ? { t: opts.t } : {}) });
  const sync = new SyncService({
    replica: node.replica,
    identity: node.identity,
    log: node.logger,
    limits: { ...FAST_LIMITS, ...opts.limits },
    ...(opts.trustedKeys ? { trustedKeys: opts.trustedKeys } : {}),
  });
  return { ...node, sync };
}

export interface TestServer {
  server: Server;
  url: string;
  port: number;
  /** Raw bytes the server's sockets received (client → server traffic, incl. WS framing). */
  bytesIn(): number;
  close(): Promise<void>;
}

/** Serves `handleUpgrade` at /sync on 127.0.0.1 (port 0 = ephemeral). */
export async function serveSync(handleUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void, port = 0): Promise<TestServer> {
  let received = 0;
  const sockets = new Set<Duplex>();
  const server = createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  server.on("upgrade", (req, socket, head) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("data", (b: Buffer) => (received += b.length));
    if (new URL(req.url ?? "/", "http://x").pathname === "/sync") handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    url: `ws://127.0.0.1:${actual}/sync`,
    port: actual,
    bytesIn: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function converged(nodes: readonly TestNode[]): boolean {
  const first = nodes[0]!.replica.canonicalState();
  return nodes.every((n) => n.replica.canonicalState() === first);
}

export function sameHeads(nodes: readonly TestNode[]): boolean {
  const first = JSON.stringify(nodes[0]!.replica.heads().sort());
  return nodes.every((n) => JSON.stringify(n.replica.heads().sort()) === first);
}
