import { describe, expect, it } from "vitest";
import { callerAs, useTestDb } from "@/server/test/db";

/** The portfolio router's mapping; what a building shows is tested with its service. */
const db = useTestDb();

describe("portfolio router", () => {
  it("refuses a malformed id with BAD_REQUEST and an unknown one with NOT_FOUND", async () => {
    const api = await callerAs(db, "landlord@hearth.test");
    await expect(api.portfolio.building({ buildingId: "not-a-uuid" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.portfolio.building({ buildingId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "Building not found.",
    });
  });
});
