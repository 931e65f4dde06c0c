import { TRPCError } from "@trpc/server";
import { and, eq, inArray, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiKeys,
  buildings,
  creditEntries,
  dwellings,
  emailOutbox,
  gatewayCredentials,
  gateways,
  gridIntensityHourly,
  gridIntensityImports,
  gridIntensityVersions,
  hardwareModels,
  jobs,
  meterAnomalies,
  notifications,
  outdoorTemperatures,
  organizationBudgets,
  organizations,
  radiators,
  rateCardVersions,
  refundCloses,
  refundEnrolments,
  refundPayments,
  refundStatements,
  residents,
  rooms,
  sites,
  tariffVersions,
  taskCharges,
  tasks,
  users,
} from "@/server/db/schema";
import { issueGatewayCredential } from "@/server/services/gateway-credentials";
import { createApiKey } from "@/server/services/api-keys";
import { createJob, createTask } from "@/server/services/tasks";
import { callerAs, useTestDb, userIdByEmail } from "@/server/test/db";
import { RefundFixtures, residentStatements, TEST_HOLDER } from "@/server/test/statement-fixtures";
import type { Role } from "@/server/auth/roles";
import { appRouter } from "./root";
import type { Meta } from "./trpc";

/**
 * Walks every procedure of the router with every role, and with a second tenant of the owning
 * role. A new procedure fails this suite until it is given an input below, so none escapes it.
 */
const db = useTestDb();
const refunds = new RefundFixtures(db);

type Fixtures = {
  roomOfResident: string;
  buildingOfLandlord: string;
  siteOfLandlord: string;
  gatewayOfResident: string;
  hardwareModelId: string;
  credentialId: string;
  organizationOfCustomer: string;
  taskOfCustomer: string;
  jobOfCustomer: string;
  apiKeyOfCustomer: string;
  meterAnomalyOfResident: number;
  statementOfResident: string;
};

/** A month no other suite closes, with the resident's home closed in it (a fixture statement); no tariff covers it. */
const AUTHZ_MONTH = "2000-01-01";
/** A month of the customer's charges no other suite writes: a fixture charge of its task in it. */
const AUTHZ_INVOICE_MONTH = "2001-03";

const uniqueSerial = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

