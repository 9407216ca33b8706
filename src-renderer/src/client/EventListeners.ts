/**
 * Per-event listener sets shared by both clients. A throwing listener is
 * reported and skipped so one bad component cannot starve the others.
 */
import type { EventMessage, EventName, EventPayload } from "../../../src-shared/contract";
import type { Unsubscribe } from "../../../src-shared/MusherClient";

type AnyListener = (payload: unknown) => void;

export class EventListeners {
  private readonly byEvent = new Map<EventName, Set<AnyListener>>();

  add<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe {
    const set = this.byEvent.get(event) ?? new Set<AnyListener>();
    this.byEvent.set(event, set);
    // Sound: `emit` only hands this listener payloads validated for `event`.
    const stored = listener as AnyListener;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }

  emit(message: EventMessage): void {
    for (const listener of [...(this.byEvent.get(message.event) ?? [])]) {
      try {
        listener(message.payload);
      } catch (err) {
        console.error(`musher: a ${message.event} listener failed`, err);
      }
    }
  }
}
