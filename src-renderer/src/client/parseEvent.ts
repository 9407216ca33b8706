/**
 * Turns one untrusted push message (an IPC payload or a WebSocket text frame
 * already JSON-parsed) into a typed `EventMessage`, or null when it is not one.
 */
import { events, isEventName, type EventMessage } from "../../../src-shared/contract";

export function parseEvent(message: unknown): EventMessage | null {
  if (typeof message !== "object" || message === null) return null;
  const { event, payload } = message as { event?: unknown; payload?: unknown };
  if (typeof event !== "string" || !isEventName(event)) return null;
  const parsed = events[event].safeParse(payload);
  if (!parsed.success) return null;
  // Sound: the payload was validated by the schema of this very event.
  return { event, payload: parsed.data } as EventMessage;
}
