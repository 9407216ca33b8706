/**
 * Picks the boundary detector from the environment: the embedded detector
 * (offline, the default), or an OpenAI-compatible LLM when both
 * `MUSHER_LLM_BASE_URL` and `MUSHER_LLM_MODEL` are set
 * (`MUSHER_LLM_API_KEY` optional). A half-configured LLM (one of the two
 * set) is logged and ignored: memorize must keep working offline.
 */
import type { Logger } from "../base/Logger";
import type { BoundaryDetector } from "./BoundaryDetector";
import { EmbeddedDetector } from "./EmbeddedDetector";
import { LlmDetector } from "./LlmDetector";

export function createDetector(env: Readonly<Record<string, string | undefined>>, logger: Logger): BoundaryDetector {
  const baseUrl = env["MUSHER_LLM_BASE_URL"]?.trim() ?? "";
  const model = env["MUSHER_LLM_MODEL"]?.trim() ?? "";
  if (baseUrl === "" && model === "") return new EmbeddedDetector();
  if (baseUrl === "" || model === "") {
    logger.warn("MUSHER_LLM_BASE_URL and MUSHER_LLM_MODEL must both be set; using the embedded detector");
    return new EmbeddedDetector();
  }
  const apiKey = env["MUSHER_LLM_API_KEY"]?.trim();
  logger.info("memorize uses an LLM boundary detector", { baseUrl, model });
  return new LlmDetector({ baseUrl, model, logger, ...(apiKey ? { apiKey } : {}) });
}
