/**
 * Renderer entry: pick the transport, build the one board store, render.
 * The store and client live for the page's lifetime; they are created here
 * (not at module level elsewhere) so every other module stays constructible.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createClient } from "./client/createClient";
import { App } from "./components/App";
import { BoardStoreContext } from "./stores/BoardStoreContext";
import { createBoardStore } from "./stores/useBoardStore";
import "./styles.css";

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");

const client = createClient();
const store = createBoardStore(client);
window.addEventListener("pagehide", () => {
  store.dispose();
  client.close();
});

createRoot(container).render(
  <StrictMode>
    <BoardStoreContext.Provider value={store}>
      <App />
    </BoardStoreContext.Provider>
  </StrictMode>,
);
