/**
 * What matters about a story at a glance, under its name on the card:
 * conflict, blocked, agent, who claimed it, retries, dependencies. No raw
 * ids. Each fact is text (readable by screen readers and in the card's
 * accessible name), coloured with CSS custom properties so a theme can
 * restyle them; every colour pair meets WCAG AA.
 */
import type { Story } from "../../../src-shared/Story";

/** The facts as words, for the card's accessible name. */
export function cardFactWords(story: Story): string[] {
  return [
    story.conflicted ? "conflict" : null,
    story.blocked ? "blocked" : null,
    story.hidden ? "hidden" : null,
    story.agent ? `agent ${story.agent}` : null,
    story.claimedBy ? `claimed by ${story.claimedBy}` : null,
    story.retryCount > 0 ? `${story.retryCount} ${story.retryCount === 1 ? "retry" : "retries"}` : null,
    story.dependsOn.length > 0 ? `${story.dependsOn.length} ${story.dependsOn.length === 1 ? "dependency" : "dependencies"}` : null,
  ].filter((w): w is string => w !== null);
}

export function CardFacts({ story }: { story: Story }) {
  // A node key (the default claimant) is shortened; a person's or agent's name is shown as is (CSS ellipsis).
  const claimedBy = story.claimedBy && /^[0-9a-f]{64}$/.test(story.claimedBy) ? `${story.claimedBy.slice(0, 8)}…` : story.claimedBy;
  return (
    <div className="facts">
      {story.conflicted && (
        <span className="fact fact--conflict" data-testid="card-conflict" title="Edited on two devices while apart: open to resolve">
          ⚠ conflict
        </span>
      )}
      {story.blocked && <span className="fact fact--blocked">blocked</span>}
      {story.hidden && <span className="fact">hidden</span>}
      {story.agent && (
        <span className="fact fact--agent" title={`Agent: ${story.agent}`}>
          {story.agent}
        </span>
      )}
      {claimedBy && (
        <span className="fact" title={`Claimed by ${story.claimedBy}`}>
          claimed · {claimedBy}
        </span>
      )}
      {story.retryCount > 0 && (
        <span className="fact" title={`${story.retryCount} retries`}>
          ↻ {story.retryCount}
        </span>
      )}
      {story.dependsOn.length > 0 && (
        <span className="fact" title={`Depends on ${story.dependsOn.length} ${story.dependsOn.length === 1 ? "story" : "stories"}`}>
          {story.dependsOn.length} {story.dependsOn.length === 1 ? "dep" : "deps"}
        </span>
      )}
    </div>
  );
}
