/** The keyboard scheme in words: the cards' tooltip and the header hint say the same thing. */
export const KEYBOARD_HINT = "Focus a card (Tab), then ←/→ move it to the previous/next stage and ↑/↓ reorder it (Alt+arrows work too); Enter or a click opens its detail.";
