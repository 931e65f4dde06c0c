import { describe, expect, it } from "vitest";
import { organizationIdByName, useTestDb } from "@/server/test/db";
import { accountOverview } from "./account";

const db = useTestDb();

describe("account", () => {
  it("shows the organization and only its members, without their password hashes", async () => {
    const organizationId = await organizationIdByName(db, "Lumen Animation Studio");
    const { organization, members } = await accountOverview(db, { organizationId });
    expect(organization).toMatchObject({ id: organizationId, name: "Lumen Animation Studio" });
    expect(members.map((m) => m.email)).toContain("customer@hearth.test");
    expect(members.map((m) => m.email)).not.toContain("customer2@hearth.test");
    expect(JSON.stringify(members)).not.toMatch(/password/i);
  });

  it("finds no unknown organization", async () => {
    await expect(accountOverview(db, { organizationId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({
      kind: "not-found",
      what: "Organization",
    });
  });
});
