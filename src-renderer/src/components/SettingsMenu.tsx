/** The header's settings menu: the theme (system, light, dark). Escape or a click outside closes it. */
import { useEffect, useRef, useState } from "react";
import { applyThemeChoice, readThemeChoice, saveThemeChoice, type ThemeChoice } from "../lib/themeChoice";

const CHOICES: { id: ThemeChoice; label: string }[] = [
  { id: "system", label: "Match system" },
  { id: "light", label: "Light" },
  { id: "dark", label: "Dark" },
];

export function SettingsMenu() {
  const [open, setOpen] = useState(false);
  const [theme, setTheme] = useState<ThemeChoice>(() => readThemeChoice(localStorage));
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    const onDown = (e: MouseEvent) => {
      if (!(e.target instanceof Node) || !root.current?.contains(e.target)) setOpen(false);
    };
    window.addEventListener("keydown", onKey);
    window.addEventListener("mousedown", onDown);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("mousedown", onDown);
    };
  }, [open]);

  const choose = (choice: ThemeChoice) => {
    setTheme(choice);
    saveThemeChoice(localStorage, choice);
    applyThemeChoice(document.documentElement, choice);
  };

  return (
    <div className="settings" ref={root}>
      <button
        ref={button}
        type="button"
        className="button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls="settings-menu"
        data-testid="settings-button"
        onClick={() => setOpen((o) => !o)}
      >
        Settings
      </button>
      {open && (
        <div className="settings__menu" id="settings-menu" data-testid="settings-menu">
          <fieldset className="settings__group">
            <legend className="settings__legend">Theme</legend>
            {CHOICES.map((c) => (
              <label className="settings__option" key={c.id}>
                <input
                  type="radio"
                  className="check"
                  name="theme"
                  value={c.id}
                  checked={theme === c.id}
                  data-testid={`theme-${c.id}`}
                  onChange={() => choose(c.id)}
                />
                {c.label}
              </label>
            ))}
          </fieldset>
        </div>
      )}
    </div>
  );
}
