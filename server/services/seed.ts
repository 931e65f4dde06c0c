/**
 * Deterministic demo seed: the organizations, demo accounts and fleet of the Hearth demo.
 *
 * Everything is inserted in one transaction with batched multi-row inserts. Variety (room
 * areas, installation dates) comes from a seeded PRNG, so two runs produce the same data
 * apart from the uuids and timestamps the database generates.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import {
  apiKeys,
  buildings,
  dwellings,
  gateways,
  hardwareModels,
  organizations,
  radiators,
  refundEnrolments,
  residents,
  roomHeating,
  rooms,
  sites,
  users,
} from "../db/schema";
import { initialHeating, zoneOffsetMs, type ProgrammeTemplateId } from "../domain/heating";
import { localDay } from "../domain/history-view";
import { maskIban } from "../domain/iban";
import { heatingColumnsOf } from "./heating";
import { hashPassword } from "../auth/password";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../auth/demo-accounts";
import { displayPrefixOf, hashApiKey } from "./api-keys";
import { seal } from "./secret-box";

export type SeedSummary = {
  organizations: number;
  users: number;
  hardwareModels: number;
  sites: number;
  buildings: number;
  dwellings: number;
  rooms: number;
  gateways: number;
  radiators: number;
  residents: number;
  apiKeys: number;
  refundEnrolments: number;
};

/** Arbitrary key for the advisory lock that keeps two seeders from racing. */
const SEED_LOCK_KEY = 4_732_001;
const CHUNK_SIZE = 1000;
const GATEWAY_FIRMWARE = "2.4.1";

/** True when the database already holds at least one organization. */
export async function isSeeded(db: Db): Promise<boolean> {
  const rows = await db.select({ id: organizations.id }).from(organizations).limit(1);
  return rows.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: a tiny 32-bit PRNG, good enough for demo variety. Returns floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;

/** An area in m² between min and max, with one decimal. */
function area(rng: Rng, min: number, max: number): number {
  return Math.round((min + rng() * (max - min)) * 10) / 10;
}

/** A 'YYYY-MM-DD' date between from and to (inclusive), both 'YYYY-MM-DD'. */
function dateBetween(rng: Rng, from: string, to: string): string {
  const start = Date.parse(`${from}T00:00:00Z`);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - start) / 86_400_000);
  const offset = Math.floor(rng() * (days + 1));
  return new Date(start + offset * 86_400_000).toISOString().slice(0, 10);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

// ---------------------------------------------------------------------------------------------
// Static content

const ORG = {
  operator: "Hearth Operations",
  lumen: "Lumen Animation Studio",
  carmin: "Carmin Risk Analytics",
  parisHabitat: "Paris Habitat Ouest",
  girondeLogis: "Gironde Logis",
  metropole: "Métropole Sud-Ouest",
} as const;
type OrgKey = keyof typeof ORG;

/** The customer organizations with demo sign-in accounts (the simulator plays their past work: server/sim/demo-work.ts). */
export const DEMO_CUSTOMERS = { lumen: ORG.lumen, carmin: ORG.carmin } as const;

const ORGANIZATIONS: ReadonlyArray<{ key: OrgKey; kind: "customer" | "landlord" | "operator" }> = [
  { key: "operator", kind: "operator" },
  { key: "lumen", kind: "customer" },
  { key: "carmin", kind: "customer" },
  { key: "parisHabitat", kind: "landlord" },
  { key: "girondeLogis", kind: "landlord" },
  { key: "metropole", kind: "landlord" },
];

/** Display name and organization of each demo account (by e-mail). */
const DEMO_PEOPLE: Readonly<Record<string, { name: string; org: OrgKey }>> = {
  "customer@hearth.test": { name: "Camille Martin", org: "lumen" },
  "customer2@hearth.test": { name: "Julien Roux", org: "carmin" },
  "resident@hearth.test": { name: "Nadia Benali", org: "parisHabitat" },
  "resident2@hearth.test": { name: "Mathieu Lefèvre", org: "girondeLogis" },
  "landlord@hearth.test": { name: "Sophie Garnier", org: "parisHabitat" },
  "landlord2@hearth.test": { name: "Thomas Dubois", org: "girondeLogis" },
  "staff@hearth.test": { name: "Claire Moreau", org: "operator" },
};

