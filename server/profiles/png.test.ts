import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { deflateSync } from "node:zlib";
import { crc32, decodePng, encodePng, readPngSize, type PngFilter, type RgbImage } from "./png";

const image = (widthPx: number, heightPx: number, pixel: (x: number, y: number) => [number, number, number]): RgbImage => {
  const rgb = new Uint8Array(widthPx * heightPx * 3);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) rgb.set(pixel(x, y), (y * widthPx + x) * 3);
  }
  return { widthPx, heightPx, rgb };
};

const gradient = image(37, 23, (x, y) => [x * 7, y * 11, (x * y) & 0xff]);

const arbitraryImage = fc
  .record({ widthPx: fc.integer({ min: 1, max: 40 }), heightPx: fc.integer({ min: 1, max: 30 }) })
  .chain(({ widthPx, heightPx }) =>
    fc
      .uint8Array({ minLength: widthPx * heightPx * 3, maxLength: widthPx * heightPx * 3 })
      .map((rgb): RgbImage => ({ widthPx, heightPx, rgb })),
  );

describe("crc32", () => {
  it("matches the standard check value", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it("continues across pieces", () => {
    const all = Buffer.from("the quick brown fox");
    expect(crc32(all.subarray(9), crc32(all.subarray(0, 9)))).toBe(crc32(all));
  });
});

describe("encodePng / decodePng", () => {
  it("writes a PNG signature, IHDR with the size, and round-trips", () => {
    const png = encodePng(gradient);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString("latin1", 12, 16)).toBe("IHDR");
    expect(readPngSize(png)).toEqual({ widthPx: 37, heightPx: 23 });
    expect(decodePng(png)).toEqual(gradient);
  });

  it("round-trips every filter type on arbitrary pixels", () => {
    fc.assert(
      fc.property(arbitraryImage, fc.constantFrom<PngFilter | "adaptive">(0, 1, 2, 3, 4, "adaptive"), (img, filter) => {
        const back = decodePng(encodePng(img, { filter }));
        expect(back.widthPx).toBe(img.widthPx);
        expect(back.heightPx).toBe(img.heightPx);
        expect(Buffer.from(back.rgb).equals(Buffer.from(img.rgb))).toBe(true);
      }),
      { numRuns: 120 },
    );
  });

  it("the adaptive filters make smooth images smaller than no filter", () => {
    const smooth = image(200, 100, (x, y) => [x, y, (x + y) >> 1]);
    expect(encodePng(smooth).length).toBeLessThan(encodePng(smooth, { filter: 0 }).length);
  });

  it("reads a PNG written by hand, chunk by chunk, with a text chunk it can skip", () => {
    // 2×1: red, blue; filter 1 (Sub) on the only row.
    const raw = Buffer.from([1, 255, 0, 0, (0 - 255) & 0xff, 0, 255]);
    const chunkOf = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
      const out = Buffer.alloc(8 + body.length);
      out.writeUInt32BE(data.length, 0);
      body.copy(out, 4);
      out.writeUInt32BE(crc32(body), 4 + body.length);
      return out;
    };
    const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    // The zlib stream split over two IDAT chunks, and an empty one: decoders must concatenate them.
    const stream = deflateSync(raw);
    const split = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunkOf("IHDR", ihdr),
      chunkOf("tEXt", Buffer.from("Comment\0hello", "latin1")),
      chunkOf("IDAT", stream.subarray(0, 5)),
      chunkOf("IDAT", Buffer.alloc(0)),
      chunkOf("IDAT", stream.subarray(5)),
      chunkOf("IEND", Buffer.alloc(0)),
    ]);
    expect(decodePng(split)).toEqual({ widthPx: 2, heightPx: 1, rgb: new Uint8Array([255, 0, 0, 0, 0, 255]) });
  });

  it("refuses what it cannot read, with the reason", () => {
    const png = encodePng(gradient);
    expect(() => decodePng(Buffer.from("GIF89a"))).toThrow(/signature/);
    const corrupt = Buffer.from(png);
    corrupt[45] = corrupt[45]! ^ 0xff; // inside IDAT's data
    expect(() => decodePng(corrupt)).toThrow(/CRC/);
    expect(() => decodePng(png.subarray(0, png.length - 12))).toThrow(/IEND/);
    const grey = Buffer.from(png);
    grey[25] = 0; // colour type: greyscale (the CRC then fails first, so fix it)
    grey.writeUInt32BE(crc32(grey.subarray(12, 29)), 29);
    expect(() => decodePng(grey)).toThrow(/8-bit RGB/);
  });

  it("refuses a buffer that does not match the size", () => {
    expect(() => encodePng({ widthPx: 2, heightPx: 2, rgb: new Uint8Array(11) })).toThrow(/12 bytes/);
    expect(() => encodePng({ widthPx: 0, heightPx: 2, rgb: new Uint8Array(0) })).toThrow(/positive/);
  });
});
