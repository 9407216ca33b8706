/**
 * Scrolls the element into the middle of the view each time `key` takes a
 * new non-null value (a search hit was opened on it). Once per opening: the
 * user's own scrolling afterwards is left alone.
 */
import { useEffect, useRef } from "react";

export function useScrollIntoView<T extends HTMLElement>(key: number | null) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (key !== null) ref.current?.scrollIntoView({ block: "center", behavior: "auto" });
  }, [key]);
  return ref;
}
