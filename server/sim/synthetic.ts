import { hashUnit } from "@/server/domain/random";
import type { FleetSpec, GatewaySpec, HardwareSpec, RadiatorSpec, RoomSpec, SiteSpec } from "./fleet";

/**
 * A fleet made up without a database, shaped like the demo's: flats of four rooms with one
 * 16-core, 500 W radiator each, one gateway per 25 flats, half in Paris and half in Bordeaux.
 * For the benchmark and for pure tests of the models.
 */
export function syntheticFleet(radiators: number, opts: { hardware?: HardwareSpec; roomsPerFlat?: number } = {}): FleetSpec {
  const hardware: HardwareSpec = opts.hardware ?? { name: "Q.rad QR-500", cores: 16, maxPowerW: 500, ramGb: 16 };
  const roomsPerFlat = opts.roomsPerFlat ?? 4;
  const sites: SiteSpec[] = [
    { key: "Synthetic Paris", climate: "paris", kind: "housing" },
    { key: "Synthetic Bordeaux", climate: "bordeaux", kind: "housing" },
  ];
  const gateways: GatewaySpec[] = [];
  let current: RadiatorSpec[] = [];
  let gatewaySerial = "";
  const flush = () => {
    if (current.length > 0) gateways.push({ id: gatewaySerial, serial: gatewaySerial, radiators: current, lastSeq: 0 });
    current = [];
  };
  for (let i = 0; i < radiators; i++) {
    const flat = Math.floor(i / roomsPerFlat);
    const roomIndex = i % roomsPerFlat;
    if (flat % 25 === 0 && roomIndex === 0) {
      flush();
      gatewaySerial = `QBOX-SYN-${String(flat / 25).padStart(5, "0")}`;
    }
    const site = sites[flat % 2]!;
    const dwellingKey = `${site.key}|F-${flat}`;
    const room: RoomSpec = {
      id: `${dwellingKey}|${roomIndex}`,
      key: `${dwellingKey}|${roomIndex}`,
      name: roomIndex === 0 ? "Séjour" : `Chambre ${roomIndex}`,
      areaM2: roomIndex === 0 ? 20 + 4 * hashUnit(flat, 0) : 10 + 3 * hashUnit(flat, roomIndex),
      dwellingKey,
      site,
    };
    const serial = `QRAD-SYN-${String(i + 1).padStart(6, "0")}`;
    current.push({
      id: serial,
      serial,
      gatewaySerial,
      room,
      hardware,
      installedOn: "2024-01-01",
      memory: { lastReadingMs: null, energyCounterWh: null, roomTempC: null },
    });
  }
  flush();
  return { gateways, profileCoreSeconds: new Map([["monte-carlo", 120], ["render", 600], ["research", 1800]]) };
}
