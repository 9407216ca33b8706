/**
 * Extractive episode text: no model, deterministic, offline. Used by the
 * embedded detector, by `flush`, and wherever an LLM gave fewer episodes than
 * segments.
 *
 * - title: the first "substantive" line of a user message (trimmed, at least
 *   two words of letters/digits, so "ok", "thanks", "?" or an emoji do not
 *   title an episode),
 *   clipped to 80 characters; falls back to any message's first non-blank
 *   line, then to "Untitled episode".
 * - content: one "sender: text" line per message, whitespace collapsed, each
 *   clipped to 200 characters, the whole clipped to 8,000 characters with a
 *   note of how many messages were left out (a memcell is a digest, not a copy;
 *   the messages themselves keep the full text).
 */
import type { Episode } from "./BoundaryDetector";
import type { Message } from "./Message";

export const MAX_TITLE_CHARS = 80;
const MAX_LINE_CHARS = 200;
const MAX_CONTENT_CHARS = 8_000;

export function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1).trimEnd() + "…";
}

function isSubstantive(line: string): boolean {
  return (line.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) >= 2;
}

function firstLine(messages: readonly Message[], accept: (m: Message, line: string) => boolean): string | undefined {
  for (const m of messages) {
    for (const raw of m.content.split(/\r?\n/)) {
      const line = raw.trim();
      if (line !== "" && accept(m, line)) return line;
    }
  }
  return undefined;
}

export function extractTitle(messages: readonly Message[]): string {
  const line =
    firstLine(messages, (m, l) => m.role === "user" && isSubstantive(l)) ??
    firstLine(messages, (_m, l) => isSubstantive(l)) ??
    firstLine(messages, () => true);
  return line === undefined ? "Untitled episode" : clip(line.replace(/\s+/g, " "), MAX_TITLE_CHARS);
}

export function extractContent(messages: readonly Message[]): string {
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m === undefined) break;
    const line = clip(`${m.senderId}: ${m.content.replace(/\s+/g, " ").trim()}`, MAX_LINE_CHARS);
    if (length + line.length + 1 > MAX_CONTENT_CHARS) {
      lines.push(`… (${messages.length - i} more messages)`);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join("\n");
}

export function extractEpisode(messages: readonly Message[]): Episode {
  return { title: extractTitle(messages), content: extractContent(messages) };
}
