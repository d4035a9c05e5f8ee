// Architecture rules that `pnpm lint` enforces (dependency-cruiser). Paths are relative to the repository root.
//
// The layers: packages/engine is the pure kernel (no I/O); in apps/api, lib/ is below everything, scoring/ is below
// the GraphQL modules, and each module in modules/<name>/ uses scoring/, lib/ and the src/ root files, never another
// module's files.

// Node built-ins that do I/O, bare or with the node: prefix, and their subpaths (fs/promises, dns/promises ...).
const ioBuiltins = [
  "fs",
  "net",
  "http",
  "http2",
  "https",
  "child_process",
  "cluster",
  "dgram",
  "dns",
  "tls",
  "worker_threads",
  "readline",
  "repl",
  "inspector",
];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: "no-circular",
      // Type-only imports count: tsc erases them, but a cycle through a type still ties two files (and often two
      // layers) together, e.g. a module importing the request context's type while the context imports the module.
      // When this rule came in, every cycle in the code closed through a type-only import, and each was a real tangle.
      comment: "An import cycle (type-only imports included). Move the shared piece down a layer.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      comment:
        "An import that resolves to no file: a missing dependency, or a path this configuration cannot follow.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "no-orphans",
      comment:
        "A file nothing imports and that imports nothing: dead, or an entry point that needs listing here.",
      severity: "error",
      from: {
        orphan: true,
        // Declarations, and the client's generated schema types (the generated operations file holds what is used).
        pathNot: ["\\.d\\.(c|m)?ts$", "^packages/client/src/generated/schema\\.ts$"],
      },
      to: {},
    },
    {
      name: "engine-is-pure",
      comment:
        "packages/engine is the pure kernel: no database, no driver, no Node I/O built-in, no application code. " +
        "Read and write in apps/api and hand the engine plain values.",
      severity: "error",
      from: { path: "^packages/engine/src/" },
      to: {
        path: [
          "^packages/db/",
          "^apps/",
          // Resolved into node_modules, or unresolved (the engine does not declare them) and so named as imported.
          "(^|/node_modules/)(@laurel/db|drizzle-orm|drizzle-kit|postgres|@electric-sql/pglite)(/|$)",
          `^(node:)?(${ioBuiltins.join("|")})(/|$)`,
        ],
      },
    },
    {
      name: "engine-tests-use-vitest-only",
      comment: "The engine's tests test the engine: they import engine files and vitest, nothing else.",
      severity: "error",
      from: { path: "^packages/engine/src/.+\\.test\\.ts$" },
      to: { pathNot: ["^packages/engine/src/", "(^|/)node_modules/vitest/"] },
    },
    {
      name: "engine-source-not-vitest",
      comment: "Only the engine's test files may import vitest.",
      severity: "error",
      from: { path: "^packages/engine/src/", pathNot: "\\.test\\.ts$" },
      to: { path: "(^|/)node_modules/vitest/" },
    },
    {
      name: "modules-are-independent",
      comment:
        "A GraphQL module imports no other module's files. Shared logic belongs in apps/api/src/scoring/ or " +
        "apps/api/src/lib/ (or a src/ root file such as errors.ts or context.ts).",
      severity: "error",
      from: { path: "^apps/api/src/modules/([^/]+)/" },
      to: { path: "^apps/api/src/modules/", pathNot: "^apps/api/src/modules/$1/" },
    },
    {
      name: "scoring-below-modules",
      comment: "The scoring layer sits below the GraphQL modules: it never imports them.",
      severity: "error",
      from: { path: "^apps/api/src/scoring/" },
      to: { path: "^apps/api/src/modules/" },
    },
    {
      name: "outbox-below-modules",
      comment:
        "The outbox layer (relay, hub, dispatchers) sits below the GraphQL modules and beside scoring: it imports neither.",
      severity: "error",
      from: { path: "^apps/api/src/outbox/" },
      to: { path: "^apps/api/src/(modules|scoring)/" },
    },
    {
      name: "lib-below-everything",
      comment:
        "apps/api/src/lib/ holds cross-cutting helpers: it imports neither the modules nor the scoring layer.",
      severity: "error",
      from: { path: "^apps/api/src/lib/" },
      to: { path: "^apps/api/src/(modules|scoring|outbox)/" },
    },
  ],
  options: {
    // Record node_modules targets (so the rules above can name them) but do not cruise into them.
    doNotFollow: { path: "(^|/)node_modules/" },
    // Build output and test artefacts of this workspace (anchored: a package in node_modules may live in a dist/).
    exclude: {
      path: [
        "^(apps|packages)/[^/]+/dist/",
        "^e2e/(test-results|playwright-report)/",
        "^packages/bench/results/",
      ],
    },
    // See imports that TypeScript erases (type-only), so a cycle or a layering breach through types shows too.
    tsPreCompilationDeps: true,
    // Workspace packages export their TypeScript sources through package.json "exports"; follow them into
    // packages/*/src (pnpm's symlinks are resolved to the real path), so edges between packages are seen.
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx", ".d.ts"],
      mainFields: ["module", "main", "types", "typings"],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
