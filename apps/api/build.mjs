// The API as plain JavaScript for `npm start`: src/main.ts bundled with Laurel's own workspace
// packages, every npm package left to Node. Starting it skips tsx's compile-on-load, about a second of
// the embedded start (P6 in `pnpm bench`). The bundle sits in dist/, as deep as src/, so the paths the
// code finds from its own file (migrations, the PGlite template, schema.graphql) still hold.
// `pnpm dev`, the CLI and the tests run the TypeScript itself.
import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts"],
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  tsconfig: "tsconfig.json",
  sourcemap: true,
  logLevel: "warning",
  plugins: [
    {
      // Laurel's TypeScript packages go in; everything else (npm packages, and the playground, which
      // finds its built files from its own path) is imported by Node from where it is installed.
      name: "only-laurel-typescript-inside",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          /^@laurel\/(db|engine)(\/|$)/.test(args.path) ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
  // Some dependencies are CommonJS and call require; an ES module has none of its own.
  banner: {
    js: "import { createRequire as __laurelRequire } from 'node:module'; const require = __laurelRequire(import.meta.url);",
  },
});
