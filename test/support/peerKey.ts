/**
 * An Ed25519 key for the protocol peer, from `node:crypto` only: raw 32-byte
 * public key as 64 lowercase hex chars (the protocol's node/author key),
 * signatures as 64 raw bytes (PROTOCOL.md §Handshake, §Changes).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";

export interface PeerKey {
  /** 64 lowercase hex chars. */
  readonly publicKey: string;
  sign(data: Uint8Array): Buffer;
}

export function newPeerKey(): PeerKey {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  return {
    publicKey: Buffer.from(jwk.x!, "base64url").toString("hex"),
    sign: (data) => sign(null, data, privateKey),
  };
}

/** The key whose 32-byte Ed25519 seed is `seedHex` (an invite's one-time key, PROTOCOL.md §Invites). */
export function peerKeyFromSeed(seedHex: string): PeerKey {
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(seedHex, "hex")]), format: "der", type: "pkcs8" });
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  return {
    publicKey: Buffer.from(jwk.x!, "base64url").toString("hex"),
    sign: (data) => sign(null, data, privateKey),
  };
}

function keyObject(publicKeyHex: string): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(publicKeyHex, "hex").toString("base64url") }, format: "jwk" });
}

export function peerVerify(publicKeyHex: string, data: Uint8Array, sig: Uint8Array): boolean {
  return verify(null, data, keyObject(publicKeyHex), sig);
}
