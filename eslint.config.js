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

// The main process reads bottom-up: each layer may import only the layers
// before it (and src-shared; base imports nothing of ours). host and app are
// the two composition roots on top.
const layers = ["base", "crdt", "memory", "store", "sync", "api", "node", ["host", "app"]];
const layerFolders = (layer) => (Array.isArray(layer) ? layer : [layer]).map((f) => `./src-main/${f}`);
const layerZones = layers.flatMap((layer, i) => {
  const above = layers.slice(i + 1).flatMap(layerFolders);
  if (above.length === 0) return [];
  const name = Array.isArray(layer) ? layer.join("/") : layer;
  return layerFolders(layer).map((target) => ({
    target,
    from: above,
    message: `Layer order: base < crdt < memory < store < sync < api < node < host/app; ${name} must not import a layer above it.`,
  }));
});

const structuralZones = [
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
  ...layerZones,
  {
    target: "./src-main/base",
    from: ["./src-main", "./src-shared", "./src-renderer"],
    except: ["./base"],
    message: "src-main/base is the bottom layer: it imports nothing of ours.",
  },
  {
    target: "./src-main/preload",
    from: nodeOnly,
    message: "The sandboxed preload may only use electron and src-shared.",
  },
];

const testSupport = "Production code must not import test support (test/, testing/).";
const testSupportZones = ["./src-main", "./src-renderer", "./src-shared"].flatMap((target) => [
  { target, from: "./test", message: testSupport },
  { target, from: ["./src-main/**/testing/**", "./src-renderer/**/testing/**"], message: testSupport },
]);

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
      "import/no-restricted-paths": ["error", { zones: structuralZones }],
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
    // Production code never depends on test support (it is not in the
    // production typecheck). Same rule, more zones: a later block replaces
    // the rule's options, so it repeats the structural ones.
    files: ["src-*/**/*.{ts,tsx}"],
    ignores: ["**/*.test.{ts,tsx}", "**/testing/**"],
    rules: { "import/no-restricted-paths": ["error", { zones: [...structuralZones, ...testSupportZones] }] },
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
