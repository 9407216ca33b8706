/**
 * Search over memory (memcells and not-yet-memorized messages), scoped to the
 * story filter. Typing searches after a short pause; a hit opens its session.
 */
import { useEffect, useState } from "react";
import { useSessionsStore } from "../stores/useSessionsStore";

const DEBOUNCE_MS = 200;

export function MemorySearchBox() {
  const search = useSessionsStore((s) => s.search);
  const [text, setText] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => void search(text), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, search]);
  return (
    <input
      className="input search"
      type="search"
      data-testid="search-input"
      aria-label="Search memory"
      placeholder="Search memory…"
      maxLength={500}
      value={text}
      onChange={(e) => setText(e.target.value)}
    />
  );
}
