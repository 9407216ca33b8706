/**
 * The memorize pipeline: a session's messages → memcells + pending buffer.
 *
 * addMessages(sessionId, inputs), under the session's lock (`SessionLocks`):
 *   1. ids are derived (`toMessages`); messages already buffered or already in
 *      a memcell are dropped (a retried request is a no-op);
 *   2. merged = buffer ∪ new, sorted by (timestamp, id);
 *   3. no `user` message in merged → buffer it, no detector call (an agent
 *      talking to itself is not yet an episode; only forced cuts apply);
 *   4. otherwise the detector proposes boundaries; forced cuts are added so the
 *      buffer stays bounded whatever the detector says;
 *   5. segments → memcells, tail stays buffered: the new messages and the
 *      memcells are written by ONE commitSegmentation.
 *
 * Invariant: every accepted message id is in exactly one memcell or in the
 * buffer — never both, never neither. The lock makes read→detect→commit
 * atomic per session; the store makes the commit atomic. If the detector
 * throws, nothing is written and the call fails with an `ApiFailure`, so the
 * caller may retry the same payload.
 *
 * Sessions never wait for each other; the only shared state is the store.
 */
import { z } from "zod";
import { ApiFailure, type ApiIssue } from "../../src-shared/ApiError";
import { silentLogger, type Logger } from "../base/Logger";
import type { BoundaryDetector, Detection, Episode } from "./BoundaryDetector";
import { extractEpisode } from "./extractEpisode";
import { DEFAULT_SEGMENT_LIMITS, withForcedCuts, type SegmentLimits } from "./withForcedCuts";
import { buildMemCell, type MemCell } from "./MemCell";
import { compareMessages, messageInputSchema, toMessages, type Message, type MessageInput } from "./Message";
import type { MemoryStore } from "./MemoryStore";
import { sessionIdSchema } from "./Session";
import { SessionLocks } from "./SessionLocks";
import { normalizeBoundaries, splitAtBoundaries } from "./splitAtBoundaries";

export interface MemorizeResult {
  /** "extracted" when this call produced at least one memcell. */
  status: "accumulated" | "extracted";
  /** New messages this call accepted (duplicates of known ids excluded). */
  messageCount: number;
  /** Messages left pending in the buffer after this call. */
  bufferedCount: number;
  memcells: MemCell[];
}

export interface MemorizerOptions {
  store: MemoryStore;
  detector: BoundaryDetector;
  /** Share one instance between everything that writes a session's buffer. */
  locks?: SessionLocks;
  limits?: SegmentLimits;
  logger?: Logger;
}

const addMessagesSchema = z.object({
  sessionId: sessionIdSchema,
  messages: z.array(messageInputSchema).max(10_000),
});

export class Memorizer {
  private readonly store: MemoryStore;
  private readonly detector: BoundaryDetector;
  private readonly locks: SessionLocks;
  private readonly limits: SegmentLimits;
  private readonly logger: Logger;

