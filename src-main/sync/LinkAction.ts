/**
 * What the link state machine (LinkMachine) asks its driver (PeerLink) to do.
 * The machine does no I/O: every effect on the socket, the replica, a timer
 * or the service is one of these, executed by the driver in order.
 */
import type { SyncMessage } from "./SyncMessage";

/** A plan the driver computes (in slices) and answers with `LinkMachine.planned`. */
export type PlanRequest =
  | {
      kind: "catch-up";
      peerVec: ReadonlyMap<string, number>;
      /** Our vector when planning began: changes applied later reach the peer as held live changes. */
      upTo: ReadonlyMap<string, number>;
      peerForks: ReadonlyMap<string, readonly string[]>;
    }
  | { kind: "need answer"; ids: readonly string[]; peerVec: ReadonlyMap<string, number>; peerHeads: ReadonlySet<string>; max: number };

export type LinkAction =
  /** One control frame, queued behind everything sent before. */
  | { t: "control"; message: SyncMessage }
  /** Live changes (already in memory), packed into frames. */
  | { t: "changes"; changes: readonly Uint8Array[]; ownSeq: number | undefined }
  /** A catch-up: ids read from the replica as the socket drains (`arrivals`: their positions in the log, see `PlanPart`). */
  | { t: "catchUp"; ids: readonly string[]; ownSeq: number | undefined; arrivals?: readonly number[] }
  /** Close the socket with a protocol code; the machine is closed already. */
  | { t: "close"; code: number; reason: string }
  /** Stop reading now, no closing handshake (the transport already refused the peer). */
  | { t: "terminate" }
  /** Largest frame the transport accepts from the next one on. */
  | { t: "frameLimit"; bytes: number }
  | { t: "pause" }
  | { t: "resume" }
  | { t: "ping" }
  /** Apply these changes from this peer; answer with `LinkMachine.applied(results, now)` at once. */
  | { t: "apply"; changes: Uint8Array[] }
  /** Received changes waiting behind other work, in the chunks they will be applied in: start their checks now (`Replica.precheck`); nothing answers. */
  | { t: "precheck"; parts: Uint8Array[][] }
  /** The peer's catch-up is applied (its "ready" came after every change of it): `Replica.caughtUp`. */
  | { t: "caughtUp" }
  /** Compute a plan; answer with `planned` or `planFailed`. Frames after it wait. */
  | { t: "plan"; request: PlanRequest }
  /** Call `drain` on a later turn (frames wait to be applied). */
  | { t: "drainLater" }
  /** Our own changes up to `seq` reached the peer (its vector says so). */
  | { t: "delivered"; seq: number }
  /** The handshake completed. */
  | { t: "authed" }
  /** Something the status shows changed (state, counters, progress). */
  | { t: "changed" };
