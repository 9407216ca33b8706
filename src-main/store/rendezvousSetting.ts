/**
 * The rendezvous peers a node dials, as set through `sync/setRendezvous`
 * (the desktop app's setting): persisted in the node's `meta` table under
 * `rendezvous` as a JSON array, so the list survives restarts with the rest
 * of the node's state. `dataDir: null` nodes keep it in memory.
 *
 * The stored value is input like any other (the file may come from another
 * version, or have been edited): it is validated with the contract's own
 * schema when read, and a bad value is logged and ignored, never fatal — a
 * node must still start to let its user fix the setting.
 */
import type Database from "better-sqlite3";
import { z } from "zod";
import { MAX_RENDEZVOUS_URLS, rendezvousUrlSchema } from "../../src-shared/syncMethods";
import type { Logger } from "../base/Logger";

const META_KEY = "rendezvous";
const storedSchema = z.array(rendezvousUrlSchema).max(MAX_RENDEZVOUS_URLS);

export interface RendezvousSetting {
  read(): string[];
  write(urls: readonly string[]): void;
}

export function rendezvousSetting(db: Database.Database | null, log: Logger): RendezvousSetting {
  if (db === null) {
    let urls: string[] = [];
    return { read: () => [...urls], write: (next) => void (urls = [...next]) };
  }
  const select = db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?");
  const upsert = db.prepare<[string, string]>("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  return {
    read: () => {
      const row = select.get(META_KEY);
      if (row === undefined) return [];
      let json: unknown;
      try {
        json = JSON.parse(row.value);
      } catch {
        json = undefined;
      }
      const parsed = storedSchema.safeParse(json);
      if (parsed.success) return parsed.data;
      log.warn("sync: ignoring the stored rendezvous setting (not a list of ws:// URLs); set it again", {
        issue: parsed.error.issues[0]?.message ?? "not JSON",
      });
      return [];
    },
    write: (urls) => {
      upsert.run(META_KEY, JSON.stringify(storedSchema.parse(urls)));
    },
  };
}
