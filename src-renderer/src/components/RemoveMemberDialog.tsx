/**
 * The confirmation before `member/remove`: names the member, says honestly
 * what removal does (its later edits are refused everywhere and its links
 * are closed; what it already has, it keeps), and defaults to Cancel, so
 * Enter on a stray focus never removes anyone. A refusal (`forbidden`: this
 * device is not an admin; the member is already gone) is shown inline.
 */
import { useId, useRef, useState } from "react";
import { useModalDialog } from "../lib/useModalDialog";
import { memberName } from "../members/memberName";
import { useMembersStore, type Member } from "../stores/useMembersStore";
import { shortNodeId } from "../sync/shortNodeId";

interface Props {
  member: Member;
  /** Called when the node accepted the removal, before the dialog closes. */
  onRemoved(): void;
  onClose(): void;
}

export function RemoveMemberDialog({ member, onRemoved, onClose }: Props) {
  const remove = useMembersStore((s) => s.remove);
  const cancel = useRef<HTMLButtonElement>(null);
  const dialog = useModalDialog(onClose, cancel);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await remove(member.nodeId);
    setBusy(false);
    if (result.ok) {
      onRemoved();
      dialog.close();
      return;
    }
    setError(result.forbidden ? "Only an admin can remove members: the node refused, this device is not an admin of the workspace." : result.error);
  };

  return (
    <dialog
      ref={dialog.ref}
      className="modal member-dialog member-dialog--narrow"
      data-testid="remove-dialog"
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-what`}
      {...dialog.props}
    >
      <div className="modal__content">
        <h2 className="modal__title" id={`${id}-title`}>
          Remove {memberName(member)}?
        </h2>
        <p className="member-form__hint" id={`${id}-what`}>
          The device <code title={member.nodeId}>{shortNodeId(member.nodeId)}</code> is disconnected and its later edits are refused
          on every device. What it already has, it keeps: removal does not take back data it synced before. It can come back only
          with a new invite.
        </p>
        {error !== null && (
          <p className="member-form__error" role="alert" data-testid="remove-error">
            {error}
          </p>
        )}
        <div className="member-form__actions">
          <button ref={cancel} type="button" className="button" data-testid="remove-cancel" onClick={dialog.close}>
            Cancel
          </button>
          <button type="button" className="button button--danger" data-testid="remove-confirm" disabled={busy} onClick={() => void confirm()}>
            {busy ? "Removing…" : "Remove"}
          </button>
        </div>
      </div>
    </dialog>
  );
}
