/**
 * A scriptable raw peer for the hostile-input tests: speaks (or abuses) the
 * wire protocol by hand over a real `ws` client. Test-only.
 */
import { WebSocket } from "ws";
import type { Duplex } from "node:stream";
import type { Signer } from "../../../src-main/crdt/Identity";
import { decodeSyncFrame, encodeControl, type SyncFrame } from "../../../src-main/sync/SyncFrame";
import { handshakeChallenge } from "../../../src-main/sync/handshakeChallenge";
import type { SyncMessage } from "../../../src-main/sync/SyncMessage";

export interface HostilePeer {
  ws: WebSocket;
  frames: SyncFrame[];
  /** Underlying TCP socket (to stop reading). */
  socket(): Duplex | undefined;
  hello(): Promise<Extract<SyncMessage, { t: "hello" }>>;
  closed: Promise<{ code: number; reason: string }>;
  control(m: SyncMessage): void;
  /** Builds a valid client `auth` for the server's hello. */
  /** `invite`: the invite's one-time key, whose proof (role "invite") the auth then carries. */
  auth(identity: Signer, workspace: string, nonce?: string, invite?: Signer): Promise<Extract<SyncMessage, { t: "auth" }>>;
}

export async function hostilePeer(url: string): Promise<HostilePeer> {
  const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
  let raw: Duplex | undefined;
  ws.on("upgrade", (res) => (raw = res.socket));
  const frames: SyncFrame[] = [];
  const waiters: (() => void)[] = [];
  ws.on("message", (data) => {
    frames.push(decodeSyncFrame(data as Buffer));
    waiters.splice(0).forEach((w) => w());
  });
  ws.on("error", () => undefined); // the tests assert on `closed`
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const hello = async (): Promise<Extract<SyncMessage, { t: "hello" }>> => {
    for (;;) {
      const f = frames.find((x) => x.ok && x.kind === "control" && x.message.t === "hello");
      if (f?.ok && f.kind === "control" && f.message.t === "hello") return f.message;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return {
    ws,
    frames,
    socket: () => raw,
    hello,
    closed,
    control: (m) => ws.send(encodeControl(m)),
    auth: async (identity, workspace, nonce = "ab".repeat(32), invite) => {
      const h = await hello();
      const p = { workspace, serverKey: h.node, clientKey: identity.publicKey, serverNonce: h.nonce, clientNonce: nonce };
      const sig = Buffer.from(identity.sign(handshakeChallenge("client", p))).toString("hex");
      const proof = invite ? { invite: { key: invite.publicKey, sig: Buffer.from(invite.sign(handshakeChallenge("invite", p))).toString("hex") } } : {};
      return { t: "auth", workspace, node: identity.publicKey, nonce, sig, ...proof };
    },
  };
}
