/**
 * Who may use the browser host: whoever holds the token, presented as
 * `Authorization: Bearer T` (agents, curl) or as the cookie set when the
 * printed `?token=` link is opened (the browser UI). Comparison is
 * constant-time so the token cannot be guessed byte by byte.
 *
 * The cookie's name is unique per node (`tokenCookieName`): browsers share
 * cookies across the ports of one host, so two nodes on 127.0.0.1 with one
 * name would log each other's tabs out.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const TOKEN_COOKIE = "musher_token";

/** `musher_token_<first 16 hex chars of the node key>`. */
export function tokenCookieName(nodeId: string): string {
  return `${TOKEN_COOKIE}_${nodeId.replace(/[^0-9a-f]/gi, "").slice(0, 16)}`;
}

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

  constructor(
    token: string,
    readonly cookieName: string = TOKEN_COOKIE,
  ) {
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
    if (this.matches(parseCookies(req.headers.cookie).get(this.cookieName))) return "cookie";
    return null;
  }

  cookieHeader(): string {
    return `${this.cookieName}=${encodeURIComponent(this.expected.toString("utf8"))}; Path=/; HttpOnly; SameSite=Strict`;
  }
}
