/**
 * A member's display name. Members from before membership existed (a
 * migrated data dir) have no name: their short key stands in.
 */
import type { Member } from "../../../src-shared/memberMethods";
import { shortNodeId } from "../sync/shortNodeId";

export function memberName(m: Pick<Member, "name" | "nodeId">): string {
  return m.name === "" ? `device ${shortNodeId(m.nodeId)}` : m.name;
}
