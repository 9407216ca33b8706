/**
 * The whole window: header (with the view tabs), error banner, the current
 * view, the story drawer, the toast (undo), and the app-wide overlays (`?` shortcuts sheet,
 * Ctrl/Cmd+K command palette).
 *
 * A view is mounted the first time it is shown and then kept: switching tabs
 * hides the other one (content-visibility), so its scroll positions, filter
 * and focus state survive the switch.
 */
import { useMemo, useState, type ReactNode } from "react";
import { useNavigationStore, type View } from "../stores/useNavigationStore";
import { BoardFilters } from "./BoardFilters";
import { BoardView } from "./BoardView";
import { CommandPalette } from "./CommandPalette";
import { ErrorBanner } from "./ErrorBanner";
import { Header } from "./Header";
import { SessionsView } from "./SessionsView";
import { ShortcutsSheet } from "./ShortcutsSheet";
import { StoryDrawer } from "./StoryDrawer";
import { Toast } from "./Toast";
import { useGlobalShortcuts } from "./useGlobalShortcuts";
import { useUndoShortcuts } from "./useUndoShortcuts";

export function App() {
  const view = useNavigationStore((s) => s.view);
  const setView = useNavigationStore((s) => s.setView);
  const [sheet, setSheet] = useState(false);
  const [palette, setPalette] = useState(false);
  const [opened, setOpened] = useState<ReadonlySet<View>>(() => new Set([view]));
  if (!opened.has(view)) setOpened(new Set([...opened, view])); // derived during render: no extra commit
  const handlers = useMemo(
    () => ({
      filter: () => {
        const box = () => document.querySelector<HTMLInputElement>('[data-testid="board-filter"]');
        const onBoard = box()?.closest("[inert]") === null;
        if (onBoard) return box()?.focus(); // at once: the next keystrokes are the query
        setView("board");
        // After the board view has rendered (it was hidden or not mounted yet).
        requestAnimationFrame(() => box()?.focus());
      },
      help: () => setSheet(true),
      palette: () => setPalette((open) => !open),
    }),
    [setView],
  );
  useGlobalShortcuts(handlers);
  useUndoShortcuts();
  return (
    <div className="app">
      <Header />
      <ErrorBanner />
      <div className="app__body">
        <main className="app__main">
          {opened.has("board") && (
            <ViewPane name="board" active={view === "board"}>
              <BoardFilters />
              <BoardView />
            </ViewPane>
          )}
          {opened.has("sessions") && (
            <ViewPane name="sessions" active={view === "sessions"}>
              <SessionsView />
            </ViewPane>
          )}
        </main>
        <StoryDrawer />
      </div>
      <Toast />
      {sheet && <ShortcutsSheet onClose={() => setSheet(false)} />}
      {palette && <CommandPalette onClose={() => setPalette(false)} />}
    </div>
  );
}

function ViewPane({ name, active, children }: { name: View; active: boolean; children: ReactNode }) {
  return (
    <div className={`view view--${name}${active ? "" : " view--inactive"}`} inert={!active} data-testid={`view-${name}`}>
      {children}
    </div>
  );
}
