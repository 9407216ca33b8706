/**
 * Progress of a catch-up: "received / expected" changes with a bar. A native
 * <progress> because it is a progressbar to assistive tech for free and needs
 * no inline width (the CSP forbids inline styles).
 */
import type { CatchUpProgress } from "../../../src-shared/syncMethods";

interface Props {
  progress: CatchUpProgress;
  testId?: string;
}

export function CatchUpBar({ progress, testId }: Props) {
  // max must be positive; a peer that announced 0 changes is done, not 0/0.
  const max = Math.max(progress.expected, 1);
  const value = Math.min(progress.received, max);
  const text = `${progress.received.toLocaleString()} / ${progress.expected.toLocaleString()}`;
  return (
    <span
      className="catch-up"
      data-testid={testId}
      data-received={progress.received}
      data-expected={progress.expected}
      title={`Catching up: ${text} changes received`}
    >
      <progress className="catch-up__bar" max={max} value={value} aria-label={`Catching up: ${text} changes received`} />
      <span className="catch-up__text">{text}</span>
    </span>
  );
}
