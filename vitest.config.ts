import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src-*/**/*.test.ts", "src-*/**/*.test.tsx", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "out/**", "e2e/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real processes and sockets; two cores are all we have.
    maxWorkers: 2,
  },
});
