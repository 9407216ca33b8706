/** A byte count for people: "0 B", "812 B", "1.2 kB", "34 MB" (SI units, as browsers' download UIs use). */
const UNITS = ["B", "kB", "MB", "GB", "TB"] as const;

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  // 999.5 rather than 1000, so rounding never shows "1000 kB".
  while (value >= 999.5 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  // One decimal only where it carries information (1.2 kB, not 123.4 kB).
  const shown = unit === 0 || value >= 10 ? Math.round(value).toString() : value.toFixed(1);
  return `${shown} ${UNITS[unit]}`;
}
