/**
 * What a link needs from the service that owns it — the smallest shape, so
 * the service stays the only owner of shared state (the replica, the peer
 * set, the status). It names no link type: links depend on it, never the
 * other way round.
 */
import type { Ed25519Verifier } from "../crdt/Ed25519Verifier";
import type { Signer } from "../crdt/Identity";
import type { ReceiveResult, Replica } from "../crdt/Replica";
import type { Logger } from "../base/Logger";
import type { SyncLimits } from "./SyncLimits";
import type { SyncMessageOf } from "./SyncMessage";

/** Received batches at least this large are checked in one event-loop turn and applied in the next (`receive`); smaller ones in one. */
export const SPLIT_TURN_AT = 32;

/** Why a peer is not served: the close code and its reason. */
export interface Refusal {
  code: number;
  reason: string;
}

export interface PeerHost {
  readonly replica: Replica;
  readonly identity: Signer;
  readonly limits: SyncLimits;
  readonly log: Logger;
  readonly verifier: Ed25519Verifier;
  /**
   * The one admission decision, made after the peer proved its key: null to
   * serve it, else the close code and reason (4010 not a member, 4004 not a
   * trusted key). `inviteKey`: the invite the peer proved it holds
   * (incoming links only). Asked again when membership changes (`recheck`).
   */
  admit(nodeKey: string, inviteKey: string | null): Refusal | null;
  /** The invite this node redeems while it joins (its key signs role "invite" in our `auth`), else null. */
  inviteSigner(): Signer | null;
  /** Our current vector and heads. */
  syncMessage(): SyncMessageOf<"sync">;
  /**
   * Applies changes received from the link `origin` (compared by identity:
   * the service never echoes them back to it). A promise when the batch's
   * signature checks went to worker threads (a hostile batch) or the batch
   * has at least `SPLIT_TURN_AT` changes, else the results at once.
   */
  receive(origin: object, changes: Uint8Array[]): ReceiveResult[] | Promise<ReceiveResult[]>;
  /** Our own changes up to `seq` reached a peer (written to its socket, or its vector says it has them). */
  noteDelivered(seq: number): void;
  /** A link's state, counters or progress changed (the status is due). */
  linkChanged(): void;
}
