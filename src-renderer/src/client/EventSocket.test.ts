import { describe, expect, it } from "vitest";
import type { EventMessage } from "../../../src-shared/contract";
import { EventSocket, type SocketLike } from "./EventSocket";

const opened = () => new Event("open");
const closed = () => new Event("close") as CloseEvent;
const frame = (data: string) => new MessageEvent("message", { data });

class FakeSocket implements SocketLike {
  onopen: SocketLike["onopen"] = null;
  onmessage: SocketLike["onmessage"] = null;
  onclose: SocketLike["onclose"] = null;
  onerror: SocketLike["onerror"] = null;
  closed = false;
  close(): void {
    this.closed = true;
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const received: EventMessage[] = [];
  const socket = new EventSocket({
    url: "ws://h/api/events",
    open: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    onEvent: (m) => received.push(m),
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
  });
  return { socket, sockets, timers, received };
}

describe("EventSocket", () => {
  it("delivers valid frames and drops invalid ones", () => {
    const { socket, sockets, received } = harness();
    socket.start();
    const s = sockets[0]!;
    s.onopen?.(opened());
    expect(socket.get()).toBe("online");
    s.onmessage?.(frame(JSON.stringify({ event: "board/changed", payload: { storyIds: ["a"] } })));
    s.onmessage?.(frame("not json"));
    s.onmessage?.(frame(JSON.stringify({ event: "nope", payload: {} })));
    s.onmessage?.(frame(JSON.stringify({ event: "board/changed", payload: { storyIds: 3 } })));
    expect(received).toEqual([{ event: "board/changed", payload: { storyIds: ["a"] } }]);
  });

  it("reconnects with doubling backoff, resets after an open, and reports each state", () => {
    const { socket, sockets, timers } = harness();
    const states: string[] = [];
    socket.subscribe((s) => states.push(s));
    socket.start();
    sockets[0]!.onclose?.(closed());
    timers.shift()!.fn();
    sockets[1]!.onclose?.(closed());
    timers[0]!.fn();
    expect(sockets).toHaveLength(3);
    sockets[2]!.onopen?.(opened());
    sockets[2]!.onclose?.(closed());
    expect(timers.map((t) => t.ms)).toEqual([2000, 1000]);
    expect(states).toEqual(["offline", "online", "offline"]);
  });

  it("stops reconnecting once closed", () => {
    const { socket, sockets, timers } = harness();
    socket.start();
    socket.close();
    expect(sockets[0]!.closed).toBe(true);
    expect(timers).toHaveLength(0);
  });
});
