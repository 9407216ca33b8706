/**
 * The story panel is the editor: every field in place (name, description,
 * stage, agent, blocked, depends-on), the actions (retry, claim/release,
 * hide/unhide, delete), open conflicts with one-click Keep, and the
 * history. It reads `story/get` + `story/history` when opened and whenever
 * the board's copy of the story changes (a local edit or a peer's), so what
 * it shows is the node's truth; every edit goes through the board store,
 * which names a failure in the banner.
 */
import { useEffect, useState } from "react";
import { STAGES, type StageId } from "../../../../src-shared/stages";
import type { HistoryEntry, Story, StoryConflict, StoryDetail } from "../../../../src-shared/Story";
import { useBoardStore } from "../../stores/useBoardStore";
import { useNavigationStore } from "../../stores/useNavigationStore";
import { useSyncStore } from "../../stores/useSyncStore";
import { shortNodeId } from "../../sync/shortNodeId";
import { ConflictList } from "./ConflictList";
import { DependsOnPicker } from "./DependsOnPicker";
import { EditableText } from "./EditableText";
import { StoryHistoryList } from "./StoryHistoryList";

const NO_STORIES: readonly Story[] = [];
const quote = (s: string): string => `'${s.length > 40 ? `${s.slice(0, 37)}…` : s}'`;

export function StoryPanel({ storyId }: { storyId: string }) {
  const boardStory = useBoardStore((s) => s.board?.stories.find((x) => x.id === storyId) ?? null);
  const stories = useBoardStore((s) => s.board?.stories ?? NO_STORIES);
  const edit = useBoardStore((s) => s.edit);
  const deleteStory = useBoardStore((s) => s.deleteStory);
  const loadStory = useBoardStore((s) => s.loadStory);
  const loadHistory = useBoardStore((s) => s.loadHistory);
  const openStory = useNavigationStore((s) => s.openStory);
  const me = useSyncStore((s) => s.status?.nodeId ?? null);
  const [detail, setDetail] = useState<StoryDetail | null>(null);
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    let live = true;
    void (async () => {
      const [d, h] = await Promise.all([loadStory(storyId), loadHistory(storyId)]);
      if (!live) return;
      setDetail(d);
      setMissing(d === null);
      setHistory(h ?? []);
    })();
    return () => {
      live = false;
    };
  }, [storyId, boardStory, loadStory, loadHistory]);

  const story = detail;
  if (!story) {
    return <p className="muted">{missing ? "This story is not on the board any more (deleted or unreachable)." : "Loading…"}</p>;
  }
  const name = quote(story.name);
  const update = (label: string, patch: { name?: string; description?: string; agent?: string | null; blocked?: boolean; dependsOn?: string[] }) =>
    void edit(label, "story/update", { id: story.id, ...patch });
  const move = (stage: StageId) => void edit(`move ${name}`, "story/move", { id: story.id, stage });
  const keep = (c: StoryConflict, value: string | boolean | null) => {
    const label = `keep a value of ${name}`;
    if (c.field === "stage") {
      const column = stories.filter((s) => s.stage === value && !s.hidden);
      const at = column.findIndex((s) => s.id === story.id);
      void edit(label, "story/move", { id: story.id, stage: value as StageId, ...(at >= 0 ? { index: at } : {}) });
    } else if (c.field === "name") update(label, { name: String(value) });
    else if (c.field === "description") update(label, { description: String(value ?? "") });
    else if (c.field === "agent") update(label, { agent: value === null || value === "" ? null : String(value) });
    else update(label, { blocked: value === true });
  };

  return (
    <div className="panel" data-testid="story-panel">
      <EditableText
        label="Name"
        value={story.name}
        placeholder="Name"
        maxLength={500}
        testId="story-name"
        className="panel__name"
        onSave={(next) => next.trim() && update(`rename ${name}`, { name: next.trim() })}
      />
      {story.hidden && <p className="panel__note">Hidden from the board.</p>}
      <ConflictList conflicts={story.conflicts} me={me} onKeep={keep} />
      <dl className="panel__fields">
        <div className="panel__field">
          <dt>Stage</dt>
          <dd>
            <select className="select panel__select" data-testid="story-stage" aria-label="Stage" value={story.stage} onChange={(e) => move(e.target.value as StageId)}>
              {STAGES.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </dd>
        </div>
        <div className="panel__field">
          <dt>Agent</dt>
          <dd>
            <EditableText
              label="Agent"
              value={story.agent ?? ""}
              placeholder="No agent"
              maxLength={200}
              testId="story-agent"
              onSave={(next) => update(`set the agent of ${name}`, { agent: next.trim() || null })}
            />
          </dd>
        </div>
        <div className="panel__field">
          <dt>Blocked</dt>
          <dd>
            <label className="panel__check">
              <input type="checkbox" className="check" data-testid="story-blocked" checked={story.blocked} onChange={(e) => update(`${e.target.checked ? "block" : "unblock"} ${name}`, { blocked: e.target.checked })} />
              {story.blocked ? "Blocked" : "Not blocked"}
            </label>
          </dd>
        </div>
        <div className="panel__field">
          <dt>Claimed by</dt>
          <dd className="panel__inline">
            <span title={story.claimedBy ?? undefined}>{story.claimedBy === null ? "Nobody" : story.claimedBy === me ? "this device" : /^[0-9a-f]{64}$/.test(story.claimedBy) ? shortNodeId(story.claimedBy) : story.claimedBy}</span>
            {story.claimedBy === null ? (
              <button type="button" className="button button--small" data-testid="story-claim" onClick={() => void edit(`claim ${name}`, "story/claim", { id: story.id })}>
                Claim
              </button>
            ) : (
              <button type="button" className="button button--small" data-testid="story-release" onClick={() => void edit(`release ${name}`, "story/release", { id: story.id })}>
                Release
              </button>
            )}
          </dd>
        </div>
        <div className="panel__field">
          <dt>Retries</dt>
          <dd className="panel__inline">
            <span>{story.retryCount}</span>
            <button type="button" className="button button--small" data-testid="story-retry" onClick={() => void edit(`retry ${name}`, "story/retry", { id: story.id })}>
              Retry
            </button>
          </dd>
        </div>
        <div className="panel__field panel__field--wide">
          <dt>Depends on</dt>
          <dd>
            <DependsOnPicker story={story} stories={stories} onOpen={(id) => openStory(id)} onChange={(dependsOn) => update(`change what ${name} depends on`, { dependsOn })} />
          </dd>
        </div>
        <div className="panel__field panel__field--wide">
          <dt>Description</dt>
          <dd>
            <EditableText
              label="Description"
              value={story.description}
              placeholder="Add a description…"
              multiline
              maxLength={65_536}
              testId="story-description"
              className="panel__description"
              onSave={(next) => update(`describe ${name}`, { description: next })}
            />
          </dd>
        </div>
      </dl>
      <div className="panel__actions">
        {story.hidden ? (
          <button type="button" className="button" data-testid="story-unhide" onClick={() => void edit(`unhide ${name}`, "story/unhide", { id: story.id })}>
            Unhide
          </button>
        ) : (
          <button type="button" className="button" data-testid="story-hide" onClick={() => void edit(`hide ${name}`, "story/hide", { id: story.id })}>
            Hide
          </button>
        )}
        <button
          type="button"
          className="button button--danger"
          data-testid="story-delete"
          onClick={() =>
            void deleteStory(story.id, story.name).then((ok) => {
              if (ok) openStory(null);
            })
          }
        >
          Delete
        </button>
      </div>
      <StoryHistoryList entries={history} me={me} />
    </div>
  );
}