/** Input for each procedure, built from the first tenant's data; `undefined` for no input. */
const inputs: Record<string, (f: Fixtures) => unknown> = {
  "account.overview": () => undefined,
  "home.overview": () => undefined,
  "home.room": (f) => ({ roomId: f.roomOfResident }),
  "home.comparison": () => ({ month: "2026-01" }),
  "heating.home": () => undefined,
  "heating.room": (f) => ({ roomId: f.roomOfResident }),
  "heating.setTarget": (f) => ({ roomId: f.roomOfResident, targetC: 20.5 }),
  "heating.setOverride": (f) => ({ roomId: f.roomOfResident, targetC: 21, hours: 2 }),
  "heating.cancelOverride": (f) => ({ roomId: f.roomOfResident }),
  "heating.setMode": (f) => ({ roomId: f.roomOfResident, mode: "programme" }),
  "heating.boost": (f) => ({ roomId: f.roomOfResident, minutes: 30 }),
  "heating.setTemperatures": (f) => ({ roomId: f.roomOfResident, comfortC: 20, ecoC: 17 }),
  "heating.setProgramme": (f) => ({ roomId: f.roomOfResident, blocks: [{ day: 0, startMinute: 420, endMinute: 540, targetC: 20 }] }),
  "history.room": (f) => ({ roomId: f.roomOfResident, range: "week", anchor: "2026-01-14" }),
  "enrolment.mine": () => undefined,
  "enrolment.save": () => ({ holderName: "AUTHZ holder", deliveryPoint: "12345678901234", iban: "DE89370400440532013000", consent: true }),
  "history.importOutdoor": (f) => ({
    siteId: f.siteOfLandlord,
    csv: "NUM_POSTE;NOM_USUEL;LAT;LON;ALTI;AAAAMMJJHH;T\nAUTHZ001;AUTHZ;48.8;2.3;35;2026011412;6,5\n",
  }),
  "statements.list": () => undefined,
  "statements.get": () => ({ month: "2024-12" }),
  "portfolio.buildings": () => undefined,
  "portfolio.building": (f) => ({ buildingId: f.buildingOfLandlord }),
  "fleet.totals": () => undefined,
  "fleet.sites": () => undefined,
  "fleet.hardwareModels": () => undefined,
  "fleet.buildingOptions": () => undefined,
  "fleet.gateways": () => ({ pageSize: 200 }),
  "fleet.gateway": (f) => ({ gatewayId: f.gatewayOfResident }),
  "fleet.meterAnomalies": (f) => ({ gatewayId: f.gatewayOfResident }),
  "fleet.registerGateway": (f) => ({ buildingId: f.buildingOfLandlord, serial: uniqueSerial("GW-AUTHZ"), firmwareVersion: "2.4.1" }),
  "fleet.registerRadiator": (f) => ({
    gatewayId: f.gatewayOfResident,
    roomId: f.roomOfResident,
    hardwareModelId: f.hardwareModelId,
    serial: uniqueSerial("QRAD-AUTHZ"),
    installedOn: "2026-01-01",
  }),
  "fleet.issueCredential": (f) => ({ gatewayId: f.gatewayOfResident }),
  "fleet.revokeCredential": (f) => ({ credentialId: f.credentialId }),
  "compute.profiles": () => undefined,
  "compute.submitTask": () => ({ profile: "monte-carlo", name: "AUTHZ submitted", instanceCount: 1 }),
  "compute.tasks": () => ({ page: 1, pageSize: 10 }),
  "compute.taskCounts": () => undefined,
  "compute.task": (f) => ({ taskId: f.taskOfCustomer }),
  "compute.instances": (f) => ({ taskId: f.taskOfCustomer }),
  "compute.instanceGrid": (f) => ({ taskId: f.taskOfCustomer }),
  "compute.logs": (f) => ({ taskId: f.taskOfCustomer }),
  "compute.outputs": (f) => ({ taskId: f.taskOfCustomer }),
  "compute.result": (f) => ({ taskId: f.taskOfCustomer }),
  "compute.cancelTask": (f) => ({ taskId: f.taskOfCustomer }),
  "compute.cancelInstances": (f) => ({ taskId: f.taskOfCustomer, instanceNumbers: [0] }),
  "compute.rerunFailed": (f) => ({ taskId: f.taskOfCustomer }),
  "compute.jobs": () => ({ page: 1, pageSize: 10 }),
  "compute.job": (f) => ({ jobId: f.jobOfCustomer }),
  "carbon.task": (f) => ({ taskId: f.taskOfCustomer }),
  "carbon.job": (f) => ({ jobId: f.jobOfCustomer }),
  "carbon.annualGridIntensities": () => undefined,
  "carbon.months": () => undefined,
  "carbon.month": () => ({ month: "2026-01" }),
  "compute.createJob": () => ({ name: "AUTHZ job" }),
  "compute.notifications": () => ({}),
  "compute.markNotificationsRead": () => ({}),
  "compute.apiKeys": () => undefined,
  "compute.createApiKey": () => ({ name: "AUTHZ key" }),
  "compute.revokeApiKey": (f) => ({ id: f.apiKeyOfCustomer }),
  "refunds.tariffs": () => undefined,
  "refunds.addTariff": () => ({ country: "ZZ", option: "authz", label: "AUTHZ tariff", effectiveFrom: "2030-01-01", priceMicroEurosPerKWh: 200_000, source: "AUTHZ" }),
  "refunds.months": () => undefined,
  "refunds.preview": () => ({ month: AUTHZ_MONTH }),
  "refunds.runClose": () => ({ month: AUTHZ_MONTH }),
  "refunds.statements": () => ({ month: AUTHZ_MONTH }),
  "refunds.markPaid": (f) => ({ statementIds: [f.statementOfResident], reference: "AUTHZ-1", paidOn: "2000-02-05" }),
  "gridIntensity.versions": () => undefined,
  "gridIntensity.addVersion": () => ({ country: "ZZ", effectiveFrom: "2030-01-01", intensityMgPerKWh: 50_000, source: "AUTHZ" }),
  "gridIntensity.imports": () => ({}),
  "gridIntensity.importHourly": () => ({ country: "ZZ", source: "AUTHZ", fileName: "authz.csv", csv: "hour_start,intensity_g_per_kwh\n2000-01-01T00:00:00Z,50\n" }),
  "billing.overview": () => undefined,
  "billing.estimate": () => ({ profile: "monte-carlo", instanceCount: 10, schedulingType: "Flex" }),
  "billing.invoices": () => undefined,
  "billing.invoice": () => ({ month: AUTHZ_INVOICE_MONTH }),
  "billing.rateCard": () => undefined,
  "billing.addRate": () => ({ schedulingType: "Flex", rateCentsPerCoreHour: 30, effectiveFrom: "2099-01-01T00:00:00Z", label: "AUTHZ rate" }),
  "billing.accounts": () => undefined,
  "billing.credits": (f) => ({ organizationId: f.organizationOfCustomer }),
  "billing.setBudget": (f) => ({ organizationId: f.organizationOfCustomer, budget: { monthlyBudgetCents: 100_000_000, policy: "alert" } }),
  "billing.grantCredits": (f) => ({ organizationId: f.organizationOfCustomer, amountCents: 100, note: "AUTHZ grant" }),
};

