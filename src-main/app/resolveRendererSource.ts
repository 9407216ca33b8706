/**
 * Where the window's UI comes from, and therefore which senders and origins
 * the main process trusts. Exactly one source per run:
 * - `file`: the built `out/renderer/index.html` on disk (production, preview);
 * - `dev`: the electron-vite dev server, only when the app is NOT packaged.
 *   A packaged app ignores `ELECTRON_RENDERER_URL`, so an environment
 *   variable can never point a window holding the bridge at foreign content.
 */
import { z } from "zod";

export type RendererSource =
  | { readonly kind: "file"; readonly indexPath: string }
  | { readonly kind: "dev"; readonly url: string; readonly origin: string };

const devServerUrlSchema = z.url({ protocol: /^https?$/ });

export interface RendererSourceInputs {
  isPackaged: boolean;
  /** `process.env.ELECTRON_RENDERER_URL`, set by `electron-vite dev`. */
  devServerUrl: string | undefined;
  /** Absolute path of the built renderer's index.html. */
  indexPath: string;
}

export function resolveRendererSource(inputs: RendererSourceInputs): RendererSource {
  if (!inputs.isPackaged && inputs.devServerUrl !== undefined) {
    const parsed = devServerUrlSchema.safeParse(inputs.devServerUrl);
    if (!parsed.success) {
      throw new Error(`ELECTRON_RENDERER_URL is not an http(s) URL: ${JSON.stringify(inputs.devServerUrl)}`);
    }
    return { kind: "dev", url: parsed.data, origin: new URL(parsed.data).origin };
  }
  return { kind: "file", indexPath: inputs.indexPath };
}
