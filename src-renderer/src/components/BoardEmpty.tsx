/**
 * First run: the board has no stories yet. Says what stages, agents and
 * sessions are, one sentence each, and what to do next — including joining
 * a team's workspace with an invite instead.
 */
import { isFresh, useMembersStore } from "../stores/useMembersStore";
import { JoinWorkspaceButton } from "./JoinWorkspaceButton";

export function BoardEmpty() {
  const fresh = useMembersStore(isFresh);
  return (
    <section className="first-run" aria-labelledby="first-run-title" data-testid="board-first-run">
      <h2 id="first-run-title" className="first-run__title">
        Your board is empty
      </h2>
      <ul className="first-run__list">
        <li>
          <strong>Stages</strong> are the columns a story moves through, from Backlog to Done (and Archived).
        </li>
        <li>
          <strong>Agents</strong> are the people or programs working a story; claim one to say it is yours.
        </li>
        <li>
          <strong>Sessions</strong> record the work done on a story, so the next agent picks up where the last stopped.
        </li>
      </ul>
      <p className="first-run__next">
        Next: type a name in <em>New story</em> above, or press <kbd>n</kbd> in a column. <kbd>?</kbd> lists every shortcut.
      </p>
      {fresh && (
        <p className="first-run__next" data-testid="first-run-join">
          Working with a team? Paste the invite an admin of its workspace gave you: <JoinWorkspaceButton />
        </p>
      )}
    </section>
  );
}
