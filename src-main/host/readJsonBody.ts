import type { IncomingMessage } from "node:http";
import { ApiFailure } from "../../src-shared/ApiError";

/** Reads a JSON request body of at most `limit` bytes; empty means `{}`. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) throw new ApiFailure("too_large", `request body over ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new ApiFailure("too_large", `request body over ${limit} bytes`);
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiFailure("invalid_input", "the request body is not valid JSON");
  }
}
