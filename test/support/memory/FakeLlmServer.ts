/**
 * Test helper: a fake OpenAI-compatible chat endpoint on real HTTP
 * (node:http, 127.0.0.1, ephemeral port). Each test scripts the answers; the
 * server records every request so tests can count attempts and read prompts.
 *
 * Script entries are consumed in order; when the script is empty the
 * `fallback` answers (default: HTTP 500), so an unexpected extra call fails
 * loudly instead of hanging.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  body: unknown;
  /** The user prompt (numbered messages), for assertions. */
  prompt: string;
  authorization: string | undefined;
  receivedAt: number;
}

export type FakeAnswer =
  | { kind: "json"; content: unknown; delayMs?: number }
  | { kind: "raw"; status: number; body: string; delayMs?: number }
  | { kind: "hang" };

export type FakeScript = FakeAnswer | ((request: FakeRequest) => FakeAnswer);

/** A well-formed model answer with `content` as the assistant's JSON text. */
export function modelAnswer(content: unknown, delayMs?: number): FakeAnswer {
  return delayMs === undefined ? { kind: "json", content } : { kind: "json", content, delayMs };
}

export class FakeLlmServer {
  readonly requests: FakeRequest[] = [];
  private readonly queue: FakeScript[] = [];
  fallback: FakeScript = { kind: "raw", status: 500, body: "unscripted call" };

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeLlmServer> {
    const holder: { self?: FakeLlmServer } = {};
    const server = createServer((req, res) => {
      const self = holder.self;
      if (self === undefined) {
        res.writeHead(503).end("not ready");
        return;
      }
      self.handle(req).then(
        ({ status, body, hang }) => {
          if (hang) return; // never answer: the client's timeout must fire
          res.writeHead(status, { "content-type": "application/json" });
          res.end(body);
        },
        (err: unknown) => {
          // A broken request is the test's bug: answer loudly, never crash the server.
          res.writeHead(400, { "content-type": "text/plain" });
          res.end(`fake server: ${err instanceof Error ? err.message : String(err)}`);
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    holder.self = new FakeLlmServer(server, `http://127.0.0.1:${port}`);
    return holder.self;
  }

  script(...answers: FakeScript[]): void {
    this.queue.push(...answers);
  }

  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.fallback = { kind: "raw", status: 500, body: "unscripted call" };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: string; hang: boolean }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const request: FakeRequest = {
      body,
      prompt: userPrompt(body),
      authorization: req.headers.authorization,
      receivedAt: Date.now(),
    };
    this.requests.push(request);
    const entry = this.queue.shift() ?? this.fallback;
    const answer = typeof entry === "function" ? entry(request) : entry;
    if (answer.kind === "hang") return { status: 0, body: "", hang: true };
    if (answer.delayMs !== undefined) await new Promise((r) => setTimeout(r, answer.delayMs));
    if (answer.kind === "raw") return { status: answer.status, body: answer.body, hang: false };
    const content = typeof answer.content === "string" ? answer.content : JSON.stringify(answer.content);
    const completion = { id: "fake", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content } }] };
    return { status: 200, body: JSON.stringify(completion), hang: false };
  }
}

function userPrompt(body: unknown): string {
  if (typeof body !== "object" || body === null || !("messages" in body) || !Array.isArray(body.messages)) return "";
  const user: unknown = body.messages.find((m: unknown) => typeof m === "object" && m !== null && "role" in m && m.role === "user");
  return typeof user === "object" && user !== null && "content" in user && typeof user.content === "string" ? user.content : "";
}

/** How many numbered messages a prompt lists (to script "cut after the last"). */
export function promptMessageCount(prompt: string): number {
  return prompt.split("\n").filter((line) => /^\[\d+\] /.test(line)).length;
}
