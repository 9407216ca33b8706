/**
 * Ctrl/Cmd+K: find a story by name, then act on it (open its panel, move it
 * to a stage, claim or release, hide or unhide). A modal dialog with one
 * text field and a listbox: ↑/↓ choose (aria-activedescendant), Enter runs,
 * Escape goes back a step, then closes. Lists come from `paletteItems`.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { Story } from "../../../src-shared/Story";
import { commandsFor, matchingStories, type PaletteCommand } from "../board/paletteItems";
import { useBoardStore } from "../stores/useBoardStore";
import { useNavigationStore } from "../stores/useNavigationStore";

export function CommandPalette({ onClose }: { onClose(): void }) {
  const board = useBoardStore((s) => s.board);
  const moveStory = useBoardStore((s) => s.moveStory);
  const storyAction = useBoardStore((s) => s.storyAction);
  const openStory = useNavigationStore((s) => s.openStory);
  const setView = useNavigationStore((s) => s.setView);
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState("");
  const [story, setStory] = useState<Story | null>(null);
  const [selected, setSelected] = useState(0);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const stories = useMemo(() => (board && !story ? matchingStories(board, query) : []), [board, story, query]);
  const commands = useMemo(() => {
    if (!board || !story) return [];
    const q = query.trim().toLowerCase();
    return commandsFor(board, story).filter((c) => c.label.toLowerCase().includes(q));
  }, [board, story, query]);
  const count = story ? commands.length : stories.length;
  const current = Math.min(selected, Math.max(0, count - 1));

  const run = (command: PaletteCommand, target: Story) => {
    onClose();
    switch (command.kind) {
      case "open":
        setView("board");
        openStory(target.id);
        return;
      case "move":
        void moveStory(target.id, command.stage, board ? board.stories.filter((s) => s.stage === command.stage && !s.hidden).length : 0);
        return;
      default:
        void storyAction(`story/${command.kind}`, target.id);
    }
  };

  const choose = (i: number) => {
    if (story) {
      const c = commands[i];
      if (c) run(c, story);
    } else if (stories[i]) {
      setStory(stories[i]!);
      setQuery("");
      setSelected(0);
    }
  };

  const keyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (count > 0) setSelected((current + (e.key === "ArrowDown" ? 1 : count - 1)) % count);
    } else if (e.key === "Enter") {
      e.preventDefault();
      choose(current);
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (story) {
        setStory(null);
        setQuery("");
        setSelected(0);
      } else onClose();
    }
  };

  const optionId = (i: number) => `palette-option-${i}`;
  return (
    <dialog ref={dialog} className="palette" aria-label="Command palette" data-testid="command-palette" onClose={onClose}>
      <input
        className="palette__input"
        data-testid="palette-input"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={count > 0 ? optionId(current) : undefined}
        aria-label={story ? `Action for “${story.name}”` : "Go to a story by name"}
        placeholder={story ? `What to do with “${story.name}”…` : "Go to a story…"}
        autoFocus
        value={query}
        maxLength={200}
        onChange={(e) => {
          setQuery(e.target.value);
          setSelected(0);
        }}
        onKeyDown={keyDown}
      />
      <ul className="palette__list" id="palette-list" role="listbox" aria-label={story ? "Actions" : "Stories"}>
        {(story ? commands.map((c) => c.label) : stories.map((s) => s.name)).map((label, i) => (
          <li
            key={story ? label : stories[i]!.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === current}
            className={`palette__item${i === current ? " palette__item--on" : ""}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(i)}
          >
            <span className="palette__label">{label}</span>
            {!story && <span className="palette__hint">{stageName(board, stories[i]!)}</span>}
          </li>
        ))}
        {count === 0 && <li className="palette__none">{story ? "No such action" : "No story matches"}</li>}
      </ul>
    </dialog>
  );
}

function stageName(board: { stages: { id: string; name: string }[] } | null, story: Story): string {
  const name = board?.stages.find((s) => s.id === story.stage)?.name ?? story.stage;
  return story.hidden ? `${name} · hidden` : name;
}
