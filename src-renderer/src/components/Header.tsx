/**
 * App name, the view tabs, the new-story form, the keyboard hint, the
 * Members button, the one status control (`SyncIndicator`: this window's
 * node, and its peers) and the settings menu.
 */
import { KEYBOARD_HINT } from "./keyboardHint";
import { MembersButton } from "./MembersButton";
import { NewStoryForm } from "./NewStoryForm";
import { SettingsMenu } from "./SettingsMenu";
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
          <kbd>j</kbd>
          <kbd>k</kbd> focus · <kbd>h</kbd>
          <kbd>l</kbd> move · <kbd>/</kbd> filter · <kbd>?</kbd> keys
        </span>
      </p>
      <MembersButton />
      <SyncIndicator />
      <SettingsMenu />
    </header>
  );
}
