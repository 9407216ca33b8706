/** A short notice at the bottom ("Deleted · Undo", "Undid rename …"); it fades after a few seconds. */
import { useEffect } from "react";
import { useBoardStore } from "../stores/useBoardStore";

const SHOW_MS = 6_000;

export function Toast() {
  const toast = useBoardStore((s) => s.toast);
  const dismiss = useBoardStore((s) => s.dismissToast);
  const edit = useBoardStore((s) => s.edit);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(dismiss, SHOW_MS);
    return () => clearTimeout(timer);
  }, [toast, dismiss]);
  if (!toast) return null;
  const restoreId = toast.restoreId;
  return (
    <div className="toast" role="status" data-testid="toast">
      <span>{toast.text}</span>
      {restoreId !== undefined && (
        <>
          <span aria-hidden="true">·</span>
          <button
            type="button"
            className="toast__action"
            data-testid="toast-undo"
            onClick={() => {
              dismiss();
              void edit("restore the deleted story", "story/restore", { id: restoreId });
            }}
          >
            Undo
          </button>
        </>
      )}
      <button type="button" className="toast__close" aria-label="Dismiss" onClick={dismiss}>
        ×
      </button>
    </div>
  );
}
