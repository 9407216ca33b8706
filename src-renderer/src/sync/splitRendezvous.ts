/**
 * A node's dialled rendezvous addresses split by where they come from: the
 * stored setting (what the panel's form shows and saves) and the
 * `musher serve --rendezvous` flags (listed read-only, never sent back —
 * saving them would copy them into the setting, and removing them from the
 * form would not stop them being dialled).
 */
import type { RendezvousStatus } from "../../../src-shared/syncMethods";

export interface SplitRendezvous {
  /** Source "setting": the list `sync/setRendezvous` replaces. */
  setting: string[];
  /** Source "flag": from the command line, dialled whatever the setting says. */
  flags: string[];
}

export function splitRendezvous(entries: readonly RendezvousStatus[]): SplitRendezvous {
  return {
    setting: entries.filter((e) => e.source === "setting").map((e) => e.url),
    flags: entries.filter((e) => e.source === "flag").map((e) => e.url),
  };
}
