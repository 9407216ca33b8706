/**
 * Size limits that force a cut whatever a detector thinks, so the pending
 * buffer (and any prompt built from it) stays bounded.
 *
 * Token estimate: ceil(content.length / 4) per message, length in UTF-16 code
 * units. It is the usual rule of thumb for English with BPE tokenizers; it
 * needs no tokenizer dependency and is identical on every replica, which
 * matters more here than precision.
 *
 * A segment is closed after its `maxMessages`-th message, or before the
 * message that would push it past `maxTokens` (a single oversized message
 * still forms a segment of its own rather than being split or dropped).
 */
import type { Message } from "./Message";

export interface SegmentLimits {
  maxMessages: number;
  maxTokens: number;
}

export const DEFAULT_SEGMENT_LIMITS: SegmentLimits = { maxMessages: 500, maxTokens: 65_536 };

export function estimateTokens(content: string): number {
  return Math.ceil(content.length / 4);
}

/**
 * Forced boundaries (1-based "cut after") over `messages`, given the natural
 * boundaries already chosen; returns the union, sorted. Segments between
 * natural boundaries and the tail are checked alike, so a forced cut never
 * leaves an over-limit tail in the buffer.
 */
export function withForcedCuts(
  messages: readonly Message[],
  natural: readonly number[],
  limits: SegmentLimits,
): number[] {
  const naturalSet = new Set(natural);
  const cuts = new Set<number>(natural);
  let count = 0;
  let tokens = 0;
  for (let i = 0; i < messages.length; i++) {
    const msg = messages[i];
    if (msg === undefined) throw new Error("unreachable: index within bounds");
    const t = estimateTokens(msg.content);
    if (count > 0 && tokens + t > limits.maxTokens) {
      cuts.add(i); // cut after message i (1-based), i.e. before this one
      count = 0;
      tokens = 0;
    }
    count += 1;
    tokens += t;
    if (count >= limits.maxMessages || naturalSet.has(i + 1)) {
      if (count >= limits.maxMessages) cuts.add(i + 1);
      count = 0;
      tokens = 0;
    }
  }
  return [...cuts].sort((a, b) => a - b);
}
