/**
 * `MUSHER_USER_DATA` moves the app's data (and with it the single-instance
 * lock, which Electron keys on the userData dir) to another folder — how the
 * e2e tests run isolated instances. It must be an absolute path; anything
 * else is refused loudly rather than resolved against an unknown cwd.
 */
import { isAbsolute } from "node:path";

export function userDataOverride(env: NodeJS.ProcessEnv): string | null {
  const value = env.MUSHER_USER_DATA;
  if (value === undefined || value === "") return null;
  if (!isAbsolute(value)) throw new Error(`MUSHER_USER_DATA must be an absolute path, got ${JSON.stringify(value)}`);
  return value;
}
