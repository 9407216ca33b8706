/** The whole window: header (with the view tabs), error banner, the current view, the story drawer. */
import { useSessionsStore } from "../stores/useSessionsStore";
import { BoardFilters } from "./BoardFilters";
import { BoardView } from "./BoardView";
import { ErrorBanner } from "./ErrorBanner";
import { Header } from "./Header";
import { SessionsView } from "./SessionsView";
import { StoryDrawer } from "./StoryDrawer";
import { Toast } from "./Toast";
import { useUndoShortcuts } from "./useUndoShortcuts";

export function App() {
  const view = useSessionsStore((s) => s.view);
  useUndoShortcuts();
  return (
    <div className="app">
      <Header />
      <ErrorBanner />
      <div className="app__body">
        <main className="app__main">
          {view === "board" ? (
            <>
              <BoardFilters />
              <BoardView />
            </>
          ) : (
            <SessionsView />
          )}
        </main>
        <StoryDrawer />
      </div>
      <Toast />
    </div>
  );
}