/** Non-demo users: one more per customer organization and one more staff member. */
const EXTRA_USERS: ReadonlyArray<{
  email: string;
  name: string;
  role: "customer" | "staff";
  org: OrgKey;
}> = [
  { email: "ines.fabre@lumen.test", name: "Inès Fabre", role: "customer", org: "lumen" },
  { email: "karim.haddad@carmin.test", name: "Karim Haddad", role: "customer", org: "carmin" },
  { email: "ops@hearth.test", name: "Lucas Bernard", role: "staff", org: "operator" },
];

/** Known REST API keys of the demo customers, so that SDK examples run against the demo unchanged. */
const DEMO_API_KEYS: ReadonlyArray<{ email: string; key: string }> = [
  { email: "customer@hearth.test", key: "hearth-demo-key-customer" },
  { email: "customer2@hearth.test", key: "hearth-demo-key-customer2" },
];

const MODELS = {
  qr500: { name: "Q.rad QR-500", maxPowerW: 500, cores: 16, ramGb: 16, cpuModel: "AMD Ryzen 9 5950X 16-Core Processor", cpuClockMhz: 3400 },
  qr650: { name: "Q.rad QR-650", maxPowerW: 650, cores: 24, ramGb: 32, cpuModel: "AMD Ryzen Threadripper PRO 5965WX 24-Cores", cpuClockMhz: 3800 },
  db3000: { name: "Digital boiler DB-3000", maxPowerW: 3000, cores: 96, ramGb: 384, cpuModel: "AMD EPYC 9654 96-Core Processor", cpuClockMhz: 2400 },
} as const;
type ModelKey = keyof typeof MODELS;

/** Where the demo residents live, and since when. */
const RESIDENT_HOMES: ReadonlyArray<{ email: string; building: string; label: string; movedInOn: string }> = [
  { email: "resident@hearth.test", building: "Bâtiment A", label: "A-204", movedInOn: "2019-09-01" },
  { email: "resident2@hearth.test", building: "Bâtiment Quai", label: "Q-305", movedInOn: "2021-04-15" },
];
/**
 * The demo residents enrolled for the electricity refund (resident2@ is not, so that both paths can
 * be tried). A test IBAN of a French bank; never a real account.
 */
const DEMO_ENROLMENTS: ReadonlyArray<{ email: string; deliveryPoint: string; iban: string; bic: string | null }> = [
  { email: "resident@hearth.test", deliveryPoint: "30001234567890", iban: "FR7630006000011234567890189", bic: "AGRIFRPP" },
];

/**
 * 00:00 on the wall clock of `timeZone` on the 1st of the month `monthsBack` months before `at`'s
 * month there: the demo's enrolments date from two months back, so last month is covered in full.
 */
export function localMonthStart(at: Date, timeZone: string, monthsBack: number): Date {
  const [year, month] = localDay(at, timeZone).split("-").map(Number);
  const wallMs = Date.UTC(year!, month! - 1 - monthsBack, 1);
  // The offset at the guess, then at the instant it gives (they differ only across a change of offset).
  const guess = wallMs - zoneOffsetMs(wallMs, timeZone);
  return new Date(wallMs - zoneOffsetMs(guess, timeZone));
}

/** The demo residents' rooms run a programme; every other room is left to its radiators' thermostats. */
const RESIDENT_PROGRAMMES: Readonly<Record<string, ProgrammeTemplateId>> = {
  "resident@hearth.test": "out_at_work",
  "resident2@hearth.test": "home_all_day",
};

// ---------------------------------------------------------------------------------------------
// Plan: the fleet as plain objects, before any id exists

type RoomPlan = { name: string; areaM2: number; radiators: number };
type DwellingPlan = { label: string; floor: number; rooms: RoomPlan[]; installedOn: string };
type BuildingPlan = {
  name: string;
  address: string;
  model: ModelKey;
  serialPrefix: string;
  /** "dwelling": one gateway per dwelling; otherwise the serial of the building's gateway. */
  gateway: { perDwelling: string } | { building: string };
  dwellings: DwellingPlan[];
  /** Rooms outside any dwelling (plant rooms). */
  plantRooms: { rooms: RoomPlan[]; installedOn: string } | null;
};
type SitePlan = {
  name: string;
  city: string;
  climateZone: string;
  kind: "housing" | "all_year_heat_sink";
  org: OrgKey;
  buildings: BuildingPlan[];
};

