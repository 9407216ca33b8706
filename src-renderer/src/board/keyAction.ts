/**
 * The board's keyboard scheme, as data: which action a key press on a card
 * (or an empty column) means. Plain arrows and j/k move focus; h/l and
 * Shift+arrows (Shift+J/K too) move the card; n, e/Enter act on the focused
 * column or card. Keys with Ctrl, Meta or Alt are left to the browser and
 * the app-wide shortcuts (`/`, `?`, Ctrl/Cmd+K are handled app-wide).
 */
import type { MoveKey } from "./keyboardMoveTarget";
import type { FocusMove } from "./rovingFocus";

export type KeyAction =
  | { kind: "focus"; move: FocusMove }
  | { kind: "move"; key: MoveKey }
  | { kind: "new" }
  | { kind: "open" };

export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

const FOCUS: Record<string, FocusMove> = {
  ArrowUp: "up",
  ArrowDown: "down",
  ArrowLeft: "left",
  ArrowRight: "right",
  k: "up",
  j: "down",
  Home: "first",
  End: "last",
};
const MOVE: Record<string, MoveKey> = {
  h: "ArrowLeft",
  l: "ArrowRight",
  H: "ArrowLeft",
  L: "ArrowRight",
  J: "ArrowDown",
  K: "ArrowUp",
};
const ARROWS = new Set<string>(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"]);

export function keyAction(e: KeyPress): KeyAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.shiftKey && ARROWS.has(e.key)) return { kind: "move", key: e.key as MoveKey };
  if (MOVE[e.key]) return { kind: "move", key: MOVE[e.key]! };
  if (e.shiftKey) return null;
  if (FOCUS[e.key]) return { kind: "focus", move: FOCUS[e.key]! };
  if (e.key === "n") return { kind: "new" };
  if (e.key === "e" || e.key === "Enter") return { kind: "open" };
  return null;
}
