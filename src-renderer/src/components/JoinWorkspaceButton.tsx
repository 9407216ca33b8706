/**
 * "Join a workspace…": opens the join dialog (rendered by `MembersButton`,
 * which stays mounted while joining changes the board and the member list).
 * Offered while the device holds no workspace yet (`isFresh`): on the
 * empty board's first run and in the Members view.
 */
import { useMembersStore } from "../stores/useMembersStore";

export function JoinWorkspaceButton() {
  const setJoinOpen = useMembersStore((s) => s.setJoinOpen);
  return (
    <button type="button" className="button" data-testid="join-open" aria-haspopup="dialog" onClick={() => setJoinOpen(true)}>
      Join a workspace…
    </button>
  );
}
