/** The whole window: header, error banner, board. */
import { BoardView } from "./BoardView";
import { ErrorBanner } from "./ErrorBanner";
import { Header } from "./Header";

export function App() {
  return (
    <div className="app">
      <Header />
      <ErrorBanner />
      <main className="app__main">
        <BoardView />
      </main>
    </div>
  );
}
