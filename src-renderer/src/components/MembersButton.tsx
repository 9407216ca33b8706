/**
 * The header's "Members" button: opens the Members view (a modal dialog,
 * `MembersPanel`); closing it returns focus here. It also hosts the "Join a
 * workspace" dialog, whichever `JoinWorkspaceButton` opened it: the header
 * stays mounted while a join fills the board and the member list. Closing
 * that dialog returns focus to where it was opened from, if still there.
 */
import { useCallback, useLayoutEffect, useRef, useState } from "react";
import { useMembersStore } from "../stores/useMembersStore";
import { JoinWorkspaceDialog } from "./JoinWorkspaceDialog";
import { MembersPanel } from "./MembersPanel";

export function MembersButton() {
  const [open, setOpen] = useState(false);
  const joinOpen = useMembersStore((s) => s.joinOpen);
  const setJoinOpen = useMembersStore((s) => s.setJoinOpen);
  const button = useRef<HTMLButtonElement>(null);
  const joinOpener = useRef<Element | null>(null);
  // A layout effect runs before the dialog's own (passive) effect moves focus into it.
  useLayoutEffect(() => {
    if (joinOpen) joinOpener.current = document.activeElement;
  }, [joinOpen]);
  const close = useCallback(() => {
    setOpen(false);
    button.current?.focus();
  }, []);
  const closeJoin = useCallback(() => {
    setJoinOpen(false);
    const opener = joinOpener.current;
    joinOpener.current = null;
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    else button.current?.focus();
  }, [setJoinOpen]);
  return (
    <>
      <button
        ref={button}
        type="button"
        className="button"
        data-testid="members-button"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen(true)}
      >
        Members
      </button>
      {open && <MembersPanel onClose={close} />}
      {joinOpen && <JoinWorkspaceDialog onClose={closeJoin} />}
    </>
  );
}
