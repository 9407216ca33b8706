/**
 * What a joining node keeps in its `meta` table: the workspace it adopted
 * from an invite (`workspace_id`, replacing the fresh one it would have
 * founded, so `genesis_nonce` goes) and the invite secret (`join_seed`)
 * until its join change is written. One transaction, so a crash leaves
 * either the fresh node or the joining one.
 */
import type Database from "better-sqlite3";

export interface JoinState {
  /** The invite seed (hex) of a join not yet written, else undefined. */
  pendingSeed(): string | undefined;
  adopt(workspace: string, seed: string): void;
  /** The join change is written (or the invite can never be used): forget the secret. */
  clear(): void;
}

export function joinState(db: Database.Database): JoinState {
  const select = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'join_seed'");
  const upsert = db.prepare<[string, string]>("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  const remove = db.prepare<[string]>("DELETE FROM meta WHERE key = ?");
  return {
    pendingSeed: () => select.get()?.value,
    adopt: db.transaction((workspace: string, seed: string) => {
      upsert.run("workspace_id", workspace);
      upsert.run("join_seed", seed);
      remove.run("genesis_nonce");
    }),
    clear: () => void remove.run("join_seed"),
  };
}