function bedrooms(rng: Rng, count: number): RoomPlan[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `Chambre ${i + 1}`,
    areaM2: area(rng, 10, 13),
    radiators: 1,
  }));
}

function planBalard(rng: Rng): SitePlan {
  // 10 floors × 10 flats. On every floor, doors 1–2 are T2, 3–8 T3, 9–10 T4:
  // 20 T2 (2 radiators), 60 T3 (3), 20 T4 (4) = 300 radiators.
  const flats: DwellingPlan[] = [];
  for (let floor = 0; floor <= 9; floor++) {
    for (let door = 1; door <= 10; door++) {
      const bedroomCount = door <= 2 ? 1 : door <= 8 ? 2 : 3;
      flats.push({
        label: `A-${floor}${pad(door, 2)}`,
        floor,
        rooms: [{ name: "Séjour", areaM2: area(rng, 20, 24), radiators: 1 }, ...bedrooms(rng, bedroomCount)],
        installedOn: dateBetween(rng, "2023-03-06", "2023-06-30"),
      });
    }
  }
  return {
    name: "Résidence Balard",
    city: "Paris",
    climateZone: "H1a",
    kind: "housing",
    org: "parisHabitat",
    buildings: [
      {
        name: "Bâtiment A",
        address: "12 rue Balard, 75015 Paris",
        model: "qr500",
        serialPrefix: "QRAD-PAR-",
        gateway: { perDwelling: "QBOX-PAR-" },
        dwellings: flats,
        plantRooms: null,
      },
    ],
  };
}

function planChartrons(rng: Rng): SitePlan {
  // Bâtiment Quai: 5 floors × 10 flats. The 4 T3 are ground-floor doors 1–4, the other 46 are T4.
  // T4: living (2 radiators) + kitchen + 3 bedrooms + bathroom = 7; T3: 6. 46×7 + 4×6 = 346.
  const quai: DwellingPlan[] = [];
  for (let floor = 0; floor <= 4; floor++) {
    for (let door = 1; door <= 10; door++) {
      const bedroomCount = floor === 0 && door <= 4 ? 2 : 3;
      quai.push({
        label: `Q-${floor}${pad(door, 2)}`,
        floor,
        rooms: [
          { name: "Séjour", areaM2: area(rng, 24, 28), radiators: 2 },
          { name: "Cuisine", areaM2: area(rng, 8, 11), radiators: 1 },
          ...bedrooms(rng, bedroomCount),
          { name: "Salle de bain", areaM2: area(rng, 4, 6.5), radiators: 1 },
        ],
        installedOn: dateBetween(rng, "2023-09-11", "2024-01-26"),
      });
    }
  }
  // Bâtiment Jardin: 3 floors × 4 flats, each living room + 2 bedrooms = 3 radiators (36).
  const jardin: DwellingPlan[] = [];
  for (let floor = 0; floor <= 2; floor++) {
    for (let door = 1; door <= 4; door++) {
      jardin.push({
        label: `J-${floor}${pad(door, 2)}`,
        floor,
        rooms: [{ name: "Séjour", areaM2: area(rng, 18, 22), radiators: 1 }, ...bedrooms(rng, 2)],
        installedOn: dateBetween(rng, "2024-03-04", "2024-05-31"),
      });
    }
  }
  return {
    name: "Résidence des Chartrons",
    city: "Bordeaux",
    climateZone: "H2c",
    kind: "housing",
    org: "girondeLogis",
    buildings: [
      {
        name: "Bâtiment Quai",
        address: "40 quai des Chartrons, 33000 Bordeaux",
        model: "qr650",
        serialPrefix: "QRAD-BDX-",
        gateway: { building: "QBOX-BDX-QUAI" },
        dwellings: quai,
        plantRooms: null,
      },
      {
        name: "Bâtiment Jardin",
        address: "42 quai des Chartrons, 33000 Bordeaux",
        model: "qr500",
        serialPrefix: "QRAD-BDX-",
        gateway: { building: "QBOX-BDX-JARDIN" },
        dwellings: jardin,
        plantRooms: null,
      },
    ],
  };
}

