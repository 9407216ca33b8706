/** "Board" | "Sessions": which view fills the window (no router: one piece of store state). */
import { useSessionsStore, type View } from "../stores/useSessionsStore";

const TABS: { id: View; label: string }[] = [
  { id: "board", label: "Board" },
  { id: "sessions", label: "Sessions" },
];

export function ViewTabs() {
  const view = useSessionsStore((s) => s.view);
  const setView = useSessionsStore((s) => s.setView);
  return (
    <nav className="tabs" role="tablist" aria-label="Views">
      {TABS.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          className={`tabs__tab${view === tab.id ? " tabs__tab--active" : ""}`}
          data-testid={`tab-${tab.id}`}
          aria-selected={view === tab.id}
          onClick={() => setView(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </nav>
  );
}
