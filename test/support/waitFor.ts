/**
 * Polls a condition until it holds or the time is up. Tests wait on
 * conditions, never on fixed sleeps: a loaded 2-core CI machine may be many
 * times slower than a laptop, and the timeout is only the give-up point.
 */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000, everyMs = 25): Promise<number> {
  const start = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return Date.now() - start;
    } catch (err) {
      // A node restarting refuses connections for a moment; keep polling.
      lastError = err;
    }
    if (Date.now() - start > timeoutMs) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
