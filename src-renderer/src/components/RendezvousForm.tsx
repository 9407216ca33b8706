/**
 * The rendezvous setting: one ws:// or wss:// address per line. Checked with
 * the contract's schema before sending (a clear inline message names the bad
 * line, nothing is saved); the node's own refusal is shown the same way.
 *
 * Until the person edits it, the field follows the node's list (`urls`), so
 * it never shows a list the node no longer has; once edited, incoming status
 * updates do not overwrite what they typed.
 *
 * Only the stored setting is edited here: addresses given on the command
 * line (`flagUrls`) are dialled regardless, so they are neither shown in the
 * field nor saved, only counted in the confirmation.
 */
import { useId, useState, type FormEvent, type RefObject } from "react";
import { useSyncStore } from "../stores/useSyncStore";
import { parseRendezvousList } from "../sync/parseRendezvousList";

interface Props {
  /** The node's current setting (source "setting"); null while unknown. */
  urls: string[] | null;
  /** Addresses from `musher serve --rendezvous` (source "flag"): dialled too, not editable. */
  flagUrls: readonly string[];
  inputRef: RefObject<HTMLTextAreaElement | null>;
}

export function RendezvousForm({ urls, flagUrls, inputRef }: Props) {
  const setRendezvous = useSyncStore((s) => s.setRendezvous);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const text = draft ?? (urls ?? []).join("\n");

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    setSaved(null);
    const parsed = parseRendezvousList(text);
    if (!parsed.ok) {
      setError(parsed.error);
      inputRef.current?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    const refused = await setRendezvous(parsed.urls);
    setBusy(false);
    if (refused !== null) {
      setError(`The node refused the list: ${refused}`);
      inputRef.current?.focus();
      return;
    }
    setDraft(null);
    const dialled = new Set([...parsed.urls, ...flagUrls]).size;
    setSaved(
      dialled === 0
        ? "Saved. No rendezvous: this device now waits for peers to connect to it."
        : `Saved. This device dials ${dialled === 1 ? "1 rendezvous" : `${dialled} rendezvous peers`}` +
            (flagUrls.length > 0 ? `, ${flagUrls.length} of them from the command line.` : "."),
    );
  };

  return (
    <form className="rendezvous-form" onSubmit={(e) => void submit(e)} noValidate>
      <label className="rendezvous-form__label" htmlFor={`${id}-input`}>
        Rendezvous addresses
      </label>
      <textarea
        ref={inputRef}
        id={`${id}-input`}
        className="input rendezvous-form__input"
        data-testid="rendezvous-input"
        rows={2}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        placeholder="ws://server:4870/sync"
        aria-invalid={error !== null}
        aria-describedby={error !== null ? `${id}-error` : `${id}-hint`}
        value={text}
        onChange={(e) => {
          setDraft(e.target.value);
          setError(null);
          setSaved(null);
        }}
      />
      {error !== null ? (
        <p className="rendezvous-form__error" id={`${id}-error`} role="alert" data-testid="rendezvous-error">
          {error}
        </p>
      ) : (
        <p className="rendezvous-form__hint" id={`${id}-hint`}>
          One <code>ws://</code> or <code>wss://</code> address per line: another node&apos;s <code>/sync</code> endpoint.
          {flagUrls.length > 0 && " Addresses from the command line are dialled as well and are not part of this list."}
        </p>
      )}
      <div className="rendezvous-form__actions">
        {saved !== null && (
          <span className="rendezvous-form__saved" role="status" data-testid="rendezvous-saved">
            {saved}
          </span>
        )}
        {draft !== null && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft(null);
              setError(null);
            }}
          >
            Revert
          </button>
        )}
        <button type="submit" className="button button--primary" data-testid="rendezvous-save" disabled={busy}>
          {busy ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}
