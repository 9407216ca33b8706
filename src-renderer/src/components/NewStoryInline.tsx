/**
 * The `n` field: a story name typed straight into a column. Enter creates
 * the story last in that stage; Escape (or leaving the field empty) cancels.
 * The text stays if the call fails, so nothing typed is lost.
 */
import { useState, type FormEvent, type KeyboardEvent } from "react";
import type { StageId } from "../../../src-shared/stages";
import { useBoardStore } from "../stores/useBoardStore";

interface Props {
  stage: StageId;
  stageName: string;
  onDone(createdId: string | null): void;
}

export function NewStoryInline({ stage, stageName, onDone }: Props) {
  const createStory = useBoardStore((s) => s.createStory);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    if (!name.trim()) return onDone(null);
    setBusy(true);
    const id = await createStory(name, stage);
    setBusy(false);
    if (id) onDone(id);
  };
  const keyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    e.stopPropagation(); // typing here is not a board shortcut
    if (e.key === "Escape") {
      e.preventDefault();
      onDone(null);
    }
  };
  return (
    <form className="column__new" onSubmit={(e) => void submit(e)}>
      <input
        className="input column__new-input"
        data-testid={`new-story-inline-${stage}`}
        aria-label={`New story in ${stageName}`}
        placeholder={`New story in ${stageName}… (Enter)`}
        maxLength={500}
        autoFocus
        value={name}
        disabled={busy}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={keyDown}
      />
    </form>
  );
}
