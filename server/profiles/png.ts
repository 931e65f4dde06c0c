import { deflateSync, inflateSync } from "node:zlib";

/**
 * A minimal PNG codec for what the profiles make: 8-bit RGB, not interlaced. The encoder picks a
 * filter per row like libpng does; the decoder reads any of the five filters, so it also reads
 * files other tools wrote in this format.
 */

export type RgbImage = {
  widthPx: number;
  heightPx: number;
  /** Row-major RGB triplets, widthPx × heightPx × 3 bytes. */
  rgb: Uint8Array;
};

export type PngFilter = 0 | 1 | 2 | 3 | 4;

/** Refused beyond this, before allocating: a corrupt or hostile header cannot ask for gigabytes. */
export const MAX_PNG_PIXELS = 64 * 1024 * 1024;

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS = 3;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as PNG and zlib use it) of bytes, continuing from `crc` when given. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

function assertImage(image: RgbImage): void {
  const { widthPx, heightPx, rgb } = image;
  if (!Number.isSafeInteger(widthPx) || widthPx < 1 || !Number.isSafeInteger(heightPx) || heightPx < 1) {
    throw new RangeError(`Image size must be positive integers: ${widthPx}×${heightPx}`);
  }
  if (widthPx * heightPx > MAX_PNG_PIXELS) throw new RangeError(`Image too large: ${widthPx}×${heightPx}`);
  if (rgb.length !== widthPx * heightPx * CHANNELS) {
    throw new RangeError(`Expected ${widthPx * heightPx * CHANNELS} bytes of RGB for ${widthPx}×${heightPx}, got ${rgb.length}`);
  }
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Filters one row into `out` (without the filter-type byte) and returns the row's cost: the sum
 * of the filtered bytes read as signed. `prev` is the row above, or zeros. One loop per filter
 * type: a switch per byte costs more than the filtering.
 */
function filterRow(filter: PngFilter, row: Uint8Array, prev: Uint8Array, out: Uint8Array): number {
  const n = row.length;
  const c = CHANNELS;
  switch (filter) {
    case 0:
      out.set(row);
      break;
    case 1:
      for (let i = 0; i < c; i++) out[i] = row[i]!;
      for (let i = c; i < n; i++) out[i] = (row[i]! - row[i - c]!) & 0xff;
      break;
    case 2:
      for (let i = 0; i < n; i++) out[i] = (row[i]! - prev[i]!) & 0xff;
      break;
    case 3:
      for (let i = 0; i < c; i++) out[i] = (row[i]! - (prev[i]! >>> 1)) & 0xff;
      for (let i = c; i < n; i++) out[i] = (row[i]! - ((row[i - c]! + prev[i]!) >>> 1)) & 0xff;
      break;
    default:
      for (let i = 0; i < c; i++) out[i] = (row[i]! - prev[i]!) & 0xff; // Paeth with a = c = 0 picks b
      for (let i = c; i < n; i++) out[i] = (row[i]! - paeth(row[i - c]!, prev[i]!, prev[i - c]!)) & 0xff;
  }
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const v = out[i]!;
    cost += v < 128 ? v : 256 - v;
  }
  return cost;
}

/**
 * Encodes 8-bit RGB as PNG. By default each row gets the filter whose output has the smallest sum
 * of absolute (signed) bytes, the heuristic the PNG specification suggests; `filter` forces one.
 */
