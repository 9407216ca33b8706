/**
 * What `musher import` prints on stderr while it works. An import runs at
 * ~30,000 changes/s here, so a million-change export takes about half a
 * minute; without this it printed nothing until the end.
 *
 * - On a terminal: one line, rewritten in place at most every
 *   `TTY_INTERVAL_MS`, and erased at the end (the summary then goes to
 *   stdout as before).
 * - Otherwise (a log file, a pipe, CI): a line at most every
 *   `LOG_INTERVAL_MS`, the first only once the import has run that long,
 *   so a short import prints nothing and a long one shows that it is alive.
 *
 * The percentage is of the file's bytes read, which runs at most one read
 * buffer ahead of the changes applied; the counts are the import's own.
 */
import { basename } from "node:path";

export interface ImportProgressEvent {
  bytesRead: number;
  bytesTotal: number;
  received: number;
  applied: number;
}

/** The part of a stream this needs (process.stderr, or a test's fake). */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export const TTY_INTERVAL_MS = 200;
export const LOG_INTERVAL_MS = 5_000;

const count = (n: number): string => n.toLocaleString("en-US");

export class ImportProgress {
  private readonly startedAt: number;
  private lastAt = -Infinity;
  private shown = false;

  /** The progress line (without a line end). */
  static line(file: string, p: ImportProgressEvent): string {
    const percent = p.bytesTotal > 0 ? Math.min(100, Math.floor((100 * p.bytesRead) / p.bytesTotal)) : 100;
    return `importing ${basename(file)}: ${percent}% read, ${count(p.received)} changes received, ${count(p.applied)} applied`;
  }

  constructor(
    private readonly file: string,
    private readonly out: ProgressStream,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = this.now();
  }

  update(p: ImportProgressEvent): void {
    const at = this.now();
    const tty = this.out.isTTY === true;
    if (tty ? at - this.lastAt < TTY_INTERVAL_MS : at - Math.max(this.startedAt, this.lastAt) < LOG_INTERVAL_MS) return;
    this.lastAt = at;
    const line = ImportProgress.line(this.file, p);
    // "\r" + erase-to-end rewrites the terminal's line; a log gets whole lines.
    this.out.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
    this.shown = true;
  }

  /** The import ended (or failed): a terminal's progress line is erased; a log's lines stay. */
  done(): void {
    if (this.shown && this.out.isTTY === true) this.out.write("\r\u001b[K");
    this.shown = false;
  }
}
