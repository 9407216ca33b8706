/**
 * The one error type the store throws for conditions a user can act on (a
 * foreign, corrupt or too-new database file, or one whose schema upgrade
 * failed; a data dir of another
 * workspace; a SQLite native module that cannot be loaded). Its message
 * is a complete sentence naming the file and what is wrong, so a host prints
 * it as one line instead of a stack trace.
 */
export type StoreErrorKind = "not_musher" | "corrupt" | "too_new" | "wrong_workspace" | "missing" | "bad_meta" | "native_binding" | "upgrade_failed";

export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
  ) {
    super(message);
  }
}
