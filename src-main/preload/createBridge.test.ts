import { describe, expect, it } from "vitest";
import type { EventMessage } from "../../src-shared/contract";
import { IPC_EVENT_CHANNEL, ipcChannelFor } from "../../src-shared/MusherBridge";
import { createBridge, type IpcRendererLike } from "./createBridge";

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc(answer: (channel: string, input: unknown) => Promise<unknown>) {
  const listeners = new Map<string, Set<Listener>>();
  const invoked: Array<{ channel: string; input: unknown }> = [];
  const ipc: IpcRendererLike = {
    invoke: (channel, ...args) => {
      invoked.push({ channel, input: args[0] });
      return answer(channel, args[0]);
    },
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(channel, set);
    },
    removeListener: (channel, listener) => {
      listeners.get(channel)?.delete(listener);
    },
  };
  const emit = (channel: string, message: unknown): void => {
    for (const l of listeners.get(channel) ?? []) l({ sender: "ipc-event" }, message);
  };
  return { ipc, invoked, emit, listeners };
}

describe("createBridge", () => {
  it("sends each method on its own contract channel with the input as given", async () => {
    const { ipc, invoked } = fakeIpc(async () => ({ ok: true, value: { id: "s_1" } }));
    const bridge = createBridge(ipc);
    const result = await bridge.methods["story/create"]({ name: "x" });
    expect(result).toEqual({ ok: true, value: { id: "s_1" } });
    expect(invoked).toEqual([{ channel: ipcChannelFor("story/create"), input: { name: "x" } }]);
  });

  it("turns an IPC rejection into an error value", async () => {
    const { ipc } = fakeIpc(async () => {
      throw new Error("No handler registered");
    });
    const result = await createBridge(ipc).methods["board/get"]({});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("unavailable");
  });

  it("delivers events without the IPC event object and unsubscribes once", () => {
    const { ipc, emit, listeners } = fakeIpc(async () => ({ ok: true, value: null }));
    const bridge = createBridge(ipc);
    const seen: unknown[][] = [];
    const unsubscribe = bridge.subscribe((...args: unknown[]) => seen.push(args));
    const message: EventMessage = { event: "board/changed", payload: { storyIds: ["s_1"] } };
    emit(IPC_EVENT_CHANNEL, message);
    expect(seen).toEqual([[message]]);
    unsubscribe();
    unsubscribe();
    emit(IPC_EVENT_CHANNEL, message);
    expect(seen).toHaveLength(1);
    expect(listeners.get(IPC_EVENT_CHANNEL)?.size).toBe(0);
  });

  it("exposes frozen objects with only methods and subscribe", () => {
    const bridge = createBridge(fakeIpc(async () => null).ipc);
    expect(Object.keys(bridge).sort()).toEqual(["methods", "subscribe"]);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.methods)).toBe(true);
  });
});
