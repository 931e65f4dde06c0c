import { describe, expect, it } from "vitest";
import { checkEnrolment, maskIban, normalizeBic, normalizeIban, validateBic, validateDeliveryPoint, validateIban } from "./iban";

const DEMO_IBAN = "FR7630006000011234567890189";

describe("IBANs", () => {
  it("normalizes what residents type: spaces, dashes, lower case", () => {
    expect(normalizeIban(" fr76 3000-6000 0112 3456 7890 189 ")).toBe(DEMO_IBAN);
    expect(normalizeIban("")).toBe("");
  });

  it("accepts a valid IBAN of France and of another country", () => {
    expect(validateIban(DEMO_IBAN)).toBeNull();
    expect(validateIban("DE89370400440532013000")).toBeNull();
  });

  it("refuses a bad checksum, a wrong length, an unknown country and nothing, naming the field", () => {
    expect(validateIban("FR7630006000011234567890188")).toEqual({ field: "iban", message: expect.stringMatching(/check digits/) });
    expect(validateIban("FR76300060000112345678901")).toEqual({ field: "iban", message: expect.stringMatching(/length/) });
    expect(validateIban("XX7630006000011234567890189")).toEqual({ field: "iban", message: expect.stringMatching(/country/) });
    expect(validateIban("")?.field).toBe("iban");
  });

  it("masks as country and check digits, three groups of dots and the last four, whatever the length", () => {
    expect(maskIban(DEMO_IBAN)).toBe("FR76 •••• •••• •••• 0189");
    expect(maskIban("de89 3704 0044 0532 0130 00")).toBe("DE89 •••• •••• •••• 3000");
    expect(maskIban(DEMO_IBAN)).not.toContain("30006");
  });
});

describe("BICs", () => {
  it("are optional, of 8 or 11 characters", () => {
    expect(validateBic("")).toBeNull();
    expect(validateBic(normalizeBic("bnpa fr pp"))).toBeNull();
    expect(validateBic("BNPAFRPPXXX")).toBeNull();
    expect(validateBic("BNPAFRP")).toEqual({ field: "bic", message: expect.any(String) });
    expect(validateBic("12345678")?.field).toBe("bic");
  });
});

describe("delivery points", () => {
  it("have exactly 14 digits", () => {
    expect(validateDeliveryPoint("12345678901234")).toBeNull();
    expect(validateDeliveryPoint("1234567890123")).toEqual({ field: "deliveryPoint", message: expect.stringMatching(/14 digits/) });
    expect(validateDeliveryPoint("123456789012345")?.field).toBe("deliveryPoint");
    expect(validateDeliveryPoint("1234567890123a")?.field).toBe("deliveryPoint");
  });
});

describe("an enrolment's details", () => {
  const good = { holderName: "  Nadia   Benali ", deliveryPoint: "1234 5678 9012 34", iban: "fr76 3000 6000 0112 3456 7890 189", bic: "", consent: true };

  it("are made canonical", () => {
    expect(checkEnrolment(good)).toEqual({
      details: { holderName: "Nadia Benali", deliveryPoint: "12345678901234", iban: DEMO_IBAN, bic: null },
      refusals: [],
    });
  });

  it("are refused field by field, all at once", () => {
    const { refusals } = checkEnrolment({ holderName: " ", deliveryPoint: "123", iban: "FR7630006000011234567890188", bic: "XX", consent: false });
    expect(refusals.map((r) => r.field)).toEqual(["holderName", "deliveryPoint", "iban", "bic", "consent"]);
    for (const refusal of refusals) expect(refusal.message).not.toContain("7630006");
  });
});
