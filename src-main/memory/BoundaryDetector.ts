/**
 * The seam between the memorize pipeline and whatever decides where one
 * episode ends: `EmbeddedDetector` (offline, deterministic, the default) or
 * `LlmDetector` (any OpenAI-compatible endpoint, optional).
 *
 * Contract:
 * - `boundaries` are 1-based "cut after message b" over the list passed in.
 *   The pipeline normalizes them again (drops non-integers and anything outside
 *   1..n, dedupes, sorts), so a detector may be sloppy but never dangerous.
 * - Messages after the last boundary are the tail: they stay in the buffer.
 * - `episodes[i]`, when present, titles the i-th cut segment; missing ones are
 *   filled in extractively by the pipeline.
 * - A detector that cannot answer THROWS; it never returns a guess. The
 *   pipeline then leaves the buffer untouched.
 */
import type { Message } from "./Message";

export interface Episode {
  title: string;
  content: string;
  summary?: string;
}

export interface Detection {
  boundaries: number[];
  /** The detector believes the tail is an unfinished episode (advisory). */
  shouldWait: boolean;
  episodes?: Episode[];
}

export interface DetectOptions {
  /** Cancels an in-flight detection (e.g. the node is shutting down). */
  signal?: AbortSignal;
}

export interface BoundaryDetector {
  detect(messages: readonly Message[], options?: DetectOptions): Promise<Detection>;
}
