/**
 * The membership half of the contract (`src-shared/memberMethods.ts`). The
 * node's membership control owns the policy (who may invite or remove, when
 * a node may join); these handlers only forward validated inputs to it.
 */
import type { MemberList, MemberRole, memberMethods } from "../../src-shared/memberMethods";
import type { Handlers } from "./dispatch";

export type MemberHandlers = Pick<Handlers, keyof typeof memberMethods>;

/** What the API needs from the node's membership layer. */
export interface MemberControl {
  list(): MemberList;
  /** Writes an invite op (admins only: else ApiFailure "forbidden"); returns the invite line. */
  invite(name: string, role: MemberRole): string;
  /** Writes a remove op (admins only). */
  remove(nodeId: string): void;
  /** Adopts the invite's workspace (fresh nodes only: else ApiFailure "conflict"); returns its id. */
  join(invite: string): string;
}

export function createMemberApi(members: MemberControl): MemberHandlers {
  return {
    "member/list": () => members.list(),
    "member/invite": (input) => ({ invite: members.invite(input.name, input.role ?? "member") }),
    "member/remove": (input) => {
      members.remove(input.nodeId);
      return { nodeId: input.nodeId };
    },
    "member/join": (input) => ({ workspaceId: members.join(input.invite) }),
  };
}
