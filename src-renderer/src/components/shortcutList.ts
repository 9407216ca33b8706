/** Every keyboard shortcut, for the `?` sheet (one list, so the sheet cannot drift from the docs). */
export const SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: ["Tab"], what: "Next column (each column is one stop)" },
  { keys: ["j", "k"], what: "Next / previous card (or ↓ ↑)" },
  { keys: ["←", "→"], what: "Card in the previous / next column" },
  { keys: ["h", "l"], what: "Move the card to the previous / next stage (or Shift+← →)" },
  { keys: ["Shift+↑", "Shift+↓"], what: "Move the card up / down in its column" },
  { keys: ["n"], what: "New story in the focused column" },
  { keys: ["e", "Enter"], what: "Open the story's panel" },
  { keys: ["/"], what: "Filter the board" },
  { keys: ["Ctrl+K", "⌘K"], what: "Command palette: go to a story, move, claim, hide" },
  { keys: ["?"], what: "This sheet" },
  { keys: ["Esc"], what: "Close a panel, the palette or this sheet; clear the filter" },
];