/** A list that holds a row with these fields. */
const listing = (fields: Record<string, unknown>) => expect.arrayContaining([expect.objectContaining(fields)]);
const positive = expect.toSatisfy((n: number) => n > 0, "more than zero");

/**
 * What each procedure answers the first tenant, so that "answers" means "answers with that
 * tenant's data", not merely "does not throw": one of the tenant's records from the fixtures, or,
 * for answers that name none (a count, a flag, a record just made), what the fixtures imply.
 * Staff are one tenant, the operator: their data is the whole fleet.
 */
const answers: Record<string, (f: Fixtures) => unknown> = {
  "account.overview": (f) => ({ organization: { id: f.organizationOfCustomer }, members: listing({ email: accounts.customer[0] }) }),
  "home.overview": (f) => ({ rooms: listing({ id: f.roomOfResident }) }),
  "home.room": (f) => ({ id: f.roomOfResident }),
  // Names nothing of the home; the site's zone and the privacy floor are the resident's.
  "home.comparison": () => ({ month: "2026-01", timeZone: "Europe/Paris", minimumDwellings: 5 }),
  "heating.home": (f) => ({ rooms: listing({ id: f.roomOfResident }) }),
  "heating.room": (f) => ({ id: f.roomOfResident }),
  "heating.setTarget": (f) => ({ id: f.roomOfResident, changes: listing({ actor: "resident", kind: "target" }) }),
  "heating.setOverride": (f) => ({ id: f.roomOfResident, override: { targetC: 21, until: expect.any(Date) } }),
  "heating.cancelOverride": (f) => ({ id: f.roomOfResident, override: null }),
  "heating.setMode": (f) => ({ id: f.roomOfResident, mode: "programme" }),
  "heating.boost": (f) => ({ id: f.roomOfResident, mode: "boost", target: { targetC: 28, source: "boost", until: expect.any(Date) } }),
  "heating.setTemperatures": (f) => ({ id: f.roomOfResident, comfortC: 20, ecoC: 17 }),
  "heating.setProgramme": (f) => ({ id: f.roomOfResident, programme: [{ day: 0, startMinute: 420, endMinute: 540, targetC: 20 }] }),
  "history.room": (f) => ({ roomId: f.roomOfResident, startDate: "2026-01-12", points: expect.toSatisfy((p: unknown[]) => p.length === 168, "168 hours") }),
  "history.importOutdoor": () => ({ station: "AUTHZ001", refused: [] }),
  "enrolment.mine": () => ({ enrolled: true, current: { holderName: "Nadia Benali", ibanMasked: "FR76 •••• •••• •••• 0189" } }),
  "enrolment.save": () => ({ enrolled: true, current: { holderName: "AUTHZ holder", ibanMasked: "DE89 •••• •••• •••• 3000" } }),
  "statements.list": () => ({ statements: listing({ month: "2024-12" }) }),
  "statements.get": () => ({ month: "2024-12", holderName: TEST_HOLDER }),
  "portfolio.buildings": (f) => listing({ id: f.buildingOfLandlord }),
  "portfolio.building": (f) => ({ building: { id: f.buildingOfLandlord } }),
  "fleet.totals": () => ({ buildings: positive, gateways: positive, radiators: positive }),
  "fleet.sites": (f) => listing({ id: f.siteOfLandlord }),
  "fleet.hardwareModels": (f) => listing({ id: f.hardwareModelId }),
  "fleet.buildingOptions": (f) => listing({ id: f.buildingOfLandlord }),
  "fleet.gateways": (f) => ({ rows: listing({ id: f.gatewayOfResident }) }),
  "fleet.gateway": (f) => ({ gateway: { id: f.gatewayOfResident }, roomOptions: listing({ id: f.roomOfResident }) }),
  "fleet.meterAnomalies": (f) => ({ rows: listing({ id: f.meterAnomalyOfResident }), total: positive }),
  "fleet.registerGateway": () => ({ id: expect.any(String), serial: expect.stringMatching(/^GW-AUTHZ-/) }),
  "fleet.registerRadiator": () => ({ id: expect.any(String), serial: expect.stringMatching(/^QRAD-AUTHZ-/) }),
  "fleet.issueCredential": () => ({ token: expect.stringMatching(/^hgw_/), credentialId: expect.any(String) }),
  "fleet.revokeCredential": () => ({ revoked: true }),
  "compute.profiles": () => listing({ name: "monte-carlo" }),
  "compute.submitTask": () => ({ id: expect.any(String) }),
  "compute.tasks": (f) => ({ tasks: listing({ id: f.taskOfCustomer }) }),
  "compute.taskCounts": () => expect.toSatisfy((counts: Record<string, number>) => Object.values(counts).some((n) => n > 0), "some task"),
  "compute.task": (f) => ({ id: f.taskOfCustomer, name: "AUTHZ fixture" }),
  "compute.instances": () => ({ total: 2 }),
  "compute.instanceGrid": () => ({ changed: true, total: 2, numbers: "0-1" }),
  // The fixture task never ran: no logs, no outputs, nothing to consolidate, no failures to rerun.
  "compute.logs": () => ({ chunks: [], more: false }),
  "compute.outputs": () => ({ outputs: [], total: 0 }),
  "compute.result": () => ({ kind: "none" }),
  "compute.cancelTask": () => ({ cancelled: true }),
  // How many depends on whether cancelTask came first; the second customer's NOT_FOUND is the point.
  "compute.cancelInstances": () => expect.any(Number),
  "compute.rerunFailed": () => 0,
  "compute.jobs": (f) => ({ jobs: listing({ id: f.jobOfCustomer }) }),
  "compute.job": (f) => ({ id: f.jobOfCustomer }),
  "carbon.task": () => ({ methodologyVersion: "hearth-carbon-2" }),
  "carbon.job": () => ({ methodologyVersion: "hearth-carbon-2" }),
  "carbon.annualGridIntensities": () => expect.arrayContaining([expect.objectContaining({ country: "FR" })]),
  "carbon.months": () => ({ timeZone: "Europe/Paris", months: expect.toSatisfy((m: unknown[]) => m.length === 12, "twelve months") }),
  "carbon.month": () => ({ month: "2026-01", organizationName: markers.customer[1], tasks: expect.any(Array) }),
  "compute.createJob": (f) => ({ organizationId: f.organizationOfCustomer, name: "AUTHZ job" }),
  "compute.notifications": (f) => ({ items: listing({ taskId: f.taskOfCustomer }) }),
  "compute.markNotificationsRead": () => ({ marked: positive }),
  "compute.apiKeys": (f) => listing({ id: f.apiKeyOfCustomer }),
  "compute.createApiKey": () => ({ id: expect.any(String), key: expect.stringMatching(/^hk_/) }),
  "compute.revokeApiKey": () => ({ revoked: true }),
  "refunds.tariffs": () => listing({ country: "FR", option: "base-6kva", priceMicroEurosPerKWh: 194_000 }),
  "refunds.addTariff": () => ({ id: expect.any(Number) }),
  "refunds.months": () => listing({ month: AUTHZ_MONTH, statements: 1 }),
  "refunds.preview": () => ({ month: AUTHZ_MONTH, alreadyClosed: 1 }),
  "refunds.runClose": () => ({ closeId: expect.any(Number), statementsAlreadyClosed: 1 }),
  "refunds.statements": (f) => listing({ id: f.statementOfResident, ibanMasked: "FR76 •••• •••• •••• 0189" }),
  "refunds.markPaid": () => ({ paid: 1, alreadyPaid: 0 }),
  "gridIntensity.versions": () => listing({ country: "FR", intensityMgPerKWh: 21_700 }),
  "gridIntensity.addVersion": () => ({ id: expect.any(Number) }),
  "gridIntensity.imports": () => ({ total: expect.any(Number), rows: expect.any(Array) }),
  "gridIntensity.importHourly": () => ({ hours: 1, replaced: 0, firstHourStart: new Date("2000-01-01T00:00:00Z") }),
  // Names nothing of the account but its figures; today's Flex rate is the rate card's.
  "billing.overview": () => ({ rates: expect.objectContaining({ Flex: 25 }), creditBalanceCents: expect.any(Number) }),
  // Ten monte-carlo instances of 2 core-minutes at 25 c per core-hour: 8.33 c, rounded once: 8 c.
  "billing.estimate": () => ({ estimateCents: 8, rateCentsPerCoreHour: 25 }),
  "billing.invoices": () => listing({ month: AUTHZ_INVOICE_MONTH, totalCents: 1234, paidFromCreditsCents: 0, dueCents: 1234 }),
  "billing.invoice": (f) => ({
    month: AUTHZ_INVOICE_MONTH,
    lines: [expect.objectContaining({ taskId: f.taskOfCustomer, amountCents: 1234 })],
    totalCents: 1234,
    paidFromCreditsCents: 0,
    dueCents: 1234,
  }),
  "billing.rateCard": () => listing({ schedulingType: "Flex", rateCentsPerCoreHour: 25 }),
  "billing.addRate": () => ({ id: expect.any(Number) }),
  "billing.accounts": (f) => listing({ id: f.organizationOfCustomer }),
  "billing.credits": () => expect.any(Array),
  "billing.setBudget": () => ({ monthlyBudgetCents: 100_000_000, policy: "alert" }),
  "billing.grantCredits": () => ({ id: expect.any(Number) }),
};

