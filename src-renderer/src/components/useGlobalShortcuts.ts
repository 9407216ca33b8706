/**
 * App-wide keys: `/` focuses the board filter, `?` opens the shortcuts
 * sheet, Ctrl/Cmd+K the command palette. `/` and `?` are ignored while the
 * user types in a field (they are characters there); Ctrl/Cmd+K works
 * everywhere.
 */
import { useEffect } from "react";

interface Handlers {
  filter(): void;
  help(): void;
  palette(): void;
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.matches("input, textarea, select");
}

export function useGlobalShortcuts(handlers: Handlers): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        handlers.palette();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || e.defaultPrevented) return;
      if (e.key === "/") {
        e.preventDefault();
        handlers.filter();
      } else if (e.key === "?") {
        e.preventDefault();
        handlers.help();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [handlers]);
}
