/**
 * A node key (64 hex chars) is unreadable in a list; its first 8 chars are
 * enough to tell a team's devices apart at a glance. The full key goes in a
 * tooltip wherever this is shown.
 */
export function shortNodeId(nodeId: string): string {
  return nodeId.length > 10 ? `${nodeId.slice(0, 8)}…` : nodeId;
}
