import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { apiKeys } from "@/server/db/schema";
import type { Tx } from "@/server/db/client";
import { InvalidInputError } from "./errors";
import { isUuid } from "@/server/domain/text";

/**
 * Keys for the REST API. A key is shown once, when created; only its SHA-256 is stored (keys are
 * long and random, so a fast hash is enough), with a short prefix and suffix to tell keys apart.
 */

const KEY_PREFIX = "hk_";
const KEY_LENGTH = 40;
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
/** lastUsedAt is for people: rewriting it on every request is not worth a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** What lists show of a key: enough to recognize it, far too little to use it. */
export function displayPrefixOf(key: string): string {
  return `${key.slice(0, 7)}…${key.slice(-4)}`;
}

/** "hk_" and 40 base32 characters: 200 random bits. */
function newKey(): string {
  const bytes = randomBytes(KEY_LENGTH);
  let key = KEY_PREFIX;
  for (const byte of bytes) key += BASE32[byte & 31];
  return key;
}

/** The key is in this answer only. */
export async function createApiKey(db: Tx, opts: { organizationId: string; userId: string | null; name: string }) {
  const name = opts.name.trim();
  if (name === "" || name.length > 100) throw new InvalidInputError("Name the key (at most 100 characters).", "name");
  const key = newKey();
  const [row] = await db
    .insert(apiKeys)
    .values({
      organizationId: opts.organizationId,
      createdByUserId: opts.userId,
      name,
      keyHash: hashApiKey(key),
      displayPrefix: displayPrefixOf(key),
    })
    .returning({ id: apiKeys.id });
  return { id: row!.id, key };
}

export async function listApiKeys(db: Tx, opts: { organizationId: string }) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      displayPrefix: apiKeys.displayPrefix,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.organizationId, opts.organizationId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/**
 * Revokes a key: requests with it are refused from now on. Idempotent (a key revoked earlier keeps
 * its revocation time); false for no such key in the organization.
 */
export async function revokeApiKey(db: Tx, opts: { organizationId: string; id: string; now: Date }): Promise<boolean> {
  if (!isUuid(opts.id)) return false;
  const revoked = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${opts.now.toISOString()}::timestamptz)` })
    .where(and(eq(apiKeys.id, opts.id), eq(apiKeys.organizationId, opts.organizationId)))
    .returning({ id: apiKeys.id });
  return revoked.length > 0;
}

/** The account a key acts for; null for an unknown or revoked key, or one of a non-customer organization. */
export async function authenticateApiKey(
  db: Tx,
  key: string,
  now: Date,
): Promise<{ organizationId: string; userId: string | null; apiKeyId: string } | null> {
  if (typeof key !== "string" || key.length === 0 || key.length > 200) return null;
  const [row] = await db.execute<{ id: string; organization_id: string; created_by_user_id: string | null; last_used_at: string | null }>(sql`
    select k.id, k.organization_id, k.created_by_user_id, k.last_used_at
    from api_keys k join organizations o on o.id = k.organization_id
    where k.key_hash = ${hashApiKey(key)} and k.revoked_at is null and o.kind = 'customer'`);
  if (!row) return null;
  if (!row.last_used_at || Date.parse(row.last_used_at) <= now.getTime() - LAST_USED_RESOLUTION_MS) {
    await db.execute(sql`update api_keys set last_used_at = ${now.toISOString()} where id = ${row.id}`);
  }
  return { organizationId: row.organization_id, userId: row.created_by_user_id, apiKeyId: row.id };
}
