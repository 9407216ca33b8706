/**
 * The workspace's members, one row each: name (and "this device"), role,
 * short key (full key in the tooltip), who added them and when, and when
 * this device last heard from them over a sync link. Removed members stay
 * listed, marked, after the current ones: their earlier edits stay on the
 * board, so who they were stays readable.
 *
 * `onRemove` is given only to admins; without it the row has no action.
 * Times later than `now` (a change's clock a little ahead, or `now` from
 * the last tick of a coarse timer) read as "just now", never "in 3 s".
 */
import type { SyncPeerStatus } from "../../../src-shared/syncMethods";
import { formatRelative } from "../lib/formatRelative";
import { lastSeenOf } from "../members/lastSeenOf";
import { memberName } from "../members/memberName";
import { sortMembers } from "../members/sortMembers";
import type { Member } from "../stores/useMembersStore";
import { shortNodeId } from "../sync/shortNodeId";

const ROLES: Readonly<Record<Member["role"], string>> = { admin: "Admin", member: "Member" };

interface Props {
  members: readonly Member[];
  selfId: string | null;
  peers: readonly SyncPeerStatus[];
  now: number;
  onRemove?: (member: Member) => void;
}

export function MemberTable({ members, selfId, peers, now, onRemove }: Props) {
  const names = new Map(members.map((m) => [m.nodeId, memberName(m)]));
  const adder = (m: Member) => (m.addedBy === null ? "founding member" : `by ${names.get(m.addedBy) ?? shortNodeId(m.addedBy)}`);
  return (
    <table className="modal__table members" data-testid="member-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Role</th>
          <th scope="col">Key</th>
          <th scope="col">Added</th>
          <th scope="col">Last seen</th>
          {onRemove && (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {sortMembers(members).map((m) => {
          const self = m.nodeId === selfId;
          const seen = lastSeenOf(m.nodeId, peers);
          return (
            <tr
              key={m.nodeId}
              className={m.removed ? "members__row members__row--removed" : "members__row"}
              data-testid="member-row"
              data-node-id={m.nodeId}
              data-role={m.role}
              data-removed={m.removed}
            >
              <th scope="row" className="members__name">
                <span data-testid="member-name" className={m.name === "" ? "members__unnamed" : undefined}>
                  {memberName(m)}
                </span>
                {self && <span className="members__self">this device</span>}
                {m.removed && <span className="chip members__removed">Removed</span>}
              </th>
              <td>
                <span className={`chip members__role members__role--${m.role}`}>{ROLES[m.role]}</span>
              </td>
              <td>
                <code title={m.nodeId}>{shortNodeId(m.nodeId)}</code>
              </td>
              <td className="members__added">
                <span>{adder(m)}</span>
                <span className="members__when" title={new Date(m.addedAt).toLocaleString()}>
                  {formatRelative(Math.min(m.addedAt, now), now)}
                </span>
              </td>
              <td className="members__seen" data-testid="member-last-seen">
                {self ? "now (this device)" : seen === null ? "—" : formatRelative(Math.min(seen, now), now)}
              </td>
              {onRemove && (
                <td className="members__actions">
                  {!self && !m.removed && (
                    <button
                      type="button"
                      className="button button--small"
                      data-testid="member-remove"
                      aria-label={`Remove ${memberName(m)}`}
                      onClick={() => onRemove(m)}
                    >
                      Remove
                    </button>
                  )}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
