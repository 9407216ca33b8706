/**
 * Boundary detection by any OpenAI-compatible chat endpoint
 * (`POST {baseUrl}/v1/chat/completions`). Optional: Musher works without it.
 *
 * The model's answer is untrusted input:
 * - the HTTP body and the JSON inside `choices[0].message.content` are both
 *   validated with zod (a ```json fence around the answer is tolerated);
 * - boundaries that are not integers in 1..n are DROPPED, duplicates removed,
 *   the rest sorted (`normalizeBoundaries`);
 * - episode titles are trimmed and clipped to 80 characters.
 *
 * Failure policy: a malformed answer (HTTP error, timeout, bad JSON, wrong
 * shape) counts as a failed attempt; after `attempts` (default 3) failed
 * attempts `detect` throws an `ApiFailure("unavailable")` naming the last
 * reason. It never returns a guess, so the pipeline leaves the buffer as it was.
 * Each attempt has its own AbortController timeout.
 */
import { z } from "zod";
import { ApiFailure } from "../../src-shared/ApiError";
import { silentLogger, type Logger } from "../base/Logger";
import type { BoundaryDetector, DetectOptions, Detection, Episode } from "./BoundaryDetector";
import { clip, MAX_TITLE_CHARS } from "./extractEpisode";
import type { Message } from "./Message";
import { normalizeBoundaries } from "./splitAtBoundaries";

export interface LlmDetectorOptions {
  /** e.g. "http://127.0.0.1:11434" — "/v1/chat/completions" is appended. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Per attempt. Default 60 s. */
  timeoutMs?: number;
  /** Total attempts before failing. Default 3. */
  attempts?: number;
  /** Delay before retry k is k × retryDelayMs. Default 250 ms. */
  retryDelayMs?: number;
  /** Each message is clipped to this many characters in the prompt. Default 2,000. */
  maxMessageChars?: number;
  logger?: Logger;
}

const chatResponseSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

const answerSchema = z.object({
  reasoning: z.string().optional(),
  boundaries: z.array(z.unknown()),
  should_wait: z.boolean(),
  episodes: z
    .array(
      z.object({
        title: z.string().trim().min(1),
        content: z.string(),
        summary: z.string().optional(),
      }),
    )
    .optional(),
});

const SYSTEM_PROMPT = `You segment a work session's messages into episodes (memcells).
Messages are numbered from 1. A boundary b means "an episode ends after message b".
Cut only where a coherent episode is complete; leave an unfinished last episode uncut
(it will be reconsidered when more messages arrive) and set should_wait to true then.
Answer with ONE JSON object and nothing else:
{"reasoning": string, "boundaries": number[], "should_wait": boolean,
 "episodes": [{"title": string, "content": string, "summary": string}]}
"episodes" has one entry per cut episode, in order: a short title (<= 80 characters),
the content (what happened, concretely) and a one-sentence summary.`;

export class LlmDetector implements BoundaryDetector {
  private readonly url: string;
  private readonly attempts: number;
  private readonly timeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly maxMessageChars: number;
  private readonly logger: Logger;

  constructor(private readonly options: LlmDetectorOptions) {
    this.url = options.baseUrl.replace(/\/+$/, "") + "/v1/chat/completions";
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.maxMessageChars = options.maxMessageChars ?? 2_000;
    this.logger = options.logger ?? silentLogger;
  }

  async detect(messages: readonly Message[], options: DetectOptions = {}): Promise<Detection> {
    const body = JSON.stringify({
      model: this.options.model,
      temperature: 0,
      messages: [
        { role: "system", content: SYSTEM_PROMPT },
        { role: "user", content: this.renderMessages(messages) },
      ],
    });
    let lastReason = "no attempt made";
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (options.signal?.aborted) throw new ApiFailure("unavailable", "LLM boundary detection aborted");
      try {
        return parseAnswer(await this.post(body, options.signal), messages.length);
      } catch (err) {
        lastReason = err instanceof Error ? err.message : String(err);
        this.logger.warn("llm boundary detection attempt failed", { attempt, of: this.attempts, reason: lastReason });
      }
      if (attempt < this.attempts && this.retryDelayMs > 0) await sleep(attempt * this.retryDelayMs);
    }
    throw new ApiFailure(
      "unavailable",
      `LLM boundary detection failed after ${this.attempts} attempts: ${lastReason}`,
    );
  }

  private renderMessages(messages: readonly Message[]): string {
    return messages
      .map((m, i) => {
        const when = new Date(m.timestamp).toISOString();
        return `[${i + 1}] ${when} ${m.senderId} (${m.role}): ${clip(m.content, this.maxMessageChars)}`;
      })
      .join("\n");
  }

  /** One HTTP attempt; throws on any transport or HTTP failure. */
  private async post(body: string, outer: AbortSignal | undefined): Promise<unknown> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
    const onOuterAbort = (): void => controller.abort(new Error("aborted by caller"));
    outer?.addEventListener("abort", onOuterAbort, { once: true });
    try {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (this.options.apiKey !== undefined) headers.authorization = `Bearer ${this.options.apiKey}`;
      const res = await fetch(this.url, { method: "POST", headers, body, signal: controller.signal });
      const text = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${clip(text, 200)}`);
      return JSON.parse(text) as unknown;
    } catch (err) {
      // fetch reports an abort as a generic AbortError; surface our reason instead.
      const reason: unknown = controller.signal.reason;
      if (controller.signal.aborted && reason instanceof Error) throw reason;
      throw err;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    }
  }
}

/** Validates one chat completion body; throws a descriptive Error if malformed. */
export function parseAnswer(body: unknown, messageCount: number): Detection {
  const chat = chatResponseSchema.safeParse(body);
  if (!chat.success) throw new Error(`unexpected chat completion shape: ${chat.error.message}`);
  const raw = chat.data.choices[0]?.message.content ?? "";
  const unfenced = raw.trim().replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "");
  let json: unknown;
  try {
    json = JSON.parse(unfenced);
  } catch {
    throw new Error(`answer is not JSON: ${clip(raw, 120)}`);
  }
  const answer = answerSchema.safeParse(json);
  if (!answer.success) throw new Error(`answer has the wrong shape: ${answer.error.message}`);
  const detection: Detection = {
    boundaries: normalizeBoundaries(answer.data.boundaries, messageCount),
    shouldWait: answer.data.should_wait,
  };
  if (answer.data.episodes !== undefined) {
    detection.episodes = answer.data.episodes.map((e): Episode => {
      const episode: Episode = { title: clip(e.title, MAX_TITLE_CHARS), content: e.content };
      if (e.summary !== undefined) episode.summary = e.summary;
      return episode;
    });
  }
  return detection;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