  constructor(options: MemorizerOptions) {
    this.store = options.store;
    this.detector = options.detector;
    this.locks = options.locks ?? new SessionLocks();
    this.limits = options.limits ?? DEFAULT_SEGMENT_LIMITS;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * `messages` is untrusted (API input): validated before anything else.
   * `segment: false` stores them without cutting anything: what a node that
   * is not the session's segmenter does (see MemoryService).
   */
  async addMessages(sessionId: string, messages: readonly MessageInput[], options: { segment?: boolean } = {}): Promise<MemorizeResult> {
    const parsed = addMessagesSchema.safeParse({ sessionId, messages });
    if (!parsed.success) {
      throw new ApiFailure("invalid_input", "invalid addMessages input", toIssues(parsed.error));
    }
    const incoming = toMessages(parsed.data.sessionId, parsed.data.messages);
    const segment = options.segment ?? true;
    return this.locks.run(sessionId, () => this.memorizeLocked(sessionId, incoming, { segment, rerun: false }));
  }

  /**
   * Runs the pipeline over the buffer as it stands, with no new messages:
   * how the segmenter memorizes messages that reached it from peers.
   */
  async resegment(sessionId: string): Promise<MemorizeResult> {
    return this.locks.run(sessionId, () => this.memorizeLocked(sessionId, [], { segment: true, rerun: true }));
  }

  /** Turns the whole buffer into one final memcell (e.g. the session ended). */
  async flush(sessionId: string): Promise<MemorizeResult> {
    const id = sessionIdSchema.safeParse(sessionId);
    if (!id.success) throw new ApiFailure("invalid_input", "invalid session id", toIssues(id.error));
    return this.locks.run(sessionId, async (): Promise<MemorizeResult> => {
      const buffer = this.store.getBuffer(sessionId);
      if (buffer.length === 0) {
        return { status: "accumulated", messageCount: 0, bufferedCount: 0, memcells: [] };
      }
      // Forced cuts still apply: one memcell never exceeds the segment limits.
      const boundaries = withForcedCuts(buffer, [buffer.length], this.limits);
      const { segments } = splitAtBoundaries(buffer, boundaries);
      const memcells = segments.map((segment) => buildMemCell(sessionId, segment, extractEpisode(segment)));
      this.store.commitSegmentation(sessionId, { messages: [], memcells });
      this.logger.debug("memorize flushed", { sessionId, memcells: memcells.length, messages: buffer.length });
      return { status: "extracted", messageCount: 0, bufferedCount: 0, memcells };
    });
  }

  private async memorizeLocked(
    sessionId: string,
    incoming: readonly Message[],
    mode: { segment: boolean; rerun: boolean },
  ): Promise<MemorizeResult> {
    const buffer = this.store.getBuffer(sessionId);
    const known = new Set(buffer.map((m) => m.id));
    const consumed = this.store.consumedMessageIds(
      sessionId,
      incoming.map((m) => m.id),
    );
    const fresh: Message[] = [];
    for (const m of incoming) {
      if (known.has(m.id) || consumed.has(m.id)) continue;
      known.add(m.id); // also dedupes within the batch
      fresh.push(m);
    }
    if ((fresh.length === 0 && !mode.rerun) || (mode.rerun && buffer.length === 0)) {
      return { status: "accumulated", messageCount: 0, bufferedCount: buffer.length, memcells: [] };
    }
    if (!mode.segment) {
      this.store.commitSegmentation(sessionId, { messages: fresh, memcells: [] });
      return { status: "accumulated", messageCount: fresh.length, bufferedCount: buffer.length + fresh.length, memcells: [] };
    }
    const merged = [...buffer, ...fresh].sort(compareMessages);
    if (!merged.some((m) => m.role === "user")) {
      // No detector call, but the forced limits still bound the buffer.
      return this.commit(sessionId, merged, [], undefined, fresh);
    }

    let detection: Detection;
    try {
      detection = await this.detector.detect(merged);
    } catch (err) {
      this.logger.warn("boundary detection failed; buffer left unchanged", { sessionId, err });
      if (err instanceof ApiFailure) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      throw new ApiFailure("unavailable", `boundary detection failed for session ${sessionId}: ${reason}`);
    }

    // Boundaries win over should_wait: cutting a finished episode is safe, the
    // tail stays pending either way.
    return this.commit(sessionId, merged, detection.boundaries, detection.episodes, fresh);
  }

  /** Natural + forced cuts → memcells and tail, written in one transaction. */
  private commit(
    sessionId: string,
    merged: readonly Message[],
    rawBoundaries: readonly unknown[],
    episodes: readonly Episode[] | undefined,
    fresh: Message[],
  ): MemorizeResult {
    const natural = normalizeBoundaries(rawBoundaries, merged.length);
    // episodes[i] belongs to the segment ending at natural[i]; a segment that
    // only exists because of a forced cut gets an extractive episode.
    const episodeByEnd = new Map<number, Episode>();
    natural.forEach((end, i) => {
      const episode = episodes?.[i];
      if (episode !== undefined) episodeByEnd.set(end, episode);
    });
    const boundaries = withForcedCuts(merged, natural, this.limits);
    const { segments, tail } = splitAtBoundaries(merged, boundaries);
    const memcells = segments.map((segment, i) =>
      buildMemCell(sessionId, segment, episodeByEnd.get(boundaries[i] ?? 0) ?? extractEpisode(segment)),
    );
    this.store.commitSegmentation(sessionId, { messages: fresh, memcells });
    this.logger.debug("memorized", { sessionId, fresh: fresh.length, memcells: memcells.length, buffered: tail.length });
    return {
      status: memcells.length > 0 ? "extracted" : "accumulated",
      messageCount: fresh.length,
      bufferedCount: tail.length,
      memcells,
    };
  }
}

function toIssues(error: z.ZodError): ApiIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === "number" ? p : String(p))),
    message: issue.message,
    code: issue.code,
  }));
}
