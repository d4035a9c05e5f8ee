// Used by the test runner: `create <adminUrl>` prints a fresh database's URL; `drop <adminUrl> <url>` drops it.
import { createScratchDatabase, dropScratchDatabase } from "../src/scratch.js";

const [command, adminUrl, url] = process.argv.slice(2);
if (command === "create" && adminUrl) {
  console.log(await createScratchDatabase(adminUrl));
} else if (command === "drop" && adminUrl && url) {
  await dropScratchDatabase(adminUrl, url);
} else {
  console.error("Usage: scratch-db.ts create <adminUrl> | drop <adminUrl> <url>");
  process.exit(2);
}
