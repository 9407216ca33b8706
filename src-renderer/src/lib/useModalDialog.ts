/**
 * A native modal <dialog> opened while the component is mounted: the page
 * behind is inert and focus stays inside. Every way out — Escape (the
 * browser's close watcher), a close button calling `close()`, a click on
 * the backdrop — ends in the element's `close` event, which calls `onClose`
 * (one path, so the owner unmounts it and puts focus back on its opener).
 *
 * Dialogs may stack (an invite dialog over the members dialog): Escape
 * closes only the top one, and its keydown does not reach other Escape
 * listeners (the story drawer's, the dialog below).
 *
 * Same behaviour as the sync panel's dialog, as a hook for the dialogs that
 * came after it.
 */
import { useEffect, useRef, type KeyboardEvent, type MouseEvent, type RefObject } from "react";

export interface ModalDialog {
  ref: RefObject<HTMLDialogElement | null>;
  /** Spread onto the <dialog>. */
  props: {
    onMouseDown(e: MouseEvent<HTMLDialogElement>): void;
    onClick(e: MouseEvent<HTMLDialogElement>): void;
    onKeyDown(e: KeyboardEvent<HTMLDialogElement>): void;
  };
  close(): void;
}

/** `initialFocus` gets focus on open (else the browser focuses the first focusable element). */
export function useModalDialog(onClose: () => void, initialFocus?: RefObject<HTMLElement | null>): ModalDialog {
  const ref = useRef<HTMLDialogElement>(null);
  // The press must start on the backdrop too: a text selection dragged out of
  // a field onto the backdrop also ends in a click on the dialog.
  const pressedOnBackdrop = useRef(false);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.addEventListener("close", onClose);
    if (!el.open) el.showModal();
    initialFocus?.current?.focus();
    return () => {
      el.removeEventListener("close", onClose);
      if (el.open) el.close();
    };
  }, [onClose, initialFocus]);

  return {
    ref,
    close: () => ref.current?.close(),
    props: {
      // Clicks on the content land on its inner wrapper; only the backdrop hits the dialog itself.
      onMouseDown: (e) => {
        pressedOnBackdrop.current = e.target === e.currentTarget;
      },
      onClick: (e) => {
        if (pressedOnBackdrop.current && e.target === e.currentTarget) ref.current?.close();
      },
      onKeyDown: (e) => {
        if (e.key === "Escape") e.stopPropagation();
      },
    },
  };
}
