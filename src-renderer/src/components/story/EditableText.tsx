/**
 * A value shown as text that becomes an input on click (or Enter/Space):
 * Enter saves, Escape cancels (and does not close the panel), leaving the
 * field saves. Multi-line: Enter saves, Shift+Enter is a new line. Saving an
 * unchanged value writes nothing.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from "react";

interface Props {
  label: string;
  value: string;
  placeholder: string;
  multiline?: boolean;
  maxLength: number;
  testId: string;
  className?: string;
  /** What the button shows instead of the value (e.g. an icon); its accessible name still says the value. */
  display?: string;
  /** -1 keeps the button out of the Tab order (e.g. in a column header, where a column is one Tab stop). */
  tabIndex?: number;
  onSave(next: string): void;
}

export function EditableText({ label, value, placeholder, multiline = false, maxLength, testId, className, display, tabIndex, onSave }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const editing = draft !== null;
  useEffect(() => {
    if (editing) field.current?.focus();
  }, [editing]);

  const save = () => {
    if (draft === null) return;
    setDraft(null);
    if (draft !== value) onSave(draft);
  };
  const onKey = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      setDraft(null);
    } else if (e.key === "Enter" && !(multiline && e.shiftKey)) {
      e.preventDefault();
      save();
    }
  };

  if (draft === null) {
    return (
      <button
        type="button"
        className={`editable${value ? "" : " editable--empty"}${className ? ` ${className}` : ""}`}
        data-testid={testId}
        tabIndex={tabIndex}
        aria-label={`${label}: ${value || placeholder}. Edit`}
        onClick={() => setDraft(value)}
      >
        {display ?? (value || placeholder)}
      </button>
    );
  }
  const common = {
    ref: field,
    className: `editable__input${className ? ` ${className}` : ""}`,
    "data-testid": `${testId}-input`,
    "aria-label": label,
    maxLength,
    value: draft,
    onChange: (e: { target: { value: string } }) => setDraft(e.target.value),
    onKeyDown: onKey,
    onBlur: save,
  };
  return multiline ? <textarea rows={6} {...common} /> : <input {...common} />;
}
