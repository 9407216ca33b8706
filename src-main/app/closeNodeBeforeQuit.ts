/**
 * Quits cleanly: the first `before-quit` is held until the node has closed
 * (its store flushed and sockets shut), then the quit resumes. A close that
 * hangs past `timeoutMs` is logged and the app quits anyway, so a stuck
 * close can never leave an app that refuses to exit.
 */
import { app } from "electron";
import type { MusherNode } from "../node/createNode";

export function closeNodeBeforeQuit(node: MusherNode, timeoutMs = 5_000): void {
  let state: "running" | "closing" | "closed" = "running";
  app.on("before-quit", (event) => {
    if (state === "closed") return;
    event.preventDefault();
    if (state === "closing") return;
    state = "closing";
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        node.log.error("the node did not close in time; quitting anyway", { timeoutMs });
        resolve();
      }, timeoutMs);
    });
    Promise.race([node.close(), timeout])
      .catch((err: unknown) => node.log.error("closing the node failed", { err }))
      .finally(() => {
        clearTimeout(timer);
        state = "closed";
        app.quit();
      });
  });
}
