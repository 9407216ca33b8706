/** "Board" | "Sessions": which view fills the window (no router: the navigation store). */
import { useNavigationStore, type View } from "../stores/useNavigationStore";

const TABS: { id: View; label: string }[] = [
  { id: "board", label: "Board" },
  { id: "sessions", label: "Sessions" },
];

export function ViewTabs() {
  const view = useNavigationStore((s) => s.view);
  const setView = useNavigationStore((s) => s.setView);
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
