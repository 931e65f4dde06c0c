import { describe, expect, it } from "vitest";
import { gatewayServesRoom, type Placement } from "./fleet";

const flatGateway: Placement = { buildingId: "building-a", dwellingId: "flat-a1" };
const buildingGateway: Placement = { buildingId: "building-a", dwellingId: null };

const roomOfFlat: Placement = { buildingId: "building-a", dwellingId: "flat-a1" };
const roomOfNeighbour: Placement = { buildingId: "building-a", dwellingId: "flat-a2" };
const plantRoom: Placement = { buildingId: "building-a", dwellingId: null };
const roomElsewhere: Placement = { buildingId: "building-b", dwellingId: "flat-b1" };
const plantRoomElsewhere: Placement = { buildingId: "building-b", dwellingId: null };

describe("which rooms a gateway serves", () => {
  it("a gateway in a flat serves that flat's rooms only", () => {
    expect(gatewayServesRoom(flatGateway, roomOfFlat)).toBe(true);
    expect(gatewayServesRoom(flatGateway, roomOfNeighbour)).toBe(false);
    expect(gatewayServesRoom(flatGateway, plantRoom)).toBe(false);
    expect(gatewayServesRoom(flatGateway, roomElsewhere)).toBe(false);
  });

  it("a building gateway serves every room of its building, plant rooms included", () => {
    expect(gatewayServesRoom(buildingGateway, roomOfFlat)).toBe(true);
    expect(gatewayServesRoom(buildingGateway, roomOfNeighbour)).toBe(true);
    expect(gatewayServesRoom(buildingGateway, plantRoom)).toBe(true);
  });

  it("no gateway serves a room of another building", () => {
    expect(gatewayServesRoom(buildingGateway, roomElsewhere)).toBe(false);
    expect(gatewayServesRoom(buildingGateway, plantRoomElsewhere)).toBe(false);
    // Even a room that names the gateway's flat: the building decides first.
    expect(gatewayServesRoom(flatGateway, { buildingId: "building-b", dwellingId: "flat-a1" })).toBe(false);
  });
});
