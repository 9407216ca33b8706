/**
 * Turns whatever stopped the app from starting into the one dialog the user
 * sees (title + message) — never a stack trace.
 *
 * A native module that cannot load (StoreError "native_binding": missing,
 * built for another runtime, not better-sqlite3) gets the one command that
 * fixes it when running from a checkout, and "reinstall" when packaged
 * (there the module is electron-builder's, nothing a user can rebuild).
 * Everything else keeps its own message, which says what to do (StoreError
 * messages are written for people). Pure.
 */
import { StoreError } from "../store/StoreError";

export const REBUILD_ELECTRON_COMMAND = "npm run rebuild:electron";

const MAX_DETAIL = 600;

export interface StartupFailure {
  readonly title: string;
  readonly message: string;
}

export interface StartupContext {
  isPackaged: boolean;
  /** `process.versions.electron` */
  electronVersion: string;
}

export function describeStartupFailure(err: unknown, context: StartupContext): StartupFailure {
  const detail = bounded(err instanceof Error ? err.message : String(err));
  if (err instanceof StoreError && err.kind === "native_binding") {
    const fix = context.isPackaged
      ? "This installation of Musher is damaged: reinstall it."
      : `The desktop app needs better-sqlite3 built for Electron ${context.electronVersion}, kept apart from the Node build. Build it by running, in the Musher folder:\n\n    ${REBUILD_ELECTRON_COMMAND}\n\nthen start Musher again (\`npm start\` does this step by itself).`;
    return { title: "Musher cannot open its database", message: `${detail}\n\n${fix}` };
  }
  return { title: "Musher failed to start", message: detail };
}

function bounded(message: string): string {
  // Only the message: a stack (or a huge message) has no place in a dialog.
  const text = message.split(/\n\s+at /, 1)[0] ?? "";
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}
