/** The keyboard scheme in words: the cards' tooltip and the header hint say the same thing. */
export const KEYBOARD_HINT =
  "Tab to a column; j/k or arrows move focus; h/l or Shift+arrows move the card; n new story; e or Enter opens it; / filter; Ctrl+K commands; ? all shortcuts.";
