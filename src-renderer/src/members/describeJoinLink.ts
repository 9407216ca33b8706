/**
 * One of the invite's addresses while a join waits to be admitted, in words:
 * connected (waiting for the join to complete), refused by the node there
 * (a 4xxx close: its reason says why, e.g. the invite was already used),
 * or not reachable (no connection: 1006, or a local connect error) with the
 * next attempt. `tone` tells the UI which ones are problems.
 */
import type { RendezvousStatus } from "../../../src-shared/syncMethods";
import { formatRelative } from "../lib/formatRelative";

export interface JoinLinkText {
  text: string;
  tone: "ok" | "pending" | "problem";
}

/** Application close codes (the other node refused us) are 4000–4999 (RFC 6455 §7.4.2). */
const isRefusal = (code: number) => code >= 4000 && code <= 4999;

export function describeJoinLink(r: RendezvousStatus, now: number): JoinLinkText {
  if (r.state === "connected") return { text: "connected", tone: "ok" };
  const next = r.state === "waiting" && r.nextAttemptAt !== null ? `; next try ${formatRelative(r.nextAttemptAt, now)}` : "";
  const last = r.lastError ?? null;
  if (last !== null && isRefusal(last.code)) {
    // The node's reasons often say "refused" themselves ("invite refused: …"): do not say it twice.
    const why = /refused/i.test(last.reason) ? last.reason : `refused: ${last.reason}`;
    return { text: `${why}${next}`, tone: "problem" };
  }
  if (r.state === "connecting") return { text: "connecting…", tone: "pending" };
  if (r.failures === 0) return { text: `reconnecting${next}`, tone: "pending" };
  const attempts = r.failures === 1 ? "1 failed attempt" : `${r.failures} failed attempts`;
  return { text: `cannot reach it (${attempts})${next}`, tone: "problem" };
}
