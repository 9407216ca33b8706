/**
 * The browser host's push channel: a WebSocket at `/api/events` whose text
 * frames are `{ event, payload }`. It reconnects forever with backoff
 * (1 s doubling to 30 s, reset after a successful open) because offline is
 * normal. Consumers watch `connection`: a transition back to "online" means
 * events may have been missed, so they refetch.
 *
 * Nothing here throws inside a socket callback; bad frames are logged and
 * dropped.
 */
import type { EventMessage } from "../../../src-shared/contract";
import type { Unsubscribe } from "../../../src-shared/MusherClient";
import { backoffDelay } from "./backoffDelay";
import type { ConnectionSource, ConnectionState } from "./ConnectionSource";
import { parseEvent } from "./parseEvent";

/** The smallest WebSocket shape used here (a browser `WebSocket` fits). */
export interface SocketLike {
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  close(): void;
}

export interface EventSocketOptions {
  url: string;
  open: (url: string) => SocketLike;
  onEvent: (message: EventMessage) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class EventSocket implements ConnectionSource {
  private state: ConnectionState = "connecting";
  private readonly listeners = new Set<(state: ConnectionState) => void>();
  private socket: SocketLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private closed = false;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: EventSocketOptions) {
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  start(): void {
    if (!this.closed && !this.socket && this.timer === null) this.connect();
  }

  get(): ConnectionState {
    return this.state;
  }

  subscribe(listener: (state: ConnectionState) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close();
    }
  }

  private connect(): void {
    let socket: SocketLike;
    try {
      socket = this.options.open(this.options.url);
    } catch (err) {
      console.warn("musher: cannot open the event socket", err);
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setState("online");
    };
    socket.onmessage = (ev) => this.receive(ev.data);
    // `error` is always followed by `close`; reconnecting happens there only.
    socket.onerror = () => {};
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setState("offline");
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.timer = this.setTimer(() => {
      this.timer = null;
      if (!this.closed) this.connect();
    }, delay);
  }

  private receive(data: unknown): void {
    if (typeof data !== "string") return;
    let message: EventMessage | null = null;
    try {
      message = parseEvent(JSON.parse(data));
    } catch {
      message = null;
    }
    if (message) this.options.onEvent(message);
    else console.warn("musher: ignored an invalid event frame");
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch (err) {
        console.error("musher: a connection listener failed", err);
      }
    }
  }
}
