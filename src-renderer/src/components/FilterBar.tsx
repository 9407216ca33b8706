/**
 * The board's filter: a search box (`/` focuses it; Escape clears it, then
 * leaves it) and quick toggles. Shows how many stories the filter shows.
 */
import type { KeyboardEvent } from "react";
import type { BoardFilter } from "../board/boardFilter";

interface Props {
  filter: BoardFilter;
  onChange(filter: BoardFilter): void;
  shown: number;
  total: number;
}

const TOGGLES: { key: "claimed" | "blocked" | "agent" | "showHidden"; label: string; title: string }[] = [
  { key: "claimed", label: "Claimed", title: "Only stories someone has claimed" },
  { key: "blocked", label: "Blocked", title: "Only blocked stories" },
  { key: "agent", label: "Agent", title: "Only stories with an agent" },
  { key: "showHidden", label: "Show hidden", title: "Also show hidden stories" },
];

export function FilterBar({ filter, onChange, shown, total }: Props) {
  const keyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== "Escape") return;
    e.preventDefault();
    if (filter.text) onChange({ ...filter, text: "" });
    else e.currentTarget.blur();
  };
  return (
    <div className="filter" role="search" aria-label="Filter the board">
      <input
        className="input filter__input"
        type="search"
        data-testid="board-filter"
        aria-label="Filter stories by name, agent or id"
        aria-keyshortcuts="/"
        placeholder="Filter stories…  /"
        value={filter.text}
        maxLength={200}
        onChange={(e) => onChange({ ...filter, text: e.target.value })}
        onKeyDown={keyDown}
      />
      {TOGGLES.map((t) => (
        <button
          key={t.key}
          type="button"
          className={`toggle${filter[t.key] ? " toggle--on" : ""}`}
          aria-pressed={filter[t.key]}
          title={t.title}
          data-testid={`filter-${t.key}`}
          onClick={() => onChange({ ...filter, [t.key]: !filter[t.key] })}
        >
          {t.label}
        </button>
      ))}
      <span className="filter__count" data-testid="filter-count" aria-live="polite">
        {shown === total ? `${total} ${total === 1 ? "story" : "stories"}` : `${shown} of ${total} stories`}
      </span>
    </div>
  );
}
