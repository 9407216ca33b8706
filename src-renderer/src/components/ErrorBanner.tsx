/** Shows the latest failed action; dismissing clears it. Never blocks the board. */
import { useBoardStore } from "../stores/useBoardStore";

export function ErrorBanner() {
  const error = useBoardStore((s) => s.error);
  const dismiss = useBoardStore((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="banner banner--error" role="alert" data-testid="error-banner">
      <span className="banner__text">{error}</span>
      <button type="button" className="banner__close" onClick={dismiss} aria-label="Dismiss error">
        ×
      </button>
    </div>
  );
}
