/**
 * The object the Electron preload exposes on `window.musher`: one function
 * per contract method plus one event subscription. Never a generic
 * `send(channel)`: the renderer can only reach what the contract declares.
 */
import type { CallResult } from "./CallResult";
import type { EventMessage, Input, Method, Output } from "./contract";

export type MusherBridge = {
  readonly methods: { readonly [M in Method]: (input: Input<M>) => Promise<CallResult<Output<M>>> };
  /** Subscribes to every push event; returns an unsubscribe function. */
  readonly subscribe: (listener: (message: EventMessage) => void) => () => void;
};

/** IPC channel names derived from the contract (main and preload agree on them). */
export const IPC_EVENT_CHANNEL = "musher:event";
export const ipcChannelFor = (method: Method): string => `musher:call:${method}`;
