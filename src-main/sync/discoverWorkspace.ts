/**
 * Learns a rendezvous peer's workspace before a node exists, so a node
 * started on an empty data dir with `--rendezvous URL` can create its replica
 * in that workspace. Reads the server's `hello` (the first frame it sends)
 * and closes. The answer is the server's *claim*: the handshake that follows
 * (and `trustedKeys`) is what authenticates the server.
 */
import { SyncCloseCode } from "./SyncCloseCode";
import { decodeSyncFrame } from "./SyncFrame";
import { DEFAULT_SYNC_LIMITS } from "./SyncLimits";
import { dialPeerSocket } from "./WsPeerSocket";

export interface DiscoveredPeer {
  workspace: string;
  nodeId: string;
}

export function discoverWorkspace(url: string, options: { timeoutMs?: number } = {}): Promise<DiscoveredPeer> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SYNC_LIMITS.handshakeTimeoutMs;
  return new Promise((resolve, reject) => {
    let settled = false;
    // Only `hello` is read (an unauthenticated server's claim): the pre-handshake frame cap.
    const socket = dialPeerSocket(url, { maxFrameBytes: DEFAULT_SYNC_LIMITS.maxPreAuthFrameBytes, handshakeTimeoutMs: timeoutMs });
    let closed = false;
    const done = (err: Error | null, value?: DiscoveredPeer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!closed) socket.close(SyncCloseCode.normal, "discovered");
      if (err) reject(err);
      else resolve(value!);
    };
    const timer = setTimeout(() => done(new Error(`no hello from ${url} within ${timeoutMs} ms`)), timeoutMs);
    socket.listen({
      open: () => undefined,
      heartbeat: () => undefined,
      frame: (bytes, isBinary) => {
        const frame = isBinary ? decodeSyncFrame(bytes) : null;
        if (frame?.ok && frame.kind === "control" && frame.message.t === "hello") {
          done(null, { workspace: frame.message.workspace, nodeId: frame.message.node });
        } else {
          done(new Error(`${url} did not start with a sync hello`));
        }
      },
      error: (err) => done(new Error(err.message)),
      close: (code, reason) => {
        closed = true;
        done(new Error(`closed before hello: ${code} ${reason}`));
      },
    });
  });
}
