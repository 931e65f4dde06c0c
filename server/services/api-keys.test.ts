import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys } from "@/server/db/schema";
import { organizationIdByName, useTestDb, userIdByEmail } from "@/server/test/db";
import { authenticateApiKey, createApiKey, hashApiKey, listApiKeys, revokeApiKey } from "./api-keys";
import { InvalidInputError } from "./errors";

const db = useTestDb();
const now = new Date("2026-01-15T10:00:00Z");

describe("API keys", () => {
  it("creates a key shown once and stored hashed, authenticates it, and revokes it", async () => {
    const lumen = await organizationIdByName(db, "Lumen Animation Studio");
    const carmin = await organizationIdByName(db, "Carmin Risk Analytics");
    const userId = await userIdByEmail(db, "customer@hearth.test");
    const { id, key } = await createApiKey(db, { organizationId: lumen, userId, name: " CI pipeline " });
    expect(key).toMatch(/^hk_[a-z2-7]{40}$/);

    // Only the hash is kept, and nothing stored reveals the key.
    const [stored] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(stored).toMatchObject({ name: "CI pipeline", keyHash: hashApiKey(key), createdByUserId: userId, revokedAt: null });
    expect(JSON.stringify(stored)).not.toContain(key.slice(7, -4));
    const listed = (await listApiKeys(db, { organizationId: lumen })).find((k) => k.id === id);
    expect(listed).toEqual({
      id,
      name: "CI pipeline",
      displayPrefix: `${key.slice(0, 7)}…${key.slice(-4)}`,
      createdAt: expect.any(Date),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect((await listApiKeys(db, { organizationId: carmin })).some((k) => k.id === id)).toBe(false);

    expect(await authenticateApiKey(db, key, now)).toEqual({ organizationId: lumen, userId, apiKeyId: id });
    expect(await authenticateApiKey(db, `${key}x`, now)).toBeNull();
    expect(await authenticateApiKey(db, "", now)).toBeNull();
    // lastUsedAt is written at most once a minute.
    const stampedAt = async () => (await db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, id)))[0]!.at;
    expect(await stampedAt()).toEqual(now);
    await authenticateApiKey(db, key, new Date(now.getTime() + 30_000));
    expect(await stampedAt()).toEqual(now);
    await authenticateApiKey(db, key, new Date(now.getTime() + 61_000));
    expect(await stampedAt()).toEqual(new Date(now.getTime() + 61_000));

    expect(await revokeApiKey(db, { organizationId: carmin, id, now })).toBe(false);
    expect(await authenticateApiKey(db, key, now)).not.toBeNull();
    expect(await revokeApiKey(db, { organizationId: lumen, id, now })).toBe(true);
    expect(await authenticateApiKey(db, key, now)).toBeNull();
    // Revoking again changes nothing.
    expect(await revokeApiKey(db, { organizationId: lumen, id, now: new Date(now.getTime() + 1000) })).toBe(true);
    expect((await listApiKeys(db, { organizationId: lumen })).find((k) => k.id === id)!.revokedAt).toEqual(now);
    await expect(createApiKey(db, { organizationId: lumen, userId, name: "  " })).rejects.toBeInstanceOf(InvalidInputError);
    await db.delete(apiKeys).where(eq(apiKeys.id, id));
  });

  it("knows the demo keys, and only keys of customer organizations", async () => {
    const lumen = await organizationIdByName(db, "Lumen Animation Studio");
    const carmin = await organizationIdByName(db, "Carmin Risk Analytics");
    expect(await authenticateApiKey(db, "hearth-demo-key-customer", now)).toMatchObject({
      organizationId: lumen,
      userId: await userIdByEmail(db, "customer@hearth.test"),
    });
    expect(await authenticateApiKey(db, "hearth-demo-key-customer2", now)).toMatchObject({ organizationId: carmin });

    const operator = await organizationIdByName(db, "Hearth Operations");
    const { id, key } = await createApiKey(db, { organizationId: operator, userId: null, name: "not for staff" });
    expect(await authenticateApiKey(db, key, now)).toBeNull();
    await db.delete(apiKeys).where(eq(apiKeys.id, id));
  });
});
