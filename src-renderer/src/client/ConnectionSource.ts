/**
 * How the renderer learns whether push events are flowing. The contract's
 * `MusherClient` says nothing about transports, so the renderer pairs it with
 * this small source: IPC is always "online"; the browser host is "online"
 * only while its event WebSocket is open.
 */
import type { MusherClient, Unsubscribe } from "../../../src-shared/MusherClient";

export type ConnectionState = "connecting" | "online" | "offline";

export interface ConnectionSource {
  get(): ConnectionState;
  /** Called on every change of state; returns an unsubscribe. */
  subscribe(listener: (state: ConnectionState) => void): Unsubscribe;
}

/** A contract client plus what the UI needs to show and react to connectivity. */
export interface RendererClient extends MusherClient {
  readonly connection: ConnectionSource;
  /** Closes sockets and timers (tests, hot reload). */
  close(): void;
}
