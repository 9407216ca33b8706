/**
 * The order the Members view lists a workspace in: current members before
 * removed ones, then by when they were added (the founder first), then by
 * key so equal times still give one order on every device.
 */
import type { Member } from "../stores/useMembersStore";

export function sortMembers(members: readonly Member[]): Member[] {
  return [...members].sort(
    (a, b) => Number(a.removed) - Number(b.removed) || a.addedAt - b.addedAt || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0),
  );
}
