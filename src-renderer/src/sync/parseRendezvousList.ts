/**
 * The rendezvous setting as typed (one address per line) → the list
 * `sync/setRendezvous` takes, checked with the contract's own schema so the
 * person sees the same rule the node enforces, before anything is sent.
 * Blank lines are ignored; a duplicate is an error rather than silently
 * dropped, so what is saved is exactly what was typed.
 */
import { MAX_RENDEZVOUS_URLS, rendezvousUrlSchema } from "../../../src-shared/syncMethods";

export type RendezvousListResult = { ok: true; urls: string[] } | { ok: false; error: string };

export function parseRendezvousList(text: string): RendezvousListResult {
  const urls: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const parsed = rendezvousUrlSchema.safeParse(line);
    const where = lines.length > 1 ? `Line ${index + 1} (${line.trim()})` : line.trim();
    if (!parsed.success) {
      return { ok: false, error: `${where}: ${parsed.error.issues[0]?.message ?? "not a valid address"}` };
    }
    if (urls.includes(parsed.data)) return { ok: false, error: `${where}: listed twice` };
    urls.push(parsed.data);
  }
  if (urls.length > MAX_RENDEZVOUS_URLS) {
    return { ok: false, error: `At most ${MAX_RENDEZVOUS_URLS} rendezvous addresses (${urls.length} given)` };
  }
  return { ok: true, urls };
}
