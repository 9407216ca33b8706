/**
 * A protocol peer that is a MEMBER of a running node's workspace — the
 * attacker of the Byzantine tests is "a member gone bad": an admin invites
 * it (`member/invite` over the node's API), it connects proving the invite,
 * catches up and redeems it with its join change. Its later changes build on
 * `join` (seq 2 on, deps including `join.id`).
 */
import { apiOf } from "./apiOf";
import type { PeerKey } from "./peerKey";
import { ProtocolPeer, type ConnectOptions, type WireChange } from "./protocolPeer";
import { inviteFrom, type ServeProcess } from "./startServe";
import { waitFor } from "./waitFor";

export interface MemberPeer {
  peer: ProtocolPeer;
  join: WireChange;
}

export async function memberPeer(node: ServeProcess, options: ConnectOptions & { key?: PeerKey } = {}): Promise<MemberPeer> {
  const invite = await inviteFrom(node, "attacker");
  const peer = await ProtocolPeer.connect(apiOf(node).syncUrl, { ...options, invite });
  await peer.caughtUp();
  const join = peer.join();
  await waitFor(async () => (await apiOf(node).status()).heads.includes(join.id), "the attacker's join applied");
  return { peer, join };
}
