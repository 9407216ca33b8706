/**
 * `SessionRegistry` in a map, until the SQLite store takes over (same
 * contract: see `SessionRegistry.ts`).
 */
import { ApiFailure } from "../../src-shared/ApiError";
import type { Session } from "../../src-shared/Session";
import { compareSessionsNewestFirst, type SessionRegistry } from "./SessionRegistry";

export class InMemorySessionRegistry implements SessionRegistry {
  private readonly sessions = new Map<string, Session>();

  add(session: Session): void {
    const existing = this.sessions.get(session.id);
    if (existing !== undefined) {
      if (JSON.stringify(existing) === JSON.stringify(session)) return;
      throw new ApiFailure("conflict", `session ${session.id} already exists`);
    }
    this.sessions.set(session.id, { ...session });
  }

  get(sessionId: string): Session | undefined {
    const session = this.sessions.get(sessionId);
    return session === undefined ? undefined : { ...session };
  }

  list(filter: { storyId?: string } = {}): Session[] {
    const all = [...this.sessions.values()];
    const kept = filter.storyId === undefined ? all : all.filter((s) => s.storyId === filter.storyId);
    return kept.map((s) => ({ ...s })).sort(compareSessionsNewestFirst);
  }
}
