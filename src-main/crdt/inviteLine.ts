/**
 * The invite line: everything a new device needs to join, as one
 * copy-pasteable line without whitespace (docs/PROTOCOL.md §Invites):
 *
 *   musher-invite-1.<base64url of JSON { w, s, a }>
 *
 * - `w`: the workspace id;
 * - `s`: the one-time invite secret: the 32-byte Ed25519 seed (hex) whose
 *   public key the admin's `invite` op names;
 * - `a`: the addresses to dial (ws:// or wss:// sync URLs), at most 16.
 *
 * The line is a bearer secret until it is redeemed: whoever holds it can
 * join once. It is parsed as untrusted input (bounded, zod).
 */
import { z } from "zod";
import { MAX_INVITE_CHARS } from "../../src-shared/memberMethods";
import { MAX_RENDEZVOUS_URLS, rendezvousUrlSchema } from "../../src-shared/syncMethods";

export const INVITE_PREFIX = "musher-invite-1.";

const payloadSchema = z
  .object({
    w: z.string().min(1).max(128),
    s: z.string().regex(/^[0-9a-f]{64}$/),
    a: z.array(rendezvousUrlSchema).max(MAX_RENDEZVOUS_URLS),
  })
  .strict();

export interface Invite {
  workspace: string;
  /** Hex seed of the one-time invite key. */
  secret: string;
  addresses: string[];
}

export function formatInvite(invite: Invite): string {
  const json = JSON.stringify({ w: invite.workspace, s: invite.secret, a: invite.addresses });
  return INVITE_PREFIX + Buffer.from(json, "utf8").toString("base64url");
}

export type ParsedInvite = { ok: true; invite: Invite } | { ok: false; reason: string };

export function parseInvite(line: string): ParsedInvite {
  const text = line.trim();
  if (text.length > MAX_INVITE_CHARS) return { ok: false, reason: `an invite is at most ${MAX_INVITE_CHARS} characters` };
  if (!text.startsWith(INVITE_PREFIX)) return { ok: false, reason: `an invite starts with ${INVITE_PREFIX} (ask an admin: Members → Invite)` };
  const body = text.slice(INVITE_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return { ok: false, reason: "the invite is damaged (copy the whole line)" };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "the invite is damaged (copy the whole line)" };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `the invite is damaged (${parsed.error.issues[0]?.message ?? "shape"})` };
  return { ok: true, invite: { workspace: parsed.data.w, secret: parsed.data.s, addresses: parsed.data.a } };
}
