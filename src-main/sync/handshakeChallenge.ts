/**
 * The bytes each side signs to prove it holds its node key.
 *
 * The challenge binds a protocol label, the signer's role, the workspace,
 * both public keys and both nonces (each side picks its own, fresh per
 * connection from a CSPRNG). So a signature is useless anywhere else: not on
 * another connection (the other side's nonce differs), not in the other role
 * (a reflected client proof is not a server proof), not in another workspace
 * or protocol version. Role "invite" is the invite key's proof that the
 * client holds an invite (docs/PROTOCOL.md §Invite handshake). Encoded as a JSON array: unambiguous field boundaries.
 */
export const HANDSHAKE_LABEL = "musher-sync/3 handshake";

export interface HandshakeParams {
  workspace: string;
  serverKey: string;
  clientKey: string;
  serverNonce: string;
  clientNonce: string;
}

export function handshakeChallenge(role: "client" | "server" | "invite", p: HandshakeParams): Uint8Array {
  return Buffer.from(JSON.stringify([HANDSHAKE_LABEL, role, p.workspace, p.serverKey, p.clientKey, p.serverNonce, p.clientNonce]), "utf8");
}
