import { fileURLToPath } from "node:url";

/** The built playground, served by the API at /graphiql. Built by `pnpm build` (vite build). */
export const playgroundDist = fileURLToPath(new URL("./dist", import.meta.url));
