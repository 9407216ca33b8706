/**
 * A work session (see `src-shared/Session.ts`, where the schema lives so the
 * renderer can validate what it receives). Re-exported here for the memory
 * core, which keys its lock and buffer by `Session.id`.
 */
export { sessionIdSchema, sessionSchema, type Session } from "../../src-shared/Session";
