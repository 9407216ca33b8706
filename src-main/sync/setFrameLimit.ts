/**
 * Changes the largest frame one open `ws` socket accepts.
 *
 * `ws` takes `maxPayload` once per server or client, but the sync protocol
 * wants two limits on one socket: a few KiB until the peer proved its key
 * (nothing unauthenticated may make us buffer a 1 MiB frame), the full
 * frame size after. `ws` checks the limit against each frame's *declared*
 * length before buffering its payload (Receiver#haveLength, `_maxPayload`),
 * closing with 1009 — so lowering it refuses an oversized unauthenticated
 * frame on its header, without reading it.
 *
 * There is no public setter, so this writes the receiver's field. The field
 * is checked to exist and hold a number; when it does not (a `ws` upgrade
 * renamed it) this returns false and the caller still enforces the limit on
 * the delivered frame (PeerLink) — only the buffering bound is lost, and
 * `test/integration/syncAttacksPreAuth.test.ts` fails to say so.
 *
 * Frames are parsed one after another and the next frame's header is read
 * only after the previous message was emitted (synchronously with
 * `allowSynchronousEvents`, the default; otherwise the parse loop resumes
 * after the deferred emit), so a limit changed in a message handler applies
 * from the very next frame on. A client socket has no receiver before its
 * upgrade completes: set it on `open` (nothing is parsed before that).
 */
import type { WebSocket } from "ws";

interface ReceiverInternals {
  _maxPayload?: unknown;
}

export function setFrameLimit(ws: WebSocket, bytes: number): boolean {
  const receiver = (ws as unknown as { _receiver?: ReceiverInternals | null })._receiver;
  if (receiver === null || receiver === undefined || typeof receiver._maxPayload !== "number") return false;
  receiver._maxPayload = bytes;
  return true;
}
