// `pnpm build` for @laurel/db: the embedded database's start-up template (see template.ts).
import { buildTemplate } from "./template.js";

const started = performance.now();
const file = await buildTemplate();
console.log(`PGlite template: ${file} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
