/**
 * An instant relative to `now`, short enough for a table cell: "just now",
 * "12 s ago", "4 min ago", "in 8 s", "in 2 min"; past a day, the absolute
 * date and time (a relative "3 d ago" hides when it was).
 */
import { formatInstant } from "./formatSpan";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function formatRelative(at: number, now: number, locale?: string): string {
  const delta = at - now;
  const abs = Math.abs(delta);
  if (abs >= DAY) return formatInstant(at, locale);
  if (abs < 2_000) return delta > 0 ? "now" : "just now";
  const span = abs < MINUTE ? `${Math.round(abs / 1000)} s` : abs < HOUR ? `${Math.round(abs / MINUTE)} min` : `${Math.round(abs / HOUR)} h`;
  return delta > 0 ? `in ${span}` : `${span} ago`;
}
