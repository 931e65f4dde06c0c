import { describe, expect, it } from "vitest";
import { formatEuros } from "@/server/domain/refund-statements";
import type { Statement } from "./refund-statements";
import { pdfText } from "./pdf-document";
import { renderStatementPdf } from "./statement-pdf";
import { readPdfText } from "@/server/test/pdf-text";

const WHOLE_IBAN = "FR7630006000011234567890189";

/** A statement as the service answers it: two radiators split at a tariff change, a gateway, an adjustment. */
const statement: Statement = {
  id: "00000000-0000-4000-8000-000000000001",
  month: "2025-02",
  energyWh: 144_500,
  amountCents: 3_379,
  createdAt: new Date("2025-03-03T06:00:00Z"),
  operatorName: "Hearth Operations",
  dwelling: { label: "A-204", buildingName: "Résidence Balard", address: "12 rue Balard", city: "Paris", timeZone: "Europe/Paris" },
  holderName: "Camille Martin",
  ibanMasked: "FR76 •••• •••• •••• 0189",
  lines: [
    [0, "radiator", "QRAD-A1", "Séjour", 1_300_000, 1_350_500, 50_500, 1, 251_600, 1_271, "2025-01-31T23:00:00Z", "2025-02-14T23:00:00Z"],
    [1, "radiator", "QRAD-A1", "Séjour", 1_350_500, 1_390_000, 39_500, 2, 201_600, 796, "2025-02-14T23:00:00Z", "2025-02-28T23:00:00Z"],
    [2, "radiator", "QRAD-A2", "Chambre", 700_000, 751_000, 51_000, 1, 251_600, 1_283, "2025-01-31T23:00:00Z", "2025-02-28T23:00:00Z"],
    [3, "gateway", "GW-A", null, 10_000, 12_000, 2_000, 1, 251_600, 50, "2025-01-31T23:00:00Z", "2025-02-28T23:00:00Z"],
    [4, "adjustment", "QRAD-A1", "Séjour", null, null, 1_500, 1, 251_600, 38, "2024-12-31T23:00:00Z", "2025-01-31T23:00:00Z"],
  ].map(([position, kind, deviceSerial, roomName, meterStartWh, meterEndWh, energyWh, tariffVersionId, price, amountCents, start, end]) => ({
    position: position as number,
    kind: kind as "radiator" | "gateway" | "adjustment",
    deviceSerial: deviceSerial as string,
    roomName: roomName as string | null,
    energyMonth: kind === "adjustment" ? "2025-01-01" : "2025-02-01",
    periodStart: new Date(start as string),
    periodEnd: new Date(end as string),
    meterStartWh: meterStartWh as number | null,
    meterEndWh: meterEndWh as number | null,
    energyWh: energyWh as number,
    tariffVersionId: tariffVersionId as number,
    priceMicroEurosPerKWh: price as number,
    amountCents: amountCents as number,
  })),
  tariffs: [
    { id: 1, label: "Tarif Bleu Base 6 kVA", effectiveFrom: "2024-02-01", priceMicroEurosPerKWh: 251_600, source: "CRE, tarif réglementé de vente (TRVE)" },
    { id: 2, label: "Tarif Bleu Base 6 kVA", effectiveFrom: "2025-02-15", priceMicroEurosPerKWh: 201_600, source: "CRE, tarif réglementé de vente (TRVE)" },
  ],
  payment: { paidOn: "2025-03-07", amountCents: 3_379, reference: "VIR-2025-02-0042" },
  comparison: { homeWhPerM2: 2_890, buildingWhPerM2: 3_120, dwellings: 12, minimumDwellings: 5 },
};

const textOf = async (pdf: Buffer) => (await readPdfText(pdf)).text;

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("renderStatementPdf", () => {
  it("writes a PDF whose text holds the amount in French, the masked IBAN and never a whole one", async () => {
    const pdf = await renderStatementPdf(statement, "fr");
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = await textOf(pdf);
    expect(text).toContain(plain(formatEuros(3_379, "fr"))); // 33,79 €
    expect(text).toContain("FR76 •••• •••• •••• 0189");
    expect(text).toContain("Camille Martin");
    expect(text).toContain("Relevé de remboursement d’électricité");
    expect(text).toContain("février 2025");
    expect(text).toContain("15 février 2025"); // the second tariff's effective date
    expect(text).toContain("VIR-2025-02-0042");
    expect(text).toContain("Séjour");
    expect(text).toContain("Régularisation de janvier 2025");
    expect(text.replace(/\s/g, "")).not.toContain(WHOLE_IBAN);
    expect(text.replace(/\s/g, "")).not.toMatch(/[A-Z]{2}\d{2}[A-Z0-9]{11,30}/);
  });

  it("speaks English for an English reader", async () => {
    const text = await textOf(await renderStatementPdf(statement, "en"));
    expect(text).toContain("€33.79");
    expect(text).toContain("Electricity refund statement");
    expect(text).toContain("February 2025");
    expect(text).toContain("Building average (12 flats)");
  });

  it("shows no building average below five dwellings, and a due payment", async () => {
    const text = await textOf(
      await renderStatementPdf({ ...statement, payment: null, comparison: { homeWhPerM2: 2_890, buildingWhPerM2: null, dwellings: 3, minimumDwellings: 5 } }, "en"),
    );
    expect(text).toContain("Not paid yet");
    expect(text).toContain("Building average shown from 5 flats");
    expect(text).not.toContain("3.1 kWh/m²");
  });
});

describe("pdfText", () => {
  it("keeps what the standard fonts can write and replaces the rest", () => {
    expect(pdfText("1\u202f234,56\u00a0€ – •••• ’")).toBe("1\u00a0234,56\u00a0€ – •••• ’");
    expect(pdfText("Ζ 東")).toBe("? ?");
  });
});
