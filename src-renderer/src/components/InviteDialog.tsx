/**
 * "Invite": asks the new device's name and role, asks the node for a
 * single-use invite (`member/invite`), then shows the one line with a Copy
 * button and how to use it. A modal dialog over the members dialog; Escape
 * or Close returns focus to the Invite button (the owner's `onClose`).
 *
 * The invite line is a secret until used: it is shown read-only and never
 * kept anywhere but this dialog. A refusal (`forbidden`: this device is not
 * an admin; an invalid name) is shown inline; the name stays for a retry.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useModalDialog } from "../lib/useModalDialog";
import { useMembersStore, type MemberRole } from "../stores/useMembersStore";

const NAME_MAX = 200;

interface Props {
  onClose(): void;
}

type Copy = "idle" | "copied" | "failed";

export function InviteDialog({ onClose }: Props) {
  const inviteMember = useMembersStore((s) => s.invite);
  const nameField = useRef<HTMLInputElement>(null);
  const lineField = useRef<HTMLInputElement>(null);
  const dialog = useModalDialog(onClose, nameField);
  const [name, setName] = useState("");
  const [role, setRole] = useState<MemberRole>("member");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [invite, setInvite] = useState<string | null>(null);
  const [copy, setCopy] = useState<Copy>("idle");
  const id = useId();

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const trimmed = name.trim();
    if (trimmed === "") {
      setError("Give the new device a name, e.g. the person's name or “build server”.");
      nameField.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const result = await inviteMember(trimmed, role);
    setBusy(false);
    if (!result.ok) {
      setError(result.forbidden ? "Only an admin can invite: the node refused, this device is not an admin of the workspace." : result.error);
      nameField.current?.focus();
      return;
    }
    setInvite(result.invite);
  };

  // Once the line has rendered: focus it, selected, so Ctrl+C works at once too.
  useEffect(() => {
    if (invite === null) return;
    lineField.current?.focus();
    lineField.current?.select();
  }, [invite]);

  const copyLine = async () => {
    if (invite === null) return;
    try {
      await navigator.clipboard.writeText(invite);
      setCopy("copied");
    } catch {
      // No clipboard permission (e.g. an insecure origin): leave it selected for Ctrl+C.
      lineField.current?.focus();
      lineField.current?.select();
      setCopy("failed");
    }
  };

  return (
    <dialog
      ref={dialog.ref}
      className="modal member-dialog"
      data-testid="invite-dialog"
      aria-labelledby={`${id}-title`}
      {...dialog.props}
    >
      <div className="modal__content">
        <header className="modal__header">
          <h2 className="modal__title" id={`${id}-title`}>
            Invite a device
          </h2>
          <button type="button" className="banner__close modal__close member-dialog__close" aria-label="Close" onClick={dialog.close}>
            ×
          </button>
        </header>
        {invite === null ? (
          <form className="member-form" onSubmit={(e) => void submit(e)} noValidate>
            <label className="member-form__label" htmlFor={`${id}-name`}>
              Name
            </label>
            <input
              ref={nameField}
              id={`${id}-name`}
              className="input"
              data-testid="invite-name"
              maxLength={NAME_MAX}
              autoComplete="off"
              placeholder="Who or what joins, e.g. Ada's laptop"
              aria-invalid={error !== null}
              aria-describedby={error !== null ? `${id}-error` : undefined}
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                setError(null);
              }}
            />
            <fieldset className="member-form__roles">
              <legend className="member-form__label">Role</legend>
              <label className="member-form__role">
                <input type="radio" name={`${id}-role`} value="member" checked={role === "member"} data-testid="invite-role-member" onChange={() => setRole("member")} />
                Member <span className="member-form__hint">edits the board and relays the workspace</span>
              </label>
              <label className="member-form__role">
                <input type="radio" name={`${id}-role`} value="admin" checked={role === "admin"} data-testid="invite-role-admin" onChange={() => setRole("admin")} />
                Admin <span className="member-form__hint">also invites and removes members</span>
              </label>
            </fieldset>
            {error !== null && (
              <p className="member-form__error" id={`${id}-error`} role="alert" data-testid="invite-error">
                {error}
              </p>
            )}
            <div className="member-form__actions">
              <button type="button" className="button" onClick={dialog.close}>
                Cancel
              </button>
              <button type="submit" className="button button--primary" data-testid="invite-create" disabled={busy}>
                {busy ? "Creating…" : "Create invite"}
              </button>
            </div>
          </form>
        ) : (
          <div className="member-form">
            <label className="member-form__label" htmlFor={`${id}-line`}>
              Invite for {name.trim()}
            </label>
            <div className="invite-line">
              <input
                ref={lineField}
                id={`${id}-line`}
                className="input invite-line__text"
                data-testid="invite-line"
                readOnly
                spellCheck={false}
                value={invite}
                aria-describedby={`${id}-use`}
                onFocus={(e) => e.currentTarget.select()}
              />
              <button type="button" className="button button--primary" data-testid="invite-copy" onClick={() => void copyLine()}>
                Copy
              </button>
            </div>
            <p className="member-form__status" role="status" data-testid="invite-copy-status">
              {copy === "copied" ? "Copied." : copy === "failed" ? "Could not copy: the line is selected, press Ctrl+C (⌘C)." : ""}
            </p>
            <p className="member-form__hint" id={`${id}-use`}>
              Give this line to the new device over a channel you trust: it admits one device, once. On that device use <em>Join a
              workspace</em> in the app, or run <code>musher serve --join LINE</code>. This dialog is the only place it is shown.
            </p>
            <div className="member-form__actions">
              <button type="button" className="button" data-testid="invite-done" onClick={dialog.close}>
                Done
              </button>
            </div>
          </div>
        )}
      </div>
    </dialog>
  );
}
