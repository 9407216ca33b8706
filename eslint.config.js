// Lint: typescript-eslint, plus the one structural rule of the design — the
// folder a file lives in declares the runtime it runs in. Violations are
// errors, so `npm test` fails on them.
import js from "@eslint/js";
import importPlugin from "eslint-plugin-import";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const electronFree = [
  "./src-shared",
  "./src-renderer",
  "./src-main/api",
  "./src-main/node",
  "./src-main/crdt",
  "./src-main/store",
  "./src-main/sync",
  "./src-main/memory",
  "./src-main/host",
];
const nodeOnly = electronFree.filter((p) => p.startsWith("./src-main/"));

export default tseslint.config(
  { ignores: ["out/**", "dist/**", "node_modules/**", "test-results/**", "playwright-report/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { import: importPlugin },
    settings: {
      "import/resolver": {
        typescript: { project: ["tsconfig.test.json", "tsconfig.web.test.json"], noWarnOnMultipleProjects: true },
        node: true,
      },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            ...electronFree.map((target) => ({
              target,
              from: "./node_modules/electron",
              message: "Only src-main/app and src-main/preload may import electron (the headless node must boot without it).",
            })),
            {
              target: "./src-renderer",
              from: "./src-main",
              message: "The renderer talks to the node only through the contract in src-shared.",
            },
            {
              target: "./src-shared",
              from: ["./src-main", "./src-renderer"],
              message: "src-shared is plain TypeScript shared by every runtime; it imports nothing runtime-specific.",
            },
            {
              target: "./src-main",
              from: "./src-renderer",
              message: "The node never imports renderer code.",
            },
            {
              target: nodeOnly,
              from: ["./src-main/app", "./src-main/preload"],
              message: "The node must not depend on the Electron shell.",
            },
            {
              target: "./src-main/preload",
              from: nodeOnly,
              message: "The sandboxed preload may only use electron and src-shared.",
            },
          ],
        },
      ],
    },
  },
  {
    files: electronFree.map((p) => `${p.slice(2)}/**/*.{ts,tsx}`),
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "electron", message: "Only src-main/app and src-main/preload may import electron." }] },
      ],
    },
  },
  {
    files: ["src-renderer/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    files: ["bin/**/*.js", "scripts/**/*.js", "*.config.js"],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly" },
    },
  },
);
