import postgres from "postgres";

/**
 * A fresh, empty database on a PostgreSQL server, for one test run: made from the admin connection
 * string, named after the time, dropped afterwards.
 */
export async function createScratchDatabase(adminUrl: string, prefix = "laurel_test"): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const name = `${prefix}_${Date.now().toString(36)}_${process.pid}`;
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export async function dropScratchDatabase(adminUrl: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Refusing to drop ${name}`);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}
