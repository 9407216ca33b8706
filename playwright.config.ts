/**
 * End-to-end tests. The browser is Debian's Chromium (never a downloaded
 * build: this machine has no route to Playwright's CDN). The Electron spec
 * runs only where Electron's binary is installed and says so when skipped.
 */
import { defineConfig } from "@playwright/test";

const CHROMIUM = process.env["MUSHER_CHROMIUM"] ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: { trace: "off", screenshot: "only-on-failure" },
  projects: [
    {
      name: "chromium",
      testIgnore: /electron\.spec\.ts/,
      use: {
        browserName: "chromium",
        launchOptions: {
          executablePath: CHROMIUM,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
    { name: "electron", testMatch: /electron\.spec\.ts/ },
  ],
});
