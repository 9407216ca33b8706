/**
 * Renderer entry: pick the transport, build the board and sessions stores, render.
 * The store and client live for the page's lifetime; they are created here
 * (not at module level elsewhere) so every other module stays constructible.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createClient } from "./client/createClient";
import { App } from "./components/App";
import { BoardStoreContext } from "./stores/BoardStoreContext";
import { createBoardStore } from "./stores/useBoardStore";
import { SessionsStoreContext } from "./stores/SessionsStoreContext";
import { createSessionsStore } from "./stores/useSessionsStore";
import "./styles.css";
import "./sessions.css";
import "./sessionDetail.css";

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");

const client = createClient();
const store = createBoardStore(client);
const sessions = createSessionsStore(client);
window.addEventListener("pagehide", () => {
  store.dispose();
  sessions.dispose();
  client.close();
});

createRoot(container).render(
  <StrictMode>
    <BoardStoreContext.Provider value={store}>
      <SessionsStoreContext.Provider value={sessions}>
        <App />
      </SessionsStoreContext.Provider>
    </BoardStoreContext.Provider>
  </StrictMode>,
);
