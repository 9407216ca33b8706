/**
 * The envelope of every sync frame. All frames are binary WebSocket messages:
 *
 *   byte 0   envelope version (2; v1 nodes ordered changes by claimed clocks
 *            and cannot read merge changes, so the versions do not mix)
 *   byte 1   frame type: 0x01 control, 0x02 changes
 *   control  UTF-8 JSON of one SyncMessage
 *   changes  1..n × (u32 big-endian length ‖ change wire bytes, see changeCodec)
 *
 * Invariants: `decodeSyncFrame` never throws and returns a close code with a
 * reason for anything it refuses; `packChanges` never builds a frame over
 * `maxFrameBytes` (a single change that cannot fit is reported, not sent).
 */
import { SyncCloseCode } from "./SyncCloseCode";
import { syncMessageSchema, type SyncMessage } from "./SyncMessage";

export const ENVELOPE_VERSION = 2;
export const FRAME_CONTROL = 0x01;
export const FRAME_CHANGES = 0x02;
const HEADER = 2;
const LEN = 4;
/** Smallest possible change: format byte + signature + a 2-byte body. */
const MIN_CHANGE = 67;

export type SyncFrame =
  | { ok: true; kind: "control"; message: SyncMessage }
  | { ok: true; kind: "changes"; changes: Uint8Array[] }
  | { ok: false; code: number; reason: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function encodeControl(message: SyncMessage): Buffer {
  const json = Buffer.from(JSON.stringify(message), "utf8");
  const out = Buffer.allocUnsafe(HEADER + json.length);
  out[0] = ENVELOPE_VERSION;
  out[1] = FRAME_CONTROL;
  json.copy(out, HEADER);
  return out;
}

/** Packs changes, in order, into as few frames as fit `maxFrameBytes`. */
export function packChanges(changes: readonly Uint8Array[], maxFrameBytes: number): { frames: Buffer[]; oversize: number } {
  const frames: Buffer[] = [];
  let oversize = 0;
  let group: Uint8Array[] = [];
  let size = HEADER;
  const flush = (): void => {
    if (group.length === 0) return;
    const out = Buffer.allocUnsafe(size);
    out[0] = ENVELOPE_VERSION;
    out[1] = FRAME_CHANGES;
    let at = HEADER;
    for (const c of group) {
      out.writeUInt32BE(c.length, at);
      out.set(c, at + LEN);
      at += LEN + c.length;
    }
    frames.push(out);
    group = [];
    size = HEADER;
  };
  for (const c of changes) {
    if (HEADER + LEN + c.length > maxFrameBytes) {
      oversize++;
      continue;
    }
    if (size + LEN + c.length > maxFrameBytes) flush();
    group.push(c);
    size += LEN + c.length;
  }
  flush();
  return { frames, oversize };
}

export function decodeSyncFrame(data: Uint8Array): SyncFrame {
  if (data.length < HEADER) return { ok: false, code: SyncCloseCode.badFrame, reason: "frame too short" };
  if (data[0] !== ENVELOPE_VERSION) {
    return {
      ok: false,
      code: SyncCloseCode.unsupportedVersion,
      reason: `unsupported envelope version ${data[0]}: this node speaks sync v${ENVELOPE_VERSION}; upgrade the older node`,
    };
  }
  const body = data.subarray(HEADER);
  if (data[1] === FRAME_CONTROL) {
    let json: unknown;
    try {
      json = JSON.parse(utf8.decode(body));
    } catch {
      return { ok: false, code: SyncCloseCode.badFrame, reason: "control frame is not UTF-8 JSON" };
    }
    const parsed = syncMessageSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, code: SyncCloseCode.badFrame, reason: `bad control message: ${issue ? `${issue.path.join(".")} ${issue.message}` : "shape"}` };
    }
    return { ok: true, kind: "control", message: parsed.data };
  }
  if (data[1] === FRAME_CHANGES) {
    const changes: Uint8Array[] = [];
    const view = Buffer.from(body.buffer, body.byteOffset, body.length);
    let at = 0;
    while (at < view.length) {
      if (at + LEN > view.length) return { ok: false, code: SyncCloseCode.badFrame, reason: "truncated change length" };
      const len = view.readUInt32BE(at);
      if (len < MIN_CHANGE || at + LEN + len > view.length) return { ok: false, code: SyncCloseCode.badFrame, reason: "bad change length" };
      changes.push(body.subarray(at + LEN, at + LEN + len));
      at += LEN + len;
    }
    if (changes.length === 0) return { ok: false, code: SyncCloseCode.badFrame, reason: "empty changes frame" };
    return { ok: true, kind: "changes", changes };
  }
  return { ok: false, code: SyncCloseCode.badFrame, reason: `unknown frame type ${data[1]}` };
}
