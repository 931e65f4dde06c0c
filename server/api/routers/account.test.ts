import { describe, expect, it } from "vitest";
import { callerAs, useTestDb } from "@/server/test/db";

const db = useTestDb();

describe("account router", () => {
  it("shows the customer's organization and only its members", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    const { organization, members } = await api.account.overview();
    expect(organization.name).toBe("Lumen Animation Studio");
    expect(members.map((m) => m.email)).toContain("customer@hearth.test");
    expect(members.map((m) => m.email)).not.toContain("customer2@hearth.test");
    expect(JSON.stringify(members)).not.toContain("passwordHash");
  });
});
