/** The whole window: header (with the view tabs), error banner, the current view, the story drawer. */
import { useSessionsStore } from "../stores/useSessionsStore";
import { BoardView } from "./BoardView";
import { ErrorBanner } from "./ErrorBanner";
import { Header } from "./Header";
import { SessionsView } from "./SessionsView";
import { StoryDrawer } from "./StoryDrawer";

export function App() {
  const view = useSessionsStore((s) => s.view);
  return (
    <div className="app">
      <Header />
      <ErrorBanner />
      <div className="app__body">
        <main className="app__main">{view === "board" ? <BoardView /> : <SessionsView />}</main>
        <StoryDrawer />
      </div>
    </div>
  );
}