function planMerignac(rng: Rng): SitePlan {
  return {
    name: "Centre aquatique de Mérignac",
    city: "Mérignac",
    climateZone: "H2c",
    kind: "all_year_heat_sink",
    org: "metropole",
    buildings: [
      {
        name: "Piscine",
        address: "Avenue de l'Yser, 33700 Mérignac",
        model: "db3000",
        serialPrefix: "DB-MER-",
        gateway: { building: "QBOX-MER-PISCINE" },
        dwellings: [],
        plantRooms: {
          rooms: [{ name: "Chaufferie", areaM2: 60, radiators: 12 }],
          installedOn: dateBetween(rng, "2024-06-03", "2024-07-12"),
        },
      },
    ],
  };
}

function planFleet(): SitePlan[] {
  const rng = mulberry32(20240917);
  return [planBalard(rng), planChartrons(rng), planMerignac(rng)];
}

// ---------------------------------------------------------------------------------------------
// Insertion

/** Runs `insert` on successive chunks of at most CHUNK_SIZE rows and concatenates the results. */
async function chunked<T, R>(rows: readonly T[], insert: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += CHUNK_SIZE) {
    out.push(...(await insert(rows.slice(i, i + CHUNK_SIZE))));
  }
  return out;
}

function must<V>(map: ReadonlyMap<string, V>, key: string, what: string): V {
  const v = map.get(key);
  if (v === undefined) throw new Error(`seed: missing ${what} ${key}`);
  return v;
}

const roomKey = (buildingId: string, dwellingId: string | null, name: string) =>
  `${buildingId}|${dwellingId ?? ""}|${name}`;

/**
 * Inserts the demo organizations, users and fleet in one transaction. Throws if the database
 * already holds organizations (check with `isSeeded` first).
 */