export function encodePng(image: RgbImage, options: { filter?: PngFilter | "adaptive"; level?: number } = {}): Buffer {
  assertImage(image);
  const { widthPx, heightPx, rgb } = image;
  const stride = widthPx * CHANNELS;
  const raw = Buffer.alloc((stride + 1) * heightPx);
  const zeros = new Uint8Array(stride);
  const candidate = new Uint8Array(stride);
  const filters: PngFilter[] = options.filter === undefined || options.filter === "adaptive" ? [0, 1, 2, 3, 4] : [options.filter];

  for (let y = 0; y < heightPx; y++) {
    const row = rgb.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? rgb.subarray((y - 1) * stride, y * stride) : zeros;
    const target = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    let best = Infinity;
    for (const f of filters) {
      const cost = filterRow(f, row, prev, candidate);
      if (cost < best) {
        best = cost;
        raw[y * (stride + 1)] = f;
        target.set(candidate);
      }
    }
  }

  const header = Buffer.alloc(13);
  header.writeUInt32BE(widthPx, 0);
  header.writeUInt32BE(heightPx, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method: adaptive, five types
  header[12] = 0; // no interlace
  return Buffer.concat([
    SIGNATURE,
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: options.level ?? 6 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/** Width and height from the header alone, without inflating. */
export function readPngSize(png: Uint8Array): { widthPx: number; heightPx: number } {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.length < 33 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error("Not a PNG file: bad signature");
  if (buf.toString("latin1", 12, 16) !== "IHDR") throw new Error("Not a PNG file: IHDR is not the first chunk");
  return { widthPx: buf.readUInt32BE(16), heightPx: buf.readUInt32BE(20) };
}

/** Decodes an 8-bit RGB, non-interlaced PNG; checks every chunk's CRC. Anything else is refused with a reason. */
export function decodePng(png: Uint8Array): RgbImage {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error("Not a PNG file: bad signature");

  let widthPx = 0;
  let heightPx = 0;
  let sawHeader = false;
  let sawEnd = false;
  const idat: Buffer[] = [];
  let offset = 8;
  while (offset < buf.length && !sawEnd) {
    if (offset + 12 > buf.length) throw new Error("Corrupt PNG: truncated chunk");
    const length = buf.readUInt32BE(offset);
    const type = buf.toString("latin1", offset + 4, offset + 8);
    const dataEnd = offset + 8 + length;
    if (dataEnd + 4 > buf.length) throw new Error(`Corrupt PNG: chunk ${type} runs past the end`);
    if (crc32(buf.subarray(offset + 4, dataEnd)) !== buf.readUInt32BE(dataEnd)) throw new Error(`Corrupt PNG: bad CRC in chunk ${type}`);
    const data = buf.subarray(offset + 8, dataEnd);
    if (!sawHeader && type !== "IHDR") throw new Error("Corrupt PNG: IHDR is not the first chunk");
    if (type === "IHDR") {
      if (length !== 13) throw new Error("Corrupt PNG: IHDR has the wrong length");
      widthPx = data.readUInt32BE(0);
      heightPx = data.readUInt32BE(4);
      const [depth, colour, compression, filterMethod, interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || colour !== 2) throw new Error(`Unsupported PNG: only 8-bit RGB is read (bit depth ${depth}, colour type ${colour})`);
      if (compression !== 0 || filterMethod !== 0) throw new Error("Unsupported PNG: unknown compression or filter method");
      if (interlace !== 0) throw new Error("Unsupported PNG: interlaced");
      if (widthPx < 1 || heightPx < 1 || widthPx * heightPx > MAX_PNG_PIXELS) throw new Error(`Unsupported PNG: size ${widthPx}×${heightPx}`);
      sawHeader = true;
    } else if (type === "IDAT") {
      idat.push(data);
    } else if (type === "IEND") {
      sawEnd = true;
    } else if ((type.charCodeAt(0) & 0x20) === 0) {
      // Upper-case first letter: a critical chunk we do not know (PLTE has no place in RGB here).
      throw new Error(`Unsupported PNG: critical chunk ${type}`);
    }
    offset = dataEnd + 4;
  }
  if (!sawHeader) throw new Error("Corrupt PNG: no IHDR");
  if (!sawEnd) throw new Error("Corrupt PNG: no IEND");
  if (idat.length === 0) throw new Error("Corrupt PNG: no IDAT");

  const stride = widthPx * CHANNELS;
  const expected = (stride + 1) * heightPx;
  let raw: Buffer;
  try {
    // The cap stops a small file from inflating into gigabytes.
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch (error) {
    throw new Error(`Corrupt PNG: image data does not inflate (${(error as Error).message})`);
  }
  if (raw.length !== expected) throw new Error(`Corrupt PNG: ${raw.length} bytes of image data, expected ${expected}`);

  const rgb = new Uint8Array(stride * heightPx);
  for (let y = 0; y < heightPx; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    for (let i = 0; i < stride; i++) {
      const x = raw[src + i]!;
      const a = i >= CHANNELS ? rgb[dst + i - CHANNELS]! : 0;
      const b = y > 0 ? rgb[dst - stride + i]! : 0;
      const c = y > 0 && i >= CHANNELS ? rgb[dst - stride + i - CHANNELS]! : 0;
      let predicted: number;
      switch (filter) {
        case 0: predicted = 0; break;
        case 1: predicted = a; break;
        case 2: predicted = b; break;
        case 3: predicted = (a + b) >>> 1; break;
        case 4: predicted = paeth(a, b, c); break;
        default: throw new Error(`Corrupt PNG: unknown filter type ${filter} on row ${y}`);
      }
      rgb[dst + i] = (x + predicted) & 0xff;
    }
  }
  return { widthPx, heightPx, rgb };
}
