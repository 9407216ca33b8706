/**
 * App name, the view tabs, the new-story form, the keyboard hint and the one
 * status control (`SyncIndicator`: this window's node, and its peers).
 */
import { KEYBOARD_HINT } from "./keyboardHint";
import { NewStoryForm } from "./NewStoryForm";
import { SyncIndicator } from "./SyncIndicator";
import { ViewTabs } from "./ViewTabs";

export function Header() {
  return (
    <header className="header">
      <h1 className="header__title">
        <span className="header__logo" aria-hidden="true" />
        <span className="header__name">Musher</span>
      </h1>
      <ViewTabs />
      <NewStoryForm />
      <p className="header__hint" id="keyboard-hint" title={KEYBOARD_HINT}>
        <span className="visually-hidden">{KEYBOARD_HINT}</span>
        <span aria-hidden="true">
          <kbd>←</kbd>
          <kbd>→</kbd> stage · <kbd>↑</kbd>
          <kbd>↓</kbd> order · or drag
        </span>
      </p>
      <SyncIndicator />
    </header>
  );
}
