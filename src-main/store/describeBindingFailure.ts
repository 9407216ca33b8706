/**
 * Turns the error of loading a native module (`require` of a `.node` file)
 * into the part of a sentence a person can act on: "was built for another
 * runtime (…)", "is not a native module for this platform (…)", …
 *
 * Pure. The loader's message is input like any other: only its first line
 * is kept, at most MAX_DETAIL characters, so a hostile or huge message can
 * neither flood a dialog nor smuggle in a stack trace.
 */

const MAX_DETAIL = 240;

/** What went wrong, phrased to follow the module's path: "<file> <reason>". */
export function describeBindingFailure(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const detail = firstLine(raw);
  // Node: "was compiled against a different Node.js version using
  // NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 140."
  const abi = /NODE_MODULE_VERSION (\d{1,5})[\s\S]*?NODE_MODULE_VERSION (\d{1,5})/.exec(raw);
  if (abi) {
    return `was built for a different runtime (NODE_MODULE_VERSION ${abi[1]}; the running one needs ${abi[2]})`;
  }
  if (/invalid ELF header|file too short|wrong ELF class|not a valid Win32 application|not a mach-o file|wrong architecture|incompatible architecture/i.test(raw)) {
    return `is not a native module for this platform (${detail})`;
  }
  if (/did not self-register/i.test(raw)) return `is not a Node.js native module (${detail})`;
  return `could not be loaded (${detail})`;
}

function firstLine(message: string): string {
  const line = (message.split(/\r?\n/, 1)[0] ?? "").trim();
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}
