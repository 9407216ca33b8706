/**
 * Builds the object exposed as `window.musher`: one function per contract
 * method, each bound to its own IPC channel, plus one event subscription.
 *
 * Invariants:
 * - The renderer never gets `ipcRenderer`, an IPC event object, or a way to
 *   name a channel: every channel is fixed here from the contract.
 * - A method call always resolves with a `CallResult`; an IPC-level failure
 *   (no handler yet, main shutting down) becomes `{ ok: false }` rather than
 *   a rejection, matching the "errors are values" rule of the other hosts.
 * - Takes `IpcRendererLike` (the three calls used) so it is testable
 *   without Electron.
 */
import type { CallResult } from "../../src-shared/CallResult";
import type { EventMessage, Input, Method, Output } from "../../src-shared/contract";
import { IPC_EVENT_CHANNEL, ipcChannelFor, type MusherBridge } from "../../src-shared/MusherBridge";
import { bridgeMethodNames } from "./bridgeMethodNames";

/** The slice of Electron's `ipcRenderer` the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type BridgeMethods = MusherBridge["methods"];

function describeIpcFailure(method: Method, err: unknown): string {
  const detail = err instanceof Error ? err.message : String(err);
  return `${method} could not reach the app's main process (${detail})`;
}

export function createBridge(ipc: IpcRendererLike): MusherBridge {
  const invoker =
    <M extends Method>(method: M) =>
    async (input: Input<M>): Promise<CallResult<Output<M>>> => {
      try {
        // Main answers every call with a CallResult value (see registerIpc).
        return (await ipc.invoke(ipcChannelFor(method), input)) as CallResult<Output<M>>;
      } catch (err) {
        return { ok: false, error: { code: "unavailable", message: describeIpcFailure(method, err) } };
      }
    };

  // The cast is sound: the entries cover exactly `Method` (see bridgeMethodNames)
  // and each value is `invoker(m)` for its own key.
  const methods = Object.freeze(
    Object.fromEntries(bridgeMethodNames.map((m) => [m, invoker(m)])),
  ) as BridgeMethods;

  const subscribe = (listener: (message: EventMessage) => void): (() => void) => {
    // Strip the IPC event: the renderer sees only the message main sent.
    const onEvent = (_event: unknown, message: unknown): void => listener(message as EventMessage);
    ipc.on(IPC_EVENT_CHANNEL, onEvent);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(IPC_EVENT_CHANNEL, onEvent);
    };
  };

  return Object.freeze({ methods, subscribe } satisfies MusherBridge);
}
