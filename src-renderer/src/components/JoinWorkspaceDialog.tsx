/**
 * "Join a workspace" (the desktop app's way to do `musher serve --join`):
 * paste the invite line an admin made, and the node adopts the invite's
 * workspace (`member/join`). Only a fresh device can join; the node says so
 * otherwise.
 *
 * Joining has two steps, and the dialog shows both:
 * 1. `member/join` checks the line and adopts the workspace at once; its
 *    refusals are shown inline: not an invite, this device already has data,
 *    an invite the node already knows is used or expired.
 * 2. A member at one of the invite's addresses must then admit the device.
 *    Until this device appears in the member list, the dialog lists those
 *    addresses with their state from `sync/status` (connected, or cannot be
 *    reached and when the next attempt is), so an unreachable address or a
 *    refused invite is visible rather than a silent wait.
 */
import { useId, useRef, useState, type FormEvent } from "react";
import { MAX_INVITE_CHARS } from "../../../src-shared/memberMethods";
import { useModalDialog } from "../lib/useModalDialog";
import { useNow } from "../lib/useNow";
import { describeJoinLink } from "../members/describeJoinLink";
import { useMembersStore, type ActionFailure } from "../stores/useMembersStore";
import { useSyncStore } from "../stores/useSyncStore";
import { shortNodeId } from "../sync/shortNodeId";

interface Props {
  onClose(): void;
}

/** A refusal of `member/join`, in words that say what to do next. */
export function joinErrorText(failure: Pick<ActionFailure, "code" | "error">): string {
  switch (failure.code) {
    case "invalid_input":
      return `That is not a valid invite (${failure.error}). Copy the whole line again.`;
    case "conflict":
      return `This device cannot join: ${failure.error}`;
    case "forbidden":
      return `The invite was refused: ${failure.error}. Ask an admin for a new one.`;
    case "unavailable":
      return `Could not reach the workspace: ${failure.error}`;
    default:
      return failure.error;
  }
}

/** Spaces and line breaks a chat or mail client put into a pasted line are not part of it. */
const cleanInvite = (text: string) => text.replace(/\s+/g, "");

export function JoinWorkspaceDialog({ onClose }: Props) {
  const join = useMembersStore((s) => s.join);
  const members = useMembersStore((s) => s.members);
  const selfId = useMembersStore((s) => s.selfId);
  const status = useSyncStore((s) => s.status);
  const field = useRef<HTMLTextAreaElement>(null);
  const dialog = useModalDialog(onClose, field);
  const now = useNow();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [joined, setJoined] = useState<string | null>(null);
  const id = useId();

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const invite = cleanInvite(text);
    const problem =
      invite === ""
        ? "Paste the invite line an admin of the workspace gave you."
        : invite.length > MAX_INVITE_CHARS
          ? `That is not an invite: it is longer than ${MAX_INVITE_CHARS.toLocaleString()} characters.`
          : null;
    if (problem !== null) {
      setError(problem);
      field.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const result = await join(invite);
    setBusy(false);
    if (result.ok) {
      setJoined(result.workspaceId);
      return;
    }
    setError(joinErrorText(result));
    field.current?.focus();
  };

  const inWorkspace = joined !== null && status?.workspaceId === joined;
  const self = inWorkspace && selfId !== null ? members?.find((m) => m.nodeId === selfId && !m.removed) : undefined;
  return (
    <dialog ref={dialog.ref} className="modal member-dialog" data-testid="join-dialog" aria-labelledby={`${id}-title`} {...dialog.props}>
      <div className="modal__content">
        <header className="modal__header">
          <h2 className="modal__title" id={`${id}-title`}>
            Join a workspace
          </h2>
          <button type="button" className="banner__close modal__close member-dialog__close" aria-label="Close" onClick={dialog.close}>
            ×
          </button>
        </header>
        {joined === null ? (
          <form className="member-form" onSubmit={(e) => void submit(e)} noValidate>
            <label className="member-form__label" htmlFor={`${id}-invite`}>
              Invite
            </label>
            <textarea
              ref={field}
              id={`${id}-invite`}
              className="input member-form__invite"
              data-testid="join-invite"
              rows={3}
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              placeholder="Paste the invite line here"
              aria-invalid={error !== null}
              aria-describedby={error !== null ? `${id}-error` : `${id}-hint`}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setError(null);
              }}
              onKeyDown={(e) => {
                // An invite is one line: Enter joins (paste, Enter); Shift+Enter still breaks a line.
                if (e.key !== "Enter" || e.shiftKey || e.nativeEvent.isComposing) return;
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }}
            />
            {error !== null ? (
              <p className="member-form__error" id={`${id}-error`} role="alert" data-testid="join-error">
                {error}
              </p>
            ) : (
              <p className="member-form__hint" id={`${id}-hint`}>
                An admin of the workspace makes it in <em>Members → Invite</em>. This device must be new: it joins with nothing of its own, and
                its board becomes the workspace&apos;s.
              </p>
            )}
            <div className="member-form__actions">
              <button type="button" className="button" onClick={dialog.close}>
                Cancel
              </button>
              <button type="submit" className="button button--primary" data-testid="join-submit" disabled={busy}>
                {busy ? "Joining…" : "Join"}
              </button>
            </div>
          </form>
        ) : self ? (
          <div className="member-form" data-testid="join-done">
            <p className="member-form__ok" role="status">
              This device is a member of workspace <code title={joined}>{shortNodeId(joined)}</code> as <strong>{self.name}</strong>. Its board
              fills in as it syncs.
            </p>
            <div className="member-form__actions">
              <button type="button" className="button button--primary" onClick={dialog.close}>
                Done
              </button>
            </div>
          </div>
        ) : (
          <div className="member-form" data-testid="join-waiting">
            <p className="member-form__status" role="status">
              Joining workspace <code title={joined}>{shortNodeId(joined)}</code>: waiting for a member to admit this device.
            </p>
            <ul className="join-links">
              {(status?.rendezvous ?? []).map((r) => {
                const link = describeJoinLink(r, now);
                return (
                  <li key={r.url} className={`join-links__entry join-links__entry--${link.tone}`} data-testid="join-link" data-state={r.state}>
                    <code className="join-links__url">{r.url}</code>
                    <span className="join-links__state" data-testid="join-link-state">
                      {link.text}
                    </span>
                  </li>
                );
              })}
            </ul>
            <p className="member-form__hint">
              An address that cannot be reached: check that the device there is running and reachable from here (the addresses can be edited in
              the sync panel). A refused invite (used or expired): ask an admin for a new one and paste it here.
            </p>
            <div className="member-form__actions">
              <button type="button" className="button" onClick={dialog.close}>
                Close
              </button>
            </div>
          </div>
        )}
      </div>
    </dialog>
  );
}
