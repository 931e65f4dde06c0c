/** Fixed demo accounts created by the seed; offered on the sign-in page in demo mode. */
export const DEMO_PASSWORD = "hearth-demo";

export type DemoRole = "customer" | "resident" | "landlord" | "staff";

export const DEMO_ACCOUNTS: ReadonlyArray<{ email: string; role: DemoRole; description: string }> = [
  { email: "customer@hearth.test", role: "customer", description: "Compute customer: Lumen Animation Studio" },
  { email: "customer2@hearth.test", role: "customer", description: "Compute customer: Carmin Risk Analytics" },
  { email: "resident@hearth.test", role: "resident", description: "Resident of a flat in Résidence Balard, Paris" },
  { email: "resident2@hearth.test", role: "resident", description: "Resident of a flat in Résidence des Chartrons, Bordeaux" },
  { email: "landlord@hearth.test", role: "landlord", description: "Landlord: Paris Habitat Ouest" },
  { email: "landlord2@hearth.test", role: "landlord", description: "Landlord: Gironde Logis" },
  { email: "staff@hearth.test", role: "staff", description: "Operator staff: Hearth Operations" },
];
