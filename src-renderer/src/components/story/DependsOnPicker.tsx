/**
 * depends-on by story NAME: the current dependencies as links (opening that
 * story) with a remove button, and an input with the board's story names to
 * add one. Ids never show.
 */
import { useState, type FormEvent } from "react";
import type { Story } from "../../../../src-shared/Story";

interface Props {
  story: Story;
  stories: readonly Story[];
  onOpen(id: string): void;
  onChange(dependsOn: string[]): void;
}

export function DependsOnPicker({ story, stories, onOpen, onChange }: Props) {
  const [query, setQuery] = useState("");
  const byId = new Map(stories.map((s) => [s.id, s]));
  const candidates = stories.filter((s) => s.id !== story.id && !story.dependsOn.includes(s.id));
  const add = (e: FormEvent) => {
    e.preventDefault();
    const q = query.trim().toLowerCase();
    const hit = candidates.find((s) => s.name.toLowerCase() === q) ?? candidates.find((s) => s.name.toLowerCase().includes(q));
    if (!q || !hit) return;
    setQuery("");
    onChange([...story.dependsOn, hit.id]);
  };
  const listId = `deps-${story.id}`;
  return (
    <div className="deps">
      {story.dependsOn.length === 0 ? (
        <span className="muted">None</span>
      ) : (
        <ul className="deps__list" role="list">
          {story.dependsOn.map((id) => (
            <li key={id} className="deps__item">
              <button type="button" className="link" onClick={() => onOpen(id)}>
                {byId.get(id)?.name ?? "(a story not on the board)"}
              </button>
              <button
                type="button"
                className="deps__remove"
                aria-label={`Remove dependency on ${byId.get(id)?.name ?? "story"}`}
                onClick={() => onChange(story.dependsOn.filter((d) => d !== id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="deps__add" onSubmit={add}>
        <input
          className="input deps__input"
          data-testid="depends-on-input"
          aria-label="Add a dependency by story name"
          placeholder="Add by name…"
          list={listId}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <datalist id={listId}>
          {candidates.slice(0, 200).map((s) => (
            <option key={s.id} value={s.name} />
          ))}
        </datalist>
        <button type="submit" className="button button--small" disabled={!query.trim()}>
          Add
        </button>
      </form>
    </div>
  );
}
