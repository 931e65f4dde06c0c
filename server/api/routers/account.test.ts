import { describe, expect, it } from "vitest";
import { callerAs, useTestDb } from "@/server/test/db";

/** The account router answers the caller's own organization; what it shows is tested with its service. */
const db = useTestDb();

describe("account router", () => {
  it("answers each customer with their own organization", async () => {
    const first = await (await callerAs(db, "customer@hearth.test")).account.overview();
    const second = await (await callerAs(db, "customer2@hearth.test")).account.overview();
    expect(first.organization.name).toBe("Lumen Animation Studio");
    expect(second.organization.name).toBe("Carmin Risk Analytics");
  });
});
