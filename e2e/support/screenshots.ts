import { fileURLToPath } from "node:url";

/** Where the README's screenshots live: the browser tests take them, so they show what really runs. */
export function screenshot(name: string): string {
  return fileURLToPath(new URL(`../../docs/screenshots/${name}`, import.meta.url));
}
