/**
 * Who may use the browser host: whoever holds the token, presented as
 * `Authorization: Bearer T` (agents, curl) or as the cookie set when the
 * printed `?token=` link is opened (the browser UI). Comparison is
 * constant-time so the token cannot be guessed byte by byte.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const TOKEN_COOKIE = "musher_token";

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      out.set(name, decodeURIComponent(raw));
    } catch {
      // A malformed cookie is simply not a token.
    }
  }
  return out;
}

export class TokenGate {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = Buffer.from(token, "utf8");
  }

  matches(candidate: string | null | undefined): boolean {
    if (!candidate) return false;
    const got = Buffer.from(candidate, "utf8");
    return got.length === this.expected.length && timingSafeEqual(got, this.expected);
  }

  /** How the request authenticated, if it did: header or cookie. */
  check(req: IncomingMessage): "bearer" | "cookie" | null {
    const auth = req.headers.authorization;
    if (auth?.startsWith("Bearer ") && this.matches(auth.slice(7).trim())) return "bearer";
    if (this.matches(parseCookies(req.headers.cookie).get(TOKEN_COOKIE))) return "cookie";
    return null;
  }

  cookieHeader(): string {
    return `${TOKEN_COOKIE}=${encodeURIComponent(this.expected.toString("utf8"))}; Path=/; HttpOnly; SameSite=Strict`;
  }
}
