/**
 * The theme setting: "system" follows prefers-color-scheme, "light" and
 * "dark" override it. Kept in localStorage (per window origin, so per
 * device: a display preference is not board data and does not sync) and
 * shown as `data-theme` on <html>, which theme.css reads.
 */
export type ThemeChoice = "system" | "light" | "dark";

const KEY = "musher.theme";

export function readThemeChoice(storage: Pick<Storage, "getItem">): ThemeChoice {
  try {
    const v = storage.getItem(KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system"; // storage can be unavailable (privacy settings): fall back to the system theme
  }
}

export function saveThemeChoice(storage: Pick<Storage, "setItem">, choice: ThemeChoice): void {
  try {
    storage.setItem(KEY, choice);
  } catch {
    // Not persisted; the choice still applies to this window.
  }
}

export function applyThemeChoice(root: HTMLElement, choice: ThemeChoice): void {
  if (choice === "system") delete root.dataset.theme;
  else root.dataset.theme = choice;
}
