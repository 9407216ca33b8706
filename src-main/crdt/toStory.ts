/**
 * A story record as the API shows it. Apart from StoryRecord because it needs
 * the conflict view (storyConflicts), which itself reads records.
 */
import type { Story } from "../../src-shared/Story";
import { isConflicted } from "./storyConflicts";
import { claimState, isHidden, retryCount, type StoryRecord } from "./StoryRecord";

/** The materialized view the API returns. */
export function toStory(rec: StoryRecord): Story {
  const claim = claimState(rec);
  return {
    id: rec.id,
    name: rec.name.value,
    stage: rec.place.value.stage,
    rank: rec.place.value.rank,
    agent: rec.agent.value,
    retryCount: retryCount(rec),
    blocked: rec.blocked.value,
    dependsOn: Object.keys(rec.deps).sort(),
    claimedBy: claim.claimedBy,
    claimedAt: claim.claimedAt,
    hidden: isHidden(rec),
    conflicted: isConflicted(rec),
  };
}
