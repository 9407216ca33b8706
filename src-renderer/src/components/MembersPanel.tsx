/**
 * The Members view: who belongs to this workspace (`MemberTable`), and for
 * an admin the actions on it — "Invite" (a dialog that ends with the invite
 * line and a Copy button) and "Remove" per member (after a confirmation).
 * A plain member sees the list and a line saying who can invite; the node
 * refuses its admin calls anyway, and the dialogs say so if it happens
 * (a role changed while the view was open).
 *
 * A native modal dialog opened from the header's "Members" button; the
 * invite and remove dialogs stack on top of it. A device that holds no
 * workspace yet (`isFresh`) is offered "Join a workspace" instead of a list.
 */
import { useCallback, useRef, useState } from "react";
import { useModalDialog } from "../lib/useModalDialog";
import { useNow } from "../lib/useNow";
import { isFresh, useMembersStore, type Member } from "../stores/useMembersStore";
import { useSyncStore } from "../stores/useSyncStore";
import { shortNodeId } from "../sync/shortNodeId";
import { InviteDialog } from "./InviteDialog";
import { JoinWorkspaceButton } from "./JoinWorkspaceButton";
import { MemberTable } from "./MemberTable";
import { RemoveMemberDialog } from "./RemoveMemberDialog";

interface Props {
  onClose(): void;
}

export function MembersPanel({ onClose }: Props) {
  const members = useMembersStore((s) => s.members);
  const selfId = useMembersStore((s) => s.selfId);
  const isAdmin = useMembersStore((s) => s.isAdmin);
  const loadError = useMembersStore((s) => s.loadError);
  const refresh = useMembersStore((s) => s.refresh);
  const peers = useSyncStore((s) => s.status?.peers ?? null);
  const workspaceId = useSyncStore((s) => s.status?.workspaceId ?? null);
  const now = useNow(5_000);
  const dialog = useModalDialog(onClose);
  const [inviting, setInviting] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);
  const inviteButton = useRef<HTMLButtonElement>(null);
  const removeOpener = useRef<HTMLElement | null>(null);

  const closeInvite = useCallback(() => {
    setInviting(false);
    inviteButton.current?.focus();
  }, []);
  const closeRemove = useCallback(() => {
    setRemoving(null);
    // Back to the row's button; after a removal that button is about to go, so to the dialog itself.
    const opener = removeOpener.current;
    if (opener?.isConnected) opener.focus();
    else dialog.ref.current?.focus();
  }, [dialog.ref]);
  const removed = useCallback(() => {
    removeOpener.current = null;
  }, []);
  const askRemove = useCallback((m: Member) => {
    removeOpener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setRemoving(m);
  }, []);

  const fresh = useMembersStore(isFresh);
  const current = members?.filter((m) => !m.removed) ?? [];
  // A fresh device may invite too: its first invite founds its own workspace, with it as the admin.
  const canInvite = isAdmin || fresh;
  return (
    <dialog
      ref={dialog.ref}
      className="modal members-panel"
      data-testid="members-panel"
      aria-labelledby="members-panel-title"
      tabIndex={-1}
      {...dialog.props}
    >
      <div className="modal__content">
        <header className="modal__header">
          <h2 className="modal__title" id="members-panel-title">
            Members
          </h2>
          {members !== null && !fresh && (
            <span className="members-panel__count" data-testid="members-count">
              {current.length === 1 ? "1 member" : `${current.length} members`}
            </span>
          )}
          <span className="members-panel__spacer" />
          {canInvite && (
            <button
              ref={inviteButton}
              type="button"
              className="button button--primary"
              data-testid="members-invite"
              aria-haspopup="dialog"
              onClick={() => setInviting(true)}
            >
              Invite
            </button>
          )}
          <button type="button" className="banner__close modal__close" data-testid="members-close" aria-label="Close" onClick={dialog.close}>
            ×
          </button>
        </header>
        {workspaceId !== null && (
          <p className="modal__identity">
            Workspace <code title={workspaceId}>{shortNodeId(workspaceId)}</code>
            {selfId !== null && (
              <>
                {" "}
                · this device <code title={selfId}>{shortNodeId(selfId)}</code>
              </>
            )}
          </p>
        )}

        {members === null ? (
          <div className="modal__note" role="status">
            {loadError ? `Could not load the members: ${loadError}` : "Loading the members…"}
            {loadError && (
              <button type="button" className="button button--small" onClick={() => void refresh()}>
                Retry
              </button>
            )}
          </div>
        ) : fresh ? (
          <section className="modal__section members-panel__join" aria-label="Join a workspace" data-testid="members-fresh">
            <p className="modal__help">
              This device is not in a workspace yet. It starts its own with its first story or invite; to work with a team instead, paste
              the invite an admin of its workspace made for this device.
            </p>
            <JoinWorkspaceButton />
          </section>
        ) : (
          <>
            {loadError !== null && (
              <p className="modal__note" role="status">
                Showing the last known list: {loadError}
              </p>
            )}
            <MemberTable members={members} selfId={selfId} peers={peers ?? []} now={now} onRemove={isAdmin ? askRemove : undefined} />
            {!isAdmin && (
              <p className="modal__help" data-testid="members-not-admin">
                Only admins can invite or remove members. Ask an admin of this workspace for an invite for a new device.
              </p>
            )}
          </>
        )}
      </div>
      {inviting && <InviteDialog onClose={closeInvite} />}
      {removing && <RemoveMemberDialog member={removing} onRemoved={removed} onClose={closeRemove} />}
    </dialog>
  );
}