export async function seedDemo(db: Db): Promise<SeedSummary> {
  for (const account of DEMO_ACCOUNTS) {
    if (!DEMO_PEOPLE[account.email]) throw new Error(`seed: no organization for demo account ${account.email}`);
  }

  // Hash outside the transaction; every user gets their own salt and hash.
  const people = [
    ...DEMO_ACCOUNTS.map((a) => {
      const p = DEMO_PEOPLE[a.email]!;
      return { email: a.email, name: p.name, role: a.role, org: p.org };
    }),
    ...EXTRA_USERS,
  ];
  const hashes = await Promise.all(people.map(() => hashPassword(DEMO_PASSWORD)));
  // Under HEARTH_DATA_KEY (npm start and npm test set it): without it the seed stops here, saying so.
  const sealedIbans = DEMO_ENROLMENTS.map((e) => seal(e.iban));
  const plan = planFleet();

  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
    const existing = await tx.select({ id: organizations.id }).from(organizations).limit(1);
    if (existing.length > 0) throw new Error("seed: the database is already seeded");

    // Organizations
    const orgRows = await tx
      .insert(organizations)
      .values(ORGANIZATIONS.map((o) => ({ name: ORG[o.key], kind: o.kind })))
      .returning({ id: organizations.id, name: organizations.name });
    const orgIdByName = new Map(orgRows.map((r) => [r.name, r.id]));
    const orgId = (key: OrgKey) => must(orgIdByName, ORG[key], "organization");

    // Users
    const userRows = await tx
      .insert(users)
      .values(
        people.map((p, i) => ({
          email: p.email,
          name: p.name,
          role: p.role,
          organizationId: orgId(p.org),
          passwordHash: hashes[i]!,
        })),
      )
      .returning({ id: users.id, email: users.email });
    const userIdByEmail = new Map(userRows.map((r) => [r.email, r.id]));
    const orgKeyByEmail = new Map(people.map((p) => [p.email, p.org]));

    // REST API keys of the demo customers
    const apiKeyRows = await tx
      .insert(apiKeys)
      .values(
        DEMO_API_KEYS.map(({ email, key }) => ({
          organizationId: orgId(must(orgKeyByEmail, email, "user")),
          createdByUserId: must(userIdByEmail, email, "user"),
          name: "Demo key",
          keyHash: hashApiKey(key),
          displayPrefix: displayPrefixOf(key),
        })),
      )
      .returning({ id: apiKeys.id });

    // Hardware models
    const modelRows = await tx
      .insert(hardwareModels)
      .values(Object.values(MODELS).map((m) => ({ ...m })))
      .returning({ id: hardwareModels.id, name: hardwareModels.name });
    const modelIdByName = new Map(modelRows.map((r) => [r.name, r.id]));
    const modelId = (key: ModelKey) => must(modelIdByName, MODELS[key].name, "hardware model");

    // Sites
    const siteRows = await tx
      .insert(sites)
      .values(
        plan.map((s) => ({
          organizationId: orgId(s.org),
          name: s.name,
          city: s.city,
          climateZone: s.climateZone,
          kind: s.kind,
        })),
      )
      .returning({ id: sites.id, name: sites.name, timeZone: sites.timeZone });
    const siteIdByName = new Map(siteRows.map((r) => [r.name, r.id]));
    const timeZoneBySite = new Map(siteRows.map((r) => [r.name, r.timeZone]));

    // Buildings (names are unique across the demo)
    const buildingPlans = plan.flatMap((s) => s.buildings.map((b) => ({ site: s, building: b })));
    const buildingRows = await tx
      .insert(buildings)
      .values(
        buildingPlans.map(({ site, building }) => ({
          siteId: must(siteIdByName, site.name, "site"),
          name: building.name,
          address: building.address,
        })),
      )
      .returning({ id: buildings.id, name: buildings.name });
    const buildingIdByName = new Map(buildingRows.map((r) => [r.name, r.id]));
    const buildingId = (b: BuildingPlan) => must(buildingIdByName, b.name, "building");

    // Dwellings
    const dwellingValues = buildingPlans.flatMap(({ building }) =>
      building.dwellings.map((d) => ({ buildingId: buildingId(building), label: d.label, floor: d.floor })),
    );
    const dwellingRows = await chunked(dwellingValues, (chunk) =>
      tx
        .insert(dwellings)
        .values(chunk)
        .returning({ id: dwellings.id, buildingId: dwellings.buildingId, label: dwellings.label }),
    );
    const dwellingIdByKey = new Map(dwellingRows.map((r) => [`${r.buildingId}|${r.label}`, r.id]));
    const dwellingId = (b: BuildingPlan, d: DwellingPlan) =>
      must(dwellingIdByKey, `${buildingId(b)}|${d.label}`, "dwelling");

    // Rooms
    const roomValues = buildingPlans.flatMap(({ building }): Array<typeof rooms.$inferInsert> => [
      ...building.dwellings.flatMap((d) =>
        d.rooms.map((r) => ({
          buildingId: buildingId(building),
          dwellingId: dwellingId(building, d),
          name: r.name,
          areaM2: r.areaM2,
        })),
      ),
      ...(building.plantRooms?.rooms ?? []).map((r) => ({
        buildingId: buildingId(building),
        dwellingId: null,
        name: r.name,
        areaM2: r.areaM2,
      })),
    ]);
    const roomRows = await chunked(roomValues, (chunk) =>
      tx
        .insert(rooms)
        .values(chunk)
        .returning({ id: rooms.id, buildingId: rooms.buildingId, dwellingId: rooms.dwellingId, name: rooms.name }),
    );
    const roomIdByKey = new Map(roomRows.map((r) => [roomKey(r.buildingId, r.dwellingId, r.name), r.id]));

    // Gateways: one per dwelling, or one per building
    const gatewaySerial = (b: BuildingPlan, d: DwellingPlan | null) =>
      "perDwelling" in b.gateway ? `${b.gateway.perDwelling}${d!.label}` : b.gateway.building;
    const gatewayValues = buildingPlans.flatMap(({ building }): Array<typeof gateways.$inferInsert> =>
      "perDwelling" in building.gateway
        ? building.dwellings.map((d) => ({
            serial: gatewaySerial(building, d),
            buildingId: buildingId(building),
            dwellingId: dwellingId(building, d),
            firmwareVersion: GATEWAY_FIRMWARE,
          }))
        : [
            {
              serial: gatewaySerial(building, null),
              buildingId: buildingId(building),
              dwellingId: null,
              firmwareVersion: GATEWAY_FIRMWARE,
            },
          ],
    );
    const gatewayRows = await chunked(gatewayValues, (chunk) =>
      tx.insert(gateways).values(chunk).returning({ id: gateways.id, serial: gateways.serial }),
    );
    const gatewayIdBySerial = new Map(gatewayRows.map((r) => [r.serial, r.id]));

    // Radiators: one serial counter per prefix, so serials are unique and stable
    const counters = new Map<string, number>();
    const nextSerial = (prefix: string) => {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}${pad(n, 6)}`;
    };
    const radiatorValues: Array<typeof radiators.$inferInsert> = [];
    for (const { building } of buildingPlans) {
      const bId = buildingId(building);
      const hwId = modelId(building.model);
      const groups: Array<{ dwelling: DwellingPlan | null; rooms: RoomPlan[]; installedOn: string }> = [
        ...building.dwellings.map((d) => ({ dwelling: d, rooms: d.rooms, installedOn: d.installedOn })),
        ...(building.plantRooms ? [{ dwelling: null, ...building.plantRooms }] : []),
      ];
      for (const g of groups) {
        const dId = g.dwelling ? dwellingId(building, g.dwelling) : null;
        const gwId = must(gatewayIdBySerial, gatewaySerial(building, g.dwelling), "gateway");
        for (const room of g.rooms) {
          const rId = must(roomIdByKey, roomKey(bId, dId, room.name), "room");
          for (let k = 0; k < room.radiators; k++) {
            radiatorValues.push({
              serial: nextSerial(building.serialPrefix),
              gatewayId: gwId,
              roomId: rId,
              hardwareModelId: hwId,
              installedOn: g.installedOn,
              lastSeenAt: null,
            });
          }
        }
      }
    }
    const radiatorRows = await chunked(radiatorValues, (chunk) =>
      tx.insert(radiators).values(chunk).returning({ id: radiators.id }),
    );

    // Residents
    const residentValues = RESIDENT_HOMES.map((h) => ({
      userId: must(userIdByEmail, h.email, "user"),
      dwellingId: must(
        dwellingIdByKey,
        `${must(buildingIdByName, h.building, "building")}|${h.label}`,
        "dwelling",
      ),
      movedInOn: h.movedInOn,
    }));
    const residentRows = await tx.insert(residents).values(residentValues).returning({ userId: residents.userId });
    const heatingValues = RESIDENT_HOMES.flatMap((h, i) => {
      const columns = heatingColumnsOf(initialHeating(RESIDENT_PROGRAMMES[h.email]));
      return roomRows.filter((r) => r.dwellingId === residentValues[i]!.dwellingId).map((r) => ({ roomId: r.id, ...columns }));
    });
    await tx.insert(roomHeating).values(heatingValues);

    // Refund enrolments, consented at the start of the month two months back (site-local)
    const seededAt = new Date();
    const enrolmentRows = await tx
      .insert(refundEnrolments)
      .values(
        DEMO_ENROLMENTS.map((e, i) => {
          const home = RESIDENT_HOMES.find((h) => h.email === e.email)!;
          const site = buildingPlans.find(({ building }) => building.name === home.building)!.site;
          const consentAt = localMonthStart(seededAt, must(timeZoneBySite, site.name, "site"), 2);
          return {
            dwellingId: residentValues[RESIDENT_HOMES.indexOf(home)]!.dwellingId,
            userId: must(userIdByEmail, e.email, "user"),
            holderName: DEMO_PEOPLE[e.email]!.name,
            deliveryPoint: e.deliveryPoint,
            ibanEncrypted: sealedIbans[i]!,
            ibanMasked: maskIban(e.iban),
            bic: e.bic,
            consentAt,
            createdAt: consentAt,
          };
        }),
      )
      .returning({ id: refundEnrolments.id });

    return {
      organizations: orgRows.length,
      users: userRows.length,
      hardwareModels: modelRows.length,
      sites: siteRows.length,
      buildings: buildingRows.length,
      dwellings: dwellingRows.length,
      rooms: roomRows.length,
      gateways: gatewayRows.length,
      radiators: radiatorRows.length,
      residents: residentRows.length,
      apiKeys: apiKeyRows.length,
      refundEnrolments: enrolmentRows.length,
    };
  });
}
