import { homedir } from "node:os";
import { join } from "node:path";

/** The per-user data directory of the headless node, following each OS's convention. */
export function defaultDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (platform === "win32") return join(env["APPDATA"] ?? join(homedir(), "AppData", "Roaming"), "Musher", "serve");
  if (platform === "darwin") return join(homedir(), "Library", "Application Support", "Musher", "serve");
  return join(env["XDG_DATA_HOME"] ?? join(homedir(), ".local", "share"), "musher");
}
