import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { gatewayCredentials } from "@/server/db/schema";
import type { Tx } from "@/server/db/client";

/**
 * Gateway credentials: `hgw_<prefix>_<secret>`. The prefix (public, 12 base32 characters) finds
 * the row; only SHA-256 of the secret (32 random bytes) is stored. A fast hash is right here: the
 * secret has 256 bits of entropy, so there is nothing to slow down guessing of.
 */

const TOKEN = /^hgw_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
/** lastUsedAt is for people ("last seen 3 min ago"), so one write a minute per credential is enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += BASE32[b & 31];
  return out;
}

function sha256Hex(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export async function issueGatewayCredential(
  db: Tx,
  opts: { gatewayId: string; createdByUserId: string | null },
): Promise<{ token: string; credentialId: string }> {
  const prefix = randomBase32(12);
  const secret = randomBytes(32).toString("base64url");
  const [row] = await db
    .insert(gatewayCredentials)
    .values({ gatewayId: opts.gatewayId, tokenPrefix: prefix, secretHash: sha256Hex(secret), createdByUserId: opts.createdByUserId })
    .returning({ id: gatewayCredentials.id });
  return { token: `hgw_${prefix}_${secret}`, credentialId: row!.id };
}

/** Revoking is immediate: the next request with the token gets 401. Returns false if already revoked or unknown. */
export async function revokeGatewayCredential(db: Tx, credentialId: string, now = new Date()): Promise<boolean> {
  const rows = await db
    .update(gatewayCredentials)
    .set({ revokedAt: now })
    .where(and(eq(gatewayCredentials.id, credentialId), isNull(gatewayCredentials.revokedAt)))
    .returning({ id: gatewayCredentials.id });
  return rows.length > 0;
}

/** The gateway behind an `Authorization: Bearer hgw_…` header, or null (missing, malformed, unknown, revoked). */
export async function authenticateGateway(
  db: Tx,
  authorizationHeader: string | null | undefined,
  now = new Date(),
): Promise<{ gatewayId: string; credentialId: string } | null> {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorizationHeader ?? "");
  const token = match && TOKEN.exec(match[1]!);
  if (!token) return null;
  const [, prefix, secret] = token;
  const [row] = await db
    .select({
      id: gatewayCredentials.id,
      gatewayId: gatewayCredentials.gatewayId,
      secretHash: gatewayCredentials.secretHash,
      revokedAt: gatewayCredentials.revokedAt,
      lastUsedAt: gatewayCredentials.lastUsedAt,
    })
    .from(gatewayCredentials)
    .where(eq(gatewayCredentials.tokenPrefix, prefix!));
  if (!row || row.revokedAt) return null;
  const expected = Buffer.from(row.secretHash, "hex");
  const actual = Buffer.from(sha256Hex(secret!), "hex");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;

  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    // Conditional, so concurrent requests of one gateway write once.
    await db
      .update(gatewayCredentials)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(gatewayCredentials.id, row.id),
          or(isNull(gatewayCredentials.lastUsedAt), lt(gatewayCredentials.lastUsedAt, staleBefore)),
        ),
      );
  }
  return { gatewayId: row.gatewayId, credentialId: row.id };
}