/**
 * Procedures whose input names no record of the first tenant (lists, creations): a second tenant
 * gets an answer about its own data, checked for leaks like procedures without input.
 */
const unscoped = new Set([
  "home.comparison",
  "enrolment.save",
  "compute.submitTask",
  "compute.tasks",
  "compute.jobs",
  "compute.createJob",
  "compute.notifications",
  "compute.markNotificationsRead",
  "compute.createApiKey",
  "billing.estimate",
  "carbon.month",
]);

/** First and second tenant of each role. Staff all belong to the operator: one tenant. */
const accounts: Record<Role, string[]> = {
  customer: ["customer@hearth.test", "customer2@hearth.test"],
  resident: ["resident@hearth.test", "resident2@hearth.test"],
  landlord: ["landlord@hearth.test", "landlord2@hearth.test"],
  staff: ["staff@hearth.test"],
};

let fixtures: Fixtures;
/** Strings that only the first tenant of each role may ever see. */
const markers: Record<Role, string[]> = { customer: [], resident: [], landlord: [], staff: [] };

async function organizationOf(email: string) {
  const [row] = await db
    .select({ id: organizations.id, name: organizations.name })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(users.email, email));
  return row!;
}

beforeAll(async () => {
  const [link] = await db
    .select({ dwellingId: residents.dwellingId, label: dwellings.label })
    .from(residents)
    .innerJoin(dwellings, eq(dwellings.id, residents.dwellingId))
    .where(eq(residents.userId, await userIdByEmail(db, accounts.resident[0]!)));
  const roomRows = await db.select({ id: rooms.id }).from(rooms).where(eq(rooms.dwellingId, link!.dwellingId));
  const enrolmentRows = await db.select({ deliveryPoint: refundEnrolments.deliveryPoint }).from(refundEnrolments).where(eq(refundEnrolments.dwellingId, link!.dwellingId));
  markers.resident = [link!.dwellingId, `"${link!.label}"`, ...roomRows.map((r) => r.id), "Nadia Benali", ...enrolmentRows.map((r) => r.deliveryPoint)];

  const landlordOrg = await organizationOf(accounts.landlord[0]!);
  const buildingRows = await db
    .select({ id: buildings.id, siteId: sites.id, siteName: sites.name })
    .from(buildings)
    .innerJoin(sites, eq(sites.id, buildings.siteId))
    .where(eq(sites.organizationId, landlordOrg.id));
  markers.landlord = [landlordOrg.name, ...buildingRows.flatMap((b) => [b.id, b.siteName])];

  const customerOrg = await organizationOf(accounts.customer[0]!);
  const memberRows = await db.select({ email: users.email }).from(users).where(eq(users.organizationId, customerOrg.id));
  markers.customer = [customerOrg.id, customerOrg.name, ...memberRows.map((m) => m.email)];

  await residentStatements(refunds, link!.dwellingId);
  const [gateway] = await db.select({ id: gateways.id }).from(gateways).where(eq(gateways.dwellingId, link!.dwellingId));
  const [model] = await db.select({ id: hardwareModels.id }).from(hardwareModels).limit(1);
  const credential = await issueGatewayCredential(db, { gatewayId: gateway!.id, createdByUserId: null });
  const [radiatorOfResident] = await db.select({ id: radiators.id }).from(radiators).where(eq(radiators.gatewayId, gateway!.id)).limit(1);
  const [anomaly] = await db
    .insert(meterAnomalies)
    .values({
      radiatorId: radiatorOfResident!.id,
      periodStart: new Date("2026-01-15T09:00:00Z"),
      periodEnd: new Date("2026-01-15T09:00:10Z"),
      counterBeforeWh: 250_000,
      counterAfterWh: 350_000,
      deltaWh: 100_000,
      maxPlausibleWh: 4,
      maxPowerW: 500,
      reason: "exceeds_hardware_power",
      detectedAt: new Date("2026-01-15T10:00:00Z"),
    })
    .returning({ id: meterAnomalies.id });
  const [enrolment] = await db
    .insert(refundEnrolments)
    .values({
      dwellingId: link!.dwellingId,
      holderName: "AUTHZ holder",
      deliveryPoint: "12345678901234",
      ibanEncrypted: "sealed:authz",
      ibanMasked: "FR76 •••• •••• •••• 0189",
      consentAt: new Date("1999-12-31T23:00:00Z"),
      createdAt: new Date("1999-12-31T23:00:00Z"),
    })
    .returning({ id: refundEnrolments.id });
  const [close] = await db.insert(refundCloses).values({ month: AUTHZ_MONTH, statementsWritten: 1 }).returning({ id: refundCloses.id });
  const [statement] = await db
    .insert(refundStatements)
    .values({ dwellingId: link!.dwellingId, month: AUTHZ_MONTH, closeId: close!.id, enrolmentId: enrolment!.id, energyWh: 0, amountCents: 0, createdAt: new Date() })
    .returning({ id: refundStatements.id });
  const task = await createTask(db, { organizationId: customerOrg.id, profileName: "monte-carlo", name: "AUTHZ fixture", instanceCount: 2 });
  const apiKey = await createApiKey(db, { organizationId: customerOrg.id, userId: null, name: "AUTHZ fixture" });
  const [flexRate] = await db.select({ id: rateCardVersions.id }).from(rateCardVersions).where(eq(rateCardVersions.schedulingType, "Flex")).limit(1);
  await db.insert(taskCharges).values({
    organizationId: customerOrg.id,
    taskId: task.id,
    taskName: "AUTHZ fixture",
    attemptId: -1,
    instanceNumber: 0,
    schedulingType: "Flex",
    coreSeconds: 2_961_600,
    billedMinutes: 49_360,
    rateVersionId: flexRate!.id,
    rateCentsPerCoreHour: 15,
    amountCents: 1234,
    chargedAt: new Date("2001-03-10T12:00:00Z"),
  });
  const job = await createJob(db, { organizationId: customerOrg.id, name: "AUTHZ fixture job" });
  await db.insert(notifications).values({
    organizationId: customerOrg.id,
    taskId: task.id,
    kind: "task_succeeded",
    title: 'Task "AUTHZ fixture" succeeded',
    body: "2 of 2 instances succeeded.",
  });
  fixtures = {
    roomOfResident: roomRows[0]!.id,
    buildingOfLandlord: buildingRows[0]!.id,
    siteOfLandlord: buildingRows[0]!.siteId,
    gatewayOfResident: gateway!.id,
    hardwareModelId: model!.id,
    credentialId: credential.credentialId,
    organizationOfCustomer: customerOrg.id,
    taskOfCustomer: task.id,
    jobOfCustomer: job.id,
    apiKeyOfCustomer: apiKey.id,
    meterAnomalyOfResident: anomaly!.id,
    statementOfResident: statement!.id,
  };
  // The first customer's own records, so that a list leaking them to the second is caught.
  markers.customer.push(task.id, "AUTHZ fixture", apiKey.id, job.id);
  // The second tenants must exist and differ, or the cross-tenant checks prove nothing.
  const second = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.email, [accounts.customer[1]!, accounts.landlord[1]!, accounts.resident[1]!])));
  expect(second).toHaveLength(3);
});

