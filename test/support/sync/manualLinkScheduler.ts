/**
 * A LinkScheduler stepped by hand: `soon` turns run only in `runSoon()`,
 * timers only when `advance(ms)` moves the wall clock past them. With
 * memoryPeerSocketPair it makes a PeerLink's life deterministic.
 */
import type { LinkScheduler } from "../../../src-main/sync/LinkScheduler";

export class ManualLinkScheduler implements LinkScheduler {
  wall = 1_700_000_000_000;
  mono = 0;
  private turns: (() => void)[] = [];
  private timers: { at: number; fn: () => void; seq: number }[] = [];
  private seq = 0;

  wallNow(): number {
    return this.wall;
  }

  monoNow(): number {
    return this.mono;
  }

  soon(fn: () => void): void {
    this.turns.push(fn);
  }

  at(at: number, fn: () => void): () => void {
    const timer = { at, fn, seq: this.seq++ };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Runs the waiting turns (not the ones they queue); returns how many ran. */
  runSoon(): number {
    const turns = this.turns;
    this.turns = [];
    for (const t of turns) t();
    return turns.length;
  }

  /** Moves the wall clock by `ms`, firing due timers in time order. */
  advance(ms: number): void {
    const until = this.wall + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((x, y) => x.at - y.at || x.seq - y.seq)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.wall = Math.max(this.wall, due.at);
      due.fn();
    }
    this.wall = until;
  }
}
