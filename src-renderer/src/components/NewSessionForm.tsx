/** Title + optional story + button. The title is kept if the call fails. */
import { useState, type FormEvent } from "react";
import { useSessionsStore } from "../stores/useSessionsStore";
import { StorySelect } from "./StorySelect";

export function NewSessionForm() {
  const createSession = useSessionsStore((s) => s.createSession);
  const storyFilter = useSessionsStore((s) => s.storyFilter);
  const [title, setTitle] = useState("");
  // undefined = follow the list's story filter until the user picks something.
  const [picked, setPicked] = useState<string | null | undefined>(undefined);
  const storyId = picked === undefined ? storyFilter : picked;
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!title.trim() || busy) return;
    setBusy(true);
    const ok = await createSession(title.trim(), storyId);
    setBusy(false);
    if (ok) setTitle("");
  };

  return (
    <form className="new-session" onSubmit={(e) => void submit(e)} aria-label="New session">
      <input
        className="input"
        data-testid="new-session-title"
        aria-label="New session title"
        placeholder="New session title…"
        maxLength={500}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <div className="new-session__row">
        <StorySelect
          value={storyId}
          onChange={setPicked}
          noneLabel="No story"
          label="Story of the new session"
          testId="new-session-story"
        />
        <button className="button button--primary" type="submit" data-testid="new-session-submit" disabled={busy || !title.trim()}>
          New session
        </button>
      </div>
    </form>
  );
}
