/** Name + stage + button; Enter submits. The text is kept if the call fails, so nothing typed is lost. */
import { useState, type FormEvent } from "react";
import { STAGES, type StageId } from "../../../src-shared/stages";
import { useBoardStore } from "../stores/useBoardStore";

export function NewStoryForm() {
  const createStory = useBoardStore((s) => s.createStory);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [stage, setStage] = useState<StageId>("1_backlog");

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!name.trim() || busy) return;
    setBusy(true);
    const ok = (await createStory(name, stage)) !== null;
    setBusy(false);
    if (ok) setName("");
  };

  return (
    <form className="new-story" onSubmit={(e) => void submit(e)}>
      <input
        className="input new-story__input"
        data-testid="new-story-input"
        aria-label="New story name"
        placeholder="New story…"
        maxLength={500}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <select className="select new-story__stage" data-testid="new-story-stage" aria-label="Stage of the new story" value={stage} onChange={(e) => setStage(e.target.value as StageId)}>
        {STAGES.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <button
        className="button button--primary"
        type="submit"
        data-testid="new-story-submit"
        disabled={busy || !name.trim()}
      >
        New story
      </button>
    </form>
  );
}
