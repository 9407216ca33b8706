/**
 * Renderer entry: pick the transport, build the board, navigation, sessions, sync and members stores, render.
 * The store and client live for the page's lifetime; they are created here
 * (not at module level elsewhere) so every other module stays constructible.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createClient } from "./client/createClient";
import { applyThemeChoice, readThemeChoice } from "./lib/themeChoice";
import { App } from "./components/App";
import { createBoardStore, BoardStoreContext } from "./stores/useBoardStore";
import { createNavigationStore, NavigationStoreContext } from "./stores/useNavigationStore";
import { createSessionsStore, SessionsStoreContext } from "./stores/useSessionsStore";
import { createMembersStore, MembersStoreContext } from "./stores/useMembersStore";
import { createSyncStore, SyncStoreContext } from "./stores/useSyncStore";
import "./forms.css";
import "./modal.css";
import "./styles.css";
import "./sessions.css";
import "./sessionDetail.css";
import "./sync.css";
import "./story.css";
import "./board.css";
import "./members.css";
import "./theme.css";

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");

// Before the first paint, so a fixed theme never flashes the other one.
applyThemeChoice(document.documentElement, readThemeChoice(localStorage));

const client = createClient();
const store = createBoardStore(client);
const navigation = createNavigationStore();
const sessions = createSessionsStore(client, navigation);
const sync = createSyncStore(client);
const members = createMembersStore(client);
window.addEventListener("pagehide", () => {
  store.dispose();
  sessions.dispose();
  sync.dispose();
  members.dispose();
  client.close();
});

createRoot(container).render(
  <StrictMode>
    <BoardStoreContext.Provider value={store}>
      <NavigationStoreContext.Provider value={navigation}>
        <SessionsStoreContext.Provider value={sessions}>
          <SyncStoreContext.Provider value={sync}>
            <MembersStoreContext.Provider value={members}>
              <App />
            </MembersStoreContext.Provider>
          </SyncStoreContext.Provider>
        </SessionsStoreContext.Provider>
      </NavigationStoreContext.Provider>
    </BoardStoreContext.Provider>
  </StrictMode>,
);
