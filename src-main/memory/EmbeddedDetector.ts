/**
 * The default boundary detector: offline, deterministic, no model.
 *
 * Cuts between two consecutive messages when
 * - the calendar day changes, in UTC. Why UTC: the result must be identical on
 *   every replica and must not change when a laptop travels; a local-time day
 *   would make two devices cut the same session differently. (The cost: a
 *   late-evening session in the Americas may split at UTC midnight; the gap
 *   rule below usually cuts there anyway.)
 * - or the gap between them is >= `gapMs` (default 4 h).
 * Plus forced cuts at `limits` (500 messages / ~65,536 tokens, see
 * `withForcedCuts.ts`). The last segment stays as the tail (buffer) unless a forced
 * cut closes it: a natural cut needs the NEXT message to exist.
 *
 * Episodes are extractive (`extractEpisode`).
 */
import type { BoundaryDetector, Detection } from "./BoundaryDetector";
import { extractEpisode } from "./extractEpisode";
import { DEFAULT_SEGMENT_LIMITS, withForcedCuts, type SegmentLimits } from "./withForcedCuts";
import type { Message } from "./Message";
import { splitAtBoundaries } from "./splitAtBoundaries";

export const DEFAULT_GAP_MS = 4 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface EmbeddedDetectorOptions {
  gapMs?: number;
  limits?: SegmentLimits;
}

export class EmbeddedDetector implements BoundaryDetector {
  private readonly gapMs: number;
  private readonly limits: SegmentLimits;

  constructor(options: EmbeddedDetectorOptions = {}) {
    this.gapMs = options.gapMs ?? DEFAULT_GAP_MS;
    this.limits = options.limits ?? DEFAULT_SEGMENT_LIMITS;
  }

  detect(messages: readonly Message[]): Promise<Detection> {
    return Promise.resolve(this.detectSync(messages));
  }

  /** Synchronous core, exported for callers that need no await (benchmarks, tests). */
  detectSync(messages: readonly Message[]): Detection {
    const natural: number[] = [];
    for (let i = 1; i < messages.length; i++) {
      const prev = messages[i - 1];
      const next = messages[i];
      if (prev === undefined || next === undefined) throw new Error("unreachable: index within bounds");
      const dayChanged = Math.floor(prev.timestamp / DAY_MS) !== Math.floor(next.timestamp / DAY_MS);
      if (dayChanged || next.timestamp - prev.timestamp >= this.gapMs) natural.push(i);
    }
    const boundaries = withForcedCuts(messages, natural, this.limits);
    const { segments, tail } = splitAtBoundaries(messages, boundaries);
    return {
      boundaries,
      shouldWait: tail.length > 0,
      episodes: segments.map((segment) => extractEpisode(segment)),
    };
  }
}
