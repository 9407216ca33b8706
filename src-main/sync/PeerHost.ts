/**
 * What a PeerLink needs from the service that owns it — the smallest shape,
 * so links can be tested and the service stays the only owner of shared
 * state (the replica, the peer set, the status).
 */
import type { Ed25519Verifier } from "../crdt/Ed25519Verifier";
import type { Signer } from "../crdt/Identity";
import type { ReceiveResult, Replica } from "../crdt/Replica";
import type { Logger } from "../base/Logger";
import type { PeerLink } from "./PeerLink";
import type { SyncLimits } from "./SyncLimits";
import type { SyncMessageOf } from "./SyncMessage";

export interface PeerHost {
  readonly replica: Replica;
  readonly identity: Signer;
  readonly limits: SyncLimits;
  readonly log: Logger;
  readonly verifier: Ed25519Verifier;
  isTrusted(nodeKey: string): boolean;
  /** Our current vector and heads. */
  syncMessage(): SyncMessageOf<"sync">;
  /** Applies changes received from `link` (the service remembers the origin so it never echoes them back). */
  receive(link: PeerLink, changes: Uint8Array[]): ReceiveResult[];
  /** Our own changes up to `seq` reached a peer (written to its socket, or its vector says it has them). */
  noteDelivered(seq: number): void;
  linkChanged(link: PeerLink): void;
  linkClosed(link: PeerLink): void;
}
