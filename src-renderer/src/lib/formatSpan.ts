/**
 * A memcell's time span for display, in the viewer's locale and time zone:
 * "Jan 6, 09:00 – 09:42" within a day, both dates otherwise.
 */
export function formatSpan(startedAt: number, endedAt: number, locale?: string): string {
  const date = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric" });
  const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
  const start = new Date(startedAt);
  const end = new Date(endedAt);
  const head = `${date.format(start)}, ${time.format(start)}`;
  if (startedAt === endedAt) return head;
  const sameDay = start.toDateString() === end.toDateString();
  return sameDay ? `${head} – ${time.format(end)}` : `${head} – ${date.format(end)}, ${time.format(end)}`;
}

/** A single instant, e.g. a session's creation or a message's timestamp. */
export function formatInstant(at: number, locale?: string): string {
  return formatSpan(at, at, locale);
}
