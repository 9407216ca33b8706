/** A select over the board's stories (hidden ones included), with a "none" option. */
import type { Story } from "../../../src-shared/Story";
import { useBoardStore } from "../stores/useBoardStore";

interface Props {
  value: string | null;
  onChange(storyId: string | null): void;
  noneLabel: string;
  label: string;
  testId: string;
}

const EMPTY: Story[] = [];

export function StorySelect({ value, onChange, noneLabel, label, testId }: Props) {
  const stories = useBoardStore((s) => s.board?.stories ?? EMPTY);
  const known = value === null || stories.some((s) => s.id === value);
  return (
    <select
      className="select"
      aria-label={label}
      data-testid={testId}
      value={value ?? ""}
      onChange={(e) => onChange(e.target.value === "" ? null : e.target.value)}
    >
      <option value="">{noneLabel}</option>
      {!known && value !== null && <option value={value}>{value}</option>}
      {stories.map((story) => (
        <option key={story.id} value={story.id}>
          {story.name}
        </option>
      ))}
    </select>
  );
}
