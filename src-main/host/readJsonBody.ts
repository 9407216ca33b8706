import type { IncomingMessage } from "node:http";
import { ApiFailure } from "../../src-shared/ApiError";

/**
 * Reads a JSON request body of at most `limit` bytes; empty means `{}`.
 *
 * Over the limit (declared or counted) it rejects with `too_large` and stops
 * reading — the request is paused, not drained and not destroyed, so the
 * caller can still send its 413; the HTTP host then closes the connection
 * (an endless body is never read to its end).
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) return Promise.reject(new ApiFailure("too_large", `request body over ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        done();
        req.pause();
        reject(new ApiFailure("too_large", `request body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      try {
        resolve(parseJson(Buffer.concat(chunks).toString("utf8").trim()));
      } catch (err) {
        reject(err);
      }
    };
    const onError = (err: Error): void => {
      done();
      reject(err);
    };
    const onClose = (): void => {
      done();
      reject(new ApiFailure("invalid_input", "the request body ended early"));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

function parseJson(text: string): unknown {
  if (text === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiFailure("invalid_input", "the request body is not valid JSON");
  }
}
