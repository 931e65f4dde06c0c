import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildContactSheet, CONTACT_SHEET_LIMITS, planContactSheet } from "./contact-sheet";
import { decodePng, encodePng, readPngSize, type RgbImage } from "./png";

/** A frame filled with one colour, so a thumbnail's pixels tell which frame it came from. */
function solidPng(widthPx: number, heightPx: number, colour: [number, number, number]): Buffer {
  const rgb = new Uint8Array(widthPx * heightPx * 3);
  for (let i = 0; i < rgb.length; i += 3) rgb.set(colour, i);
  return encodePng({ widthPx, heightPx, rgb });
}

function pixel(image: RgbImage, x: number, y: number): number[] {
  const i = (y * image.widthPx + x) * 3;
  return [image.rgb[i]!, image.rgb[i + 1]!, image.rgb[i + 2]!];
}

describe("planContactSheet", () => {
  it("one frame: full size, no note", () => {
    const layout = planContactSheet(1, 160, 120);
    expect(layout).toMatchObject({ columns: 1, rows: 1, thumbWidthPx: 160, thumbHeightPx: 120, shown: 1, omitted: 0, noteHeightPx: 0 });
    expect(layout.widthPx).toBe(160 + 2 * layout.gapPx);
  });

  it("120 frames of 160×120 fit within 1600 px, keeping the frames' proportions", () => {
    const layout = planContactSheet(120, 160, 120);
    expect(layout.widthPx).toBeLessThanOrEqual(1600);
    expect(layout.heightPx).toBeLessThanOrEqual(1600);
    expect(layout.columns * layout.rows).toBeGreaterThanOrEqual(120);
    expect(layout.thumbHeightPx / layout.thumbWidthPx).toBeCloseTo(0.75, 1);
    expect(layout.thumbWidthPx).toBeGreaterThanOrEqual(100);
    expect(layout.labelHeightPx).toBeGreaterThan(0);
  });

  it("10,000 frames all fit as small thumbnails", () => {
    const layout = planContactSheet(10_000, 160, 120);
    expect(layout).toMatchObject({ shown: 10_000, omitted: 0 });
    expect(layout.thumbWidthPx).toBeGreaterThanOrEqual(CONTACT_SHEET_LIMITS.minThumbWidthPx);
    expect(layout.widthPx).toBeLessThanOrEqual(1600);
    expect(layout.heightPx).toBeLessThanOrEqual(1600);
  });

  it("past the limits, shows the first frames and leaves room for a note", () => {
    const many = planContactSheet(25_000, 160, 120);
    expect(many).toMatchObject({ shown: 10_000, omitted: 15_000 });
    expect(many.noteHeightPx).toBeGreaterThan(0);
    const cramped = planContactSheet(5_000, 160, 120, { maxWidthPx: 256, maxHeightPx: 128 });
    expect(cramped.thumbWidthPx).toBe(CONTACT_SHEET_LIMITS.minThumbWidthPx);
    expect(cramped.shown + cramped.omitted).toBe(5_000);
    expect(cramped.omitted).toBeGreaterThan(0);
    expect(cramped.noteHeightPx).toBeGreaterThan(0);
    expect(cramped.heightPx).toBeLessThanOrEqual(128);
  });

  it("always stays within its bounds and accounts for every frame", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30_000 }),
        fc.integer({ min: 1, max: 640 }),
        fc.integer({ min: 1, max: 480 }),
        fc.integer({ min: 256, max: 2000 }),
        fc.integer({ min: 64, max: 2000 }),
        (count, w, h, maxWidthPx, maxHeightPx) => {
          const layout = planContactSheet(count, w, h, { maxWidthPx, maxHeightPx });
          expect(layout.widthPx).toBeLessThanOrEqual(Math.min(maxWidthPx, 1600));
          expect(layout.heightPx).toBeLessThanOrEqual(Math.min(maxHeightPx, 1600));
          expect(layout.shown + layout.omitted).toBe(count);
          expect(layout.shown).toBeGreaterThanOrEqual(1);
          expect(layout.columns * layout.rows).toBeGreaterThanOrEqual(layout.shown);
          expect(layout.thumbWidthPx).toBeLessThanOrEqual(w);
          expect(layout.thumbHeightPx).toBeLessThanOrEqual(h);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("buildContactSheet", () => {
  it("draws the frames in frame order, whatever order they come in", () => {
    const colours: Array<[number, number, number]> = [[250, 0, 0], [0, 250, 0], [0, 0, 250]];
    const frames = [3, 1, 2].map((frameNumber) => ({ frameNumber, png: solidPng(40, 30, colours[frameNumber - 1]!) }));
    const sheet = decodePng(buildContactSheet(frames));
    const layout = planContactSheet(3, 40, 30);
    expect({ widthPx: sheet.widthPx, heightPx: sheet.heightPx }).toEqual({ widthPx: layout.widthPx, heightPx: layout.heightPx });
    for (let i = 0; i < 3; i++) {
      const x = layout.gapPx + i * (layout.thumbWidthPx + layout.gapPx) + (layout.thumbWidthPx >> 1);
      const y = layout.gapPx + (layout.thumbHeightPx >> 1);
      expect(pixel(sheet, x, y)).toEqual(colours[i]);
    }
  });

  it("a sheet of 120 default-size frames is at most 1600 px wide", () => {
    const png = solidPng(160, 120, [90, 120, 200]);
    const frames = Array.from({ length: 120 }, (_, i) => ({ frameNumber: i + 1, png }));
    const size = readPngSize(buildContactSheet(frames));
    expect(size.widthPx).toBeLessThanOrEqual(1600);
    expect(size.heightPx).toBeLessThanOrEqual(1600);
  });

  it("handles 10,000 frames", () => {
    const png = solidPng(16, 12, [10, 200, 30]);
    const frames = Array.from({ length: 10_000 }, (_, i) => ({ frameNumber: i + 1, png }));
    const sheet = decodePng(buildContactSheet(frames));
    expect(sheet.widthPx).toBeLessThanOrEqual(1600);
    expect(sheet.heightPx).toBeLessThanOrEqual(1600);
  });

  it("writes the note under a capped sheet", () => {
    const png = solidPng(16, 12, [200, 200, 200]);
    const frames = Array.from({ length: 2_000 }, (_, i) => ({ frameNumber: i + 1, png }));
    const sheet = decodePng(buildContactSheet(frames, { maxWidthPx: 256, maxHeightPx: 128 }));
    const layout = planContactSheet(2_000, 16, 12, { maxWidthPx: 256, maxHeightPx: 128 });
    expect(layout.omitted).toBeGreaterThan(0);
    expect(sheet.heightPx).toBe(layout.heightPx);
    // Ink (light pixels) in the note's band, which thumbnails do not reach.
    let ink = 0;
    for (let y = sheet.heightPx - layout.noteHeightPx; y < sheet.heightPx; y++) {
      for (let x = 0; x < sheet.widthPx; x++) if (pixel(sheet, x, y)[0]! > 150) ink++;
    }
    expect(ink).toBeGreaterThan(50);
  });

  it("draws a frame that does not decode as a red tile, and a frame given twice once", () => {
    const good = solidPng(40, 30, [0, 0, 250]);
    const frames = [
      { frameNumber: 1, png: good },
      { frameNumber: 2, png: Buffer.from("not a png") },
      { frameNumber: 1, png: good },
    ];
    const sheet = decodePng(buildContactSheet(frames));
    const layout = planContactSheet(2, 40, 30);
    expect(sheet.widthPx).toBe(layout.widthPx);
    const x = layout.gapPx + layout.thumbWidthPx + layout.gapPx + (layout.thumbWidthPx >> 1);
    expect(pixel(sheet, x, layout.gapPx + 5)).toEqual([110, 30, 30]);
  });

  it("refuses no frames", () => {
    expect(() => buildContactSheet([])).toThrow(/at least one frame/);
  });
});
