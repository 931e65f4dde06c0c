import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** Creates a database on the server of `serverUrl` if it does not exist yet. */
export async function createDatabase(serverUrl: string, name: string) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name: ${name}`);
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function dropDatabase(serverUrl: string, name: string) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name: ${name}`);
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The same server URL with another database name. */
export function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A name for a throwaway database: `<prefix><UTC yyyymmddhhmmss>_<random>`. */
export function scratchDatabaseName(prefix: string) {
  const time = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  return `${prefix}${time}_${randomBytes(3).toString("hex")}`;
}

/** Drops every database whose name starts with `prefix` (left by interrupted runs); returns how many. */
export async function dropDatabasesWithPrefix(serverUrl: string, prefix: string) {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ datname: string }[]>`
      select datname from pg_database where left(datname, length(${prefix})) = ${prefix}`;
    for (const { datname } of rows) await dropDatabase(serverUrl, datname);
    return rows.length;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
