/**
 * Stamps for hide/unhide marks: the node's wall clock, made monotonic so a
 * hide followed by an unhide in the same millisecond still orders them
 * (otherwise "strictly later" would silently keep the memcell hidden).
 * One instance per node; interim until the CRDT's HLC takes over.
 */
import type { VisibilityStamp } from "./VisibilityStamp";

export class VisibilityClock {
  private last: VisibilityStamp | null = null;

  constructor(
    private readonly nodeId: string,
    private readonly now: () => number = Date.now,
  ) {}

  stamp(): VisibilityStamp {
    const wall = this.now();
    const last = this.last;
    const next =
      last === null || wall > last.wallMs
        ? { wallMs: wall, counter: 0, nodeId: this.nodeId }
        : { wallMs: last.wallMs, counter: last.counter + 1, nodeId: this.nodeId };
    this.last = next;
    return { ...next };
  }
}
