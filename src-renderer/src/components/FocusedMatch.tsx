/** The opened search hit's excerpt, shown inside the memcell or message it points at. */
import type { SearchFocus } from "../stores/useSessionsStore";
import { MarkedText } from "./MarkedText";

export function FocusedMatch({ focus }: { focus: SearchFocus }) {
  return (
    <p className="focused-match" data-testid="focused-match">
      <span className="focused-match__label">Search match</span>
      <MarkedText text={focus.snippet} ranges={focus.matches} />
    </p>
  );
}
