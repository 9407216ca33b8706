import { monitorEventLoopDelay } from "node:perf_hooks";

/**
 * The longest stretch the event loop could not run a timer while the probe
 * ran, by two probes (the delay histogram and gaps between 5 ms intervals).
 * Call it to start; call the returned function to stop and read the ms.
 */
export function blockProbe(): () => number {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  return () => {
    clearInterval(timer);
    histogram.disable();
    return Math.max(worst, histogram.max / 1e6);
  };
}
