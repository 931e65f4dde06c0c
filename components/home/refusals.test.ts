import { describe, expect, it } from "vitest";
import { programmeRefusal, temperaturesRefusal } from "@/server/domain/heating";
import { refusalMessage } from "./refusals";

const block = (day: number, startMinute: number, endMinute: number, targetC = 20) => ({ day, startMinute, endMinute, targetC });

describe("refusal messages", () => {
  it("names what the domain refuses in a programme the page can produce", () => {
    const backwards = programmeRefusal([block(0, 420, 540), block(0, 600, 570)])!;
    expect(refusalMessage(backwards.field)).toEqual({ key: "endAfterStart" });
    const overlapping = programmeRefusal([block(1, 420, 600), block(1, 540, 660)])!;
    expect(refusalMessage(overlapping.field)).toEqual({ key: "overlap" });
    const tooWarm = programmeRefusal([block(2, 420, 600, 29)])!;
    expect(refusalMessage(tooWarm.field)).toEqual({ key: "temperature", values: { min: 7, max: 28 } });
    const tooMany = programmeRefusal(Array.from({ length: 85 }, (_, i) => block(i % 7, 0, 15)))!;
    expect(refusalMessage(tooMany.field)).toEqual({ key: "tooMany", values: { max: 84 } });
  });

  it("tells an eco temperature above comfort from one out of bounds", () => {
    const above = temperaturesRefusal(19, 21)!;
    expect(refusalMessage(above.field, { ecoC: 21 })).toEqual({ key: "ecoAboveComfort" });
    const low = temperaturesRefusal(19, 6)!;
    expect(refusalMessage(low.field, { ecoC: 6 })).toMatchObject({ key: "temperature" });
  });

  it("has a plain message for a field it does not know", () => {
    expect(refusalMessage("roomId")).toEqual({ key: "other" });
  });
});