// Leave the seeded fleet as it was for the other suites.
afterAll(async () => {
  await refunds.cleanup();
  await db.delete(radiators).where(like(radiators.serial, "QRAD-AUTHZ-%"));
  await db.delete(gateways).where(like(gateways.serial, "GW-AUTHZ-%"));
  await db.delete(gatewayCredentials).where(eq(gatewayCredentials.gatewayId, fixtures.gatewayOfResident));
  await db.delete(meterAnomalies).where(eq(meterAnomalies.id, fixtures.meterAnomalyOfResident));
  await db.delete(tasks).where(like(tasks.name, "AUTHZ %"));
  await db.delete(jobs).where(like(jobs.name, "AUTHZ %"));
  await db.delete(apiKeys).where(like(apiKeys.name, "AUTHZ %"));
  await db.delete(taskCharges).where(eq(taskCharges.attemptId, -1));
  await db.delete(rateCardVersions).where(eq(rateCardVersions.label, "AUTHZ rate"));
  await db.delete(creditEntries).where(eq(creditEntries.note, "AUTHZ grant"));
  await db.delete(organizationBudgets).where(eq(organizationBudgets.organizationId, fixtures.organizationOfCustomer));
  await db.delete(emailOutbox).where(like(emailOutbox.subject, '%"AUTHZ %'));
  await db.delete(outdoorTemperatures).where(eq(outdoorTemperatures.source, "meteo-france:AUTHZ001"));
  await db.delete(refundPayments).where(eq(refundPayments.statementId, fixtures.statementOfResident));
  await db.delete(refundStatements).where(eq(refundStatements.id, fixtures.statementOfResident));
  await db.delete(refundCloses).where(eq(refundCloses.month, AUTHZ_MONTH));
  await db.delete(refundEnrolments).where(eq(refundEnrolments.holderName, "AUTHZ holder"));
  await db.delete(tariffVersions).where(eq(tariffVersions.source, "AUTHZ"));
  await db.delete(gridIntensityHourly).where(eq(gridIntensityHourly.country, "ZZ"));
  await db.delete(gridIntensityImports).where(eq(gridIntensityImports.country, "ZZ"));
  await db.delete(gridIntensityVersions).where(eq(gridIntensityVersions.source, "AUTHZ"));
});

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>);

