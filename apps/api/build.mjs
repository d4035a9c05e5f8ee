// The API as plain JavaScript for `npm start`: src/main.ts bundled with Laurel's own workspace
// packages, every npm package left to Node. Starting it skips tsx's compile-on-load, about a second of
// the embedded start (P6 in `pnpm bench`). The bundle sits in dist/, as deep as src/, so the paths the
// code finds from its own file (migrations, the PGlite template, schema.graphql) still hold.
// `pnpm dev`, the CLI and the tests run the TypeScript itself.
//
// `node build.mjs --if-stale` (what `start` runs first) rebuilds only when a source the bundle was made
// from is newer than it, so a pull without `pnpm build` never starts old code. The check reads the
// inputs esbuild recorded (dist/meta.json): a few dozen milliseconds.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import process from "node:process";

const BUNDLE = "dist/main.mjs";
const META = "dist/meta.json";

function fresh() {
  if (!existsSync(BUNDLE) || !existsSync(META)) return false;
  const built = statSync(BUNDLE).mtimeMs;
  const inputs = Object.keys(JSON.parse(readFileSync(META, "utf8")).inputs);
  return inputs.every((file) => existsSync(file) && statSync(file).mtimeMs <= built);
}

if (process.argv.includes("--if-stale") && fresh()) process.exit(0);

const { build } = await import("esbuild");
const result = await build({
  entryPoints: ["src/main.ts"],
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  tsconfig: "tsconfig.json",
  sourcemap: true,
  metafile: true,
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
writeFileSync(META, JSON.stringify({ inputs: result.metafile.inputs }));
