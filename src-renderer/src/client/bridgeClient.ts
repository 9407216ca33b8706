/**
 * The client over Electron IPC: `window.musher` (the preload's
 * `MusherBridge`) carries calls as `CallResult` values. IPC to the local
 * node never goes "offline", so the connection source is constant.
 */
import { ApiFailure } from "../../../src-shared/ApiError";
import { callResultSchema } from "../../../src-shared/CallResult";
import type { Input, Method, Output } from "../../../src-shared/contract";
import type { MusherBridge } from "../../../src-shared/MusherBridge";
import type { ConnectionSource, RendererClient } from "./ConnectionSource";
import { EventListeners } from "./EventListeners";
import { parseEvent } from "./parseEvent";
import { parseOutput } from "./parseOutput";

const alwaysOnline: ConnectionSource = { get: () => "online", subscribe: () => () => {} };

export function createBridgeClient(bridge: MusherBridge): RendererClient {
  const listeners = new EventListeners();
  const unsubscribe = bridge.subscribe((message) => {
    const parsed = parseEvent(message);
    if (parsed) listeners.emit(parsed);
    else console.warn("musher: ignored an invalid event from the preload", message);
  });

  return {
    connection: alwaysOnline,
    async call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
      let reply: unknown;
      try {
        // The mapped type loses the link between M and its function; the cast restores it.
        const invoke = bridge.methods[method] as (input: Input<M>) => Promise<unknown>;
        reply = await invoke(input);
      } catch (err) {
        throw new ApiFailure("unavailable", `${method} could not reach the node: ${String(err)}`);
      }
      const result = callResultSchema.safeParse(reply);
      if (!result.success) throw new ApiFailure("internal", `the node sent an invalid reply for ${method}`);
      if (result.data.ok) return parseOutput(method, result.data.value);
      const { code, message, issues } = result.data.error;
      throw new ApiFailure(code, message, issues);
    },
    on: (event, listener) => listeners.add(event, listener),
    close: unsubscribe,
  };
}