async function call(email: string | null, path: string) {
  const caller = await callerAs(db, email);
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  return (fn as (input: unknown) => Promise<unknown>)(inputs[path]!(fixtures));
}

async function errorCode(promise: Promise<unknown>) {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("authorization of every procedure", () => {
  it("finds the procedures", () => {
    expect(procedures.length).toBeGreaterThanOrEqual(Object.keys(inputs).length);
  });

  for (const [path, procedure] of procedures) {
    const audience = procedure._def.meta?.audience;

    describe(path, () => {
      it("declares its audience and has an input and an answer for this suite", () => {
        expect(audience, `${path} must be built from a role procedure`).toBeDefined();
        expect(inputs[path], `add ${path} to the inputs of authorization.test.ts`).toBeDefined();
        expect(answers[path], `add ${path} to the answers of authorization.test.ts`).toBeDefined();
      });

      it("refuses anonymous callers", async () => {
        if (audience === "public") return;
        expect(await errorCode(call(null, path))).toBe("UNAUTHORIZED");
      });

      for (const role of Object.keys(accounts) as Role[]) {
        const [first, second] = accounts[role];
        if (audience !== role && audience !== "any" && audience !== "public") {
          it(`refuses ${role} accounts`, async () => {
            expect(await errorCode(call(first!, path))).toBe("FORBIDDEN");
          });
          continue;
        }
        it(`answers ${role} (first tenant) with its data`, async () => {
          // Wrapped, so that answers that are bare numbers match like the others.
          expect({ answer: await call(first!, path) }).toMatchObject({ answer: answers[path]!(fixtures) });
        });
        if (!second) continue;
        it(`leaks nothing of the first ${role} to a second ${role}`, async () => {
          const scopedById = inputs[path]!(fixtures) !== undefined && !unscoped.has(path);
          if (scopedById) {
            expect(await errorCode(call(second, path))).toBe("NOT_FOUND");
            return;
          }
          const output = JSON.stringify(await call(second, path));
          for (const marker of markers[role]) expect(output).not.toContain(marker);
        });
      }
    });
  }
});
