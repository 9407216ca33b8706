/**
 * The whole window: header (with the view tabs), error banner, the current
 * view, the story drawer, and the app-wide overlays (`?` shortcuts sheet,
 * Ctrl/Cmd+K command palette).
 */
import { useMemo, useState } from "react";
import { useSessionsStore } from "../stores/useSessionsStore";
import { BoardView } from "./BoardView";
import { CommandPalette } from "./CommandPalette";
import { ErrorBanner } from "./ErrorBanner";
import { Header } from "./Header";
import { SessionsView } from "./SessionsView";
import { ShortcutsSheet } from "./ShortcutsSheet";
import { StoryDrawer } from "./StoryDrawer";
import { useGlobalShortcuts } from "./useGlobalShortcuts";

export function App() {
  const view = useSessionsStore((s) => s.view);
  const setView = useSessionsStore((s) => s.setView);
  const [sheet, setSheet] = useState(false);
  const [palette, setPalette] = useState(false);
  const handlers = useMemo(
    () => ({
      filter: () => {
        setView("board");
        // After the board view has rendered (it may have been the Sessions view).
        requestAnimationFrame(() => document.querySelector<HTMLInputElement>('[data-testid="board-filter"]')?.focus());
      },
      help: () => setSheet(true),
      palette: () => setPalette((open) => !open),
    }),
    [setView],
  );
  useGlobalShortcuts(handlers);
  return (
    <div className="app">
      <Header />
      <ErrorBanner />
      <div className="app__body">
        <main className="app__main">{view === "board" ? <BoardView /> : <SessionsView />}</main>
        <StoryDrawer />
      </div>
      {sheet && <ShortcutsSheet onClose={() => setSheet(false)} />}
      {palette && <CommandPalette onClose={() => setPalette(false)} />}
    </div>
  );
}
