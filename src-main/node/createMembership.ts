/**
 * The node's membership layer: the contract's member methods, the sync
 * admission decision, and the joining device's side of an invite.
 *
 * - Admission (after the key proof): a current member, or a peer proving an
 *   invite that is known here, unused, and not expired by THIS node's clock
 *   (network policy; validity of the join change itself is judged by its
 *   effective clock). An empty replica admits any key of its workspace: it
 *   is joining and has nothing to protect; everything it receives is still
 *   validated.
 * - Invite: admins only (`forbidden`). A node that founded its workspace
 *   writes the genesis first (lazily: a fresh node can still join another
 *   workspace until it writes anything). Invites expire after
 *   `INVITE_TTL_MS` of effective clock.
 * - Join: a fresh node adopts the invite's workspace, dials its addresses
 *   (stored as the rendezvous setting) and, once the invite op has reached
 *   it, writes its `join` change (`afterApplied`, in the next turn).
 */
import { randomBytes } from "node:crypto";
import { ApiFailure } from "../../src-shared/ApiError";
import type { MemberRole } from "../../src-shared/memberMethods";
import type { MemberControl } from "../api/createMemberApi";
import { identityFromSeed, type Signer } from "../crdt/Identity";
import { formatInvite, parseInvite } from "../crdt/inviteLine";
import type { Membership } from "../crdt/Membership";
import { joinOp } from "../crdt/membershipOps";
import type { Replica } from "../crdt/Replica";
import type { JoinState } from "../store/joinState";
import { SyncCloseCode } from "../sync/SyncCloseCode";
import type { Admission } from "../sync/SyncService";
import type { Logger } from "../base/Logger";

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface MembershipLayerOptions {
  replica: Replica;
  membership: Membership;
  joinState: JoinState;
  log: Logger;
  /** The addresses an invite carries (`--advertise`, else the host's listen address or the rendezvous list). */
  advertise(): string[];
  /** Replaces the rendezvous setting and redials (the invite's addresses when joining). */
  setRendezvous(urls: string[]): void;
  /** The workspace changed (joining): the node updates what reports it. */
  workspaceAdopted(workspace: string): void;
  now?: () => number;
}

export interface MembershipLayer {
  readonly control: MemberControl;
  readonly admission: Admission;
  /** After every applied batch: writes a pending join once its invite is here, in a turn of its own. */
  afterApplied(): void;
  /** The node closes: a join not written yet is written at the next start. */
  stop(): void;
}

export function createMembership(options: MembershipLayerOptions): MembershipLayer {
  const { replica, membership, log } = options;
  const me = replica.author;
  const now = options.now ?? Date.now;
  let joinSigner: Signer | null = seedSigner(options.joinState.pendingSeed());
  let joinProblemLogged = false;

  const requireAdmin = (action: string): void => {
    if (!membership.isAdmin(me)) throw new ApiFailure("forbidden", `only an admin can ${action}; this device is ${membership.isMember(me) ? "a plain member" : "not a member"}`);
  };

  const control: MemberControl = {
    list: () => ({ members: membership.list() }),
    invite: (name: string, role: MemberRole) => {
      replica.found();
      requireAdmin("invite");
      const secret = randomBytes(32);
      const key = identityFromSeed(secret).publicKey;
      replica.commit([{ t: "invite", key, name, role, expires: replica.nextClock().wall + INVITE_TTL_MS }]);
      log.info("members: invite created", { name, role, invite: key });
      return formatInvite({ workspace: replica.workspace, secret: Buffer.from(secret).toString("hex"), addresses: options.advertise() });
    },
    remove: (nodeId: string) => {
      requireAdmin("remove a member");
      if (!membership.isMember(nodeId)) throw new ApiFailure("not_found", `${nodeId} is not a current member`);
      replica.commit([{ t: "remove", key: nodeId }]);
      log.info("members: member removed", { node: nodeId });
    },
    join: (line: string) => {
      const parsed = parseInvite(line);
      if (!parsed.ok) throw new ApiFailure("invalid_input", parsed.reason);
      const { workspace, secret, addresses } = parsed.invite;
      replica.adoptWorkspace(workspace); // conflict unless this node holds nothing yet
      options.joinState.adopt(workspace, secret);
      joinSigner = seedSigner(secret);
      options.workspaceAdopted(workspace);
      options.setRendezvous(addresses);
      log.info("members: joining a workspace by invite", { workspace, addresses });
      return workspace;
    },
  };

  const admission: Admission = {
    admit: (nodeKey, inviteKey) => {
      if (replica.isEmpty()) return null;
      if (membership.isMember(nodeKey)) return null;
      if (inviteKey !== null) {
        const problem = membership.inviteProblem(inviteKey, now());
        return problem === null ? null : { code: SyncCloseCode.notMember, reason: `invite refused: ${problem}` };
      }
      return { code: SyncCloseCode.notMember, reason: "not a member of this workspace: ask an admin for an invite (Members → Invite)" };
    },
    inviteSigner: () => joinSigner,
  };

  // Not in the turn of the batch that brought the invite: writing the join commits the open group of
  // received changes and syncs to disk (~20 ms here), and on top of that batch's apply it made the longest
  // block of a catch-up (the invite is among the newest changes, so it comes in the last batch).
  let joinTurn: NodeJS.Immediate | null = null;
  let stopped = false;
  const afterApplied = (): void => {
    if (joinSigner === null || joinTurn !== null || stopped) return;
    joinTurn = setImmediate(() => {
      joinTurn = null;
      try {
        joinIfInvited();
      } catch (err) {
        // Left pending (the seed is kept): the next applied batch, or the next start, tries again.
        log.error("members: writing the join change failed", { err });
      }
    });
  };

  const joinIfInvited = (): void => {
    if (joinSigner === null) return;
    if (membership.isMember(me)) return finishJoin();
    const invite = membership.current().invites.get(joinSigner.publicKey);
    if (!invite) return; // not here yet: the catch-up brings it
    if (invite.redeemedBy !== null) {
      if (!joinProblemLogged) log.error("members: this invite was already used by another device; ask an admin for a new one", { by: invite.redeemedBy });
      joinProblemLogged = true;
      return;
    }
    replica.commit([joinOp(joinSigner, replica.workspace, me)]);
    log.info("members: joined the workspace", { workspace: replica.workspace });
    finishJoin();
  };

  function finishJoin(): void {
    joinSigner = null;
    options.joinState.clear();
  }

  const stop = (): void => {
    stopped = true;
    if (joinTurn !== null) clearImmediate(joinTurn);
    joinTurn = null;
  };

  return { control, admission, afterApplied, stop };
}

function seedSigner(seed: string | undefined): Signer | null {
  return seed === undefined ? null : identityFromSeed(Buffer.from(seed, "hex"));
}
