/**
 * WebSocket close codes of the sync protocol (docs/PROTOCOL.md §Close codes).
 * 4xxx are application codes (RFC 6455 §7.4.2); 1000/1001/1009 are the
 * standard ones. Every refusal closes with one of these plus a short reason,
 * so a peer (and its log) can tell *why* it was dropped.
 */
export const SyncCloseCode = {
  normal: 1000,
  goingAway: 1001,
  /** A WebSocket protocol violation found by `ws` (bad opcode, unmasked client frame, ...). */
  protocolError: 1002,
  /** Frame over `maxFrameBytes` (sent by `ws` itself via `maxPayload`). */
  tooBig: 1009,
  /** Undecodable frame, text frame, unknown frame type, message out of order. */
  badFrame: 4000,
  /** Envelope version this node does not speak. */
  unsupportedVersion: 4001,
  /** The peer belongs to another workspace. */
  wrongWorkspace: 4002,
  /** Handshake signature does not verify (forged or replayed handshake). */
  authFailed: 4003,
  /** The peer's key is not in `trustedKeys` (the optional network filter of `--trusted-key`). */
  untrusted: 4004,
  /** No complete handshake within `handshakeTimeoutMs`. */
  handshakeTimeout: 4005,
  /** The peer does not read fast enough: send queue bound exceeded. */
  lagging: 4006,
  /** The peer stopped answering pings. */
  unresponsive: 4007,
  /** The peer is this node (same key). */
  self: 4008,
  /** The peer sent more invalid changes than `maxRejectedChanges`. */
  invalidChanges: 4009,
  /**
   * After the key proof: the peer is not a current member of the workspace
   * and redeems no valid invite (the reason says which: unknown, used or
   * expired invite), or it was removed while connected; or, seen from a
   * member dialling out, the server is not a member.
   */
  notMember: 4010,
} as const;

export type SyncCloseCode = (typeof SyncCloseCode)[keyof typeof SyncCloseCode];
