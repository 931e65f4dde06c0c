import { decodePng, encodePng, readPngSize, type RgbImage } from "./png";

/**
 * The consolidated result of a render task: every frame as a thumbnail on one PNG, in frame
 * order, numbered when the thumbnails are large enough to read a number under them. The sheet has
 * a bounded size whatever the frame count: thumbnails shrink down to MIN_THUMB_WIDTH_PX, and past
 * that (or past maxFrames) the first frames are shown with a note: "10000 OF 25000 FRAMES SHOWN".
 */

export const CONTACT_SHEET_LIMITS = {
  maxWidthPx: 1600,
  maxHeightPx: 1600,
  maxFrames: 10_000,
  minThumbWidthPx: 8,
} as const;

export type ContactSheetOptions = {
  /** At most CONTACT_SHEET_LIMITS.maxWidthPx (the default). */
  maxWidthPx?: number;
  /** At most CONTACT_SHEET_LIMITS.maxHeightPx (the default). */
  maxHeightPx?: number;
  /** Frame numbers under the thumbnails, when they fit. Default true. */
  labels?: boolean;
  /** At most CONTACT_SHEET_LIMITS.maxFrames (the default). */
  maxFrames?: number;
};

export type ContactSheetLayout = {
  widthPx: number;
  heightPx: number;
  columns: number;
  rows: number;
  thumbWidthPx: number;
  thumbHeightPx: number;
  gapPx: number;
  /** 0 when frame numbers are not drawn. */
  labelHeightPx: number;
  /** 0 when every frame is shown. */
  noteHeightPx: number;
  shown: number;
  omitted: number;
};

const BACKGROUND = [32, 32, 36] as const;
const INK = [200, 200, 205] as const;
const MISSING = [110, 30, 30] as const;

// A 3×5 pixel font, just the characters the sheet writes.
const GLYPHS: Record<string, readonly string[]> = {
  "0": ["###", "#.#", "#.#", "#.#", "###"],
  "1": [".#.", "##.", ".#.", ".#.", "###"],
  "2": ["###", "..#", "###", "#..", "###"],
  "3": ["###", "..#", ".##", "..#", "###"],
  "4": ["#.#", "#.#", "###", "..#", "..#"],
  "5": ["###", "#..", "###", "..#", "###"],
  "6": ["###", "#..", "###", "#.#", "###"],
  "7": ["###", "..#", "..#", ".#.", ".#."],
  "8": ["###", "#.#", "###", "#.#", "###"],
  "9": ["###", "#.#", "###", "..#", "###"],
  A: [".#.", "#.#", "###", "#.#", "#.#"],
  E: ["###", "#..", "##.", "#..", "###"],
  F: ["###", "#..", "##.", "#..", "#.."],
  G: [".##", "#..", "#.#", "#.#", ".##"],
  H: ["#.#", "#.#", "###", "#.#", "#.#"],
  I: ["###", ".#.", ".#.", ".#.", "###"],
  M: ["#.#", "###", "###", "#.#", "#.#"],
  N: ["##.", "#.#", "#.#", "#.#", "#.#"],
  O: [".#.", "#.#", "#.#", "#.#", ".#."],
  R: ["##.", "#.#", "##.", "#.#", "#.#"],
  S: [".##", "#..", ".#.", "..#", "##."],
  W: ["#.#", "#.#", "#.#", "###", "#.#"],
  " ": ["...", "...", "...", "...", "..."],
};
const GLYPH_W = 3;
const GLYPH_H = 5;

function textWidthPx(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH_W + 1) - 1) * scale;
}

function drawText(sheet: RgbImage, text: string, left: number, top: number, scale: number): void {
  let x0 = left;
  for (const ch of text) {
    const glyph = GLYPHS[ch] ?? GLYPHS[" "]!;
    for (let gy = 0; gy < GLYPH_H; gy++) {
      for (let gx = 0; gx < GLYPH_W; gx++) {
        if (glyph[gy]![gx] !== "#") continue;
        fillRect(sheet, x0 + gx * scale, top + gy * scale, scale, scale, INK);
      }
    }
    x0 += (GLYPH_W + 1) * scale;
  }
}

function fillRect(sheet: RgbImage, left: number, top: number, w: number, h: number, colour: readonly [number, number, number]): void {
  const x1 = Math.min(sheet.widthPx, left + w);
  const y1 = Math.min(sheet.heightPx, top + h);
  for (let y = Math.max(0, top); y < y1; y++) {
    for (let x = Math.max(0, left); x < x1; x++) sheet.rgb.set(colour, (y * sheet.widthPx + x) * 3);
  }
}

/** Area-average downscale of `src` into the sheet at (left, top), `w`×`h` pixels. Upscaling repeats pixels. */
function drawScaled(sheet: RgbImage, src: RgbImage, left: number, top: number, w: number, h: number): void {
  const xFrom = new Int32Array(w);
  const xTo = new Int32Array(w);
  for (let x = 0; x < w; x++) {
    xFrom[x] = Math.floor((x * src.widthPx) / w);
    xTo[x] = Math.max(xFrom[x]! + 1, Math.floor(((x + 1) * src.widthPx) / w));
  }
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * src.heightPx) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * src.heightPx) / h));
    const out = ((top + y) * sheet.widthPx + left) * 3;
    for (let x = 0; x < w; x++) {
      let r = 0, g = 0, b = 0;
      const x0 = xFrom[x]!, x1 = xTo[x]!;
      for (let sy = y0; sy < y1; sy++) {
        let i = (sy * src.widthPx + x0) * 3;
        for (let sx = x0; sx < x1; sx++, i += 3) {
          r += src.rgb[i]!;
          g += src.rgb[i + 1]!;
          b += src.rgb[i + 2]!;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      sheet.rgb[out + x * 3] = Math.round(r / n);
      sheet.rgb[out + x * 3 + 1] = Math.round(g / n);
      sheet.rgb[out + x * 3 + 2] = Math.round(b / n);
    }
  }
}

function labelScale(thumbWidthPx: number): number {
  return thumbWidthPx >= 96 ? 2 : 1;
}

function noteText(shown: number, total: number): string {
  return `${shown} OF ${total} FRAMES SHOWN`;
}

/**
 * Where everything goes, without touching a pixel: the largest thumbnail (never larger than the
 * frame) such that all frames fit the bounds, or, when even the smallest thumbnails do not, as
 * many frames as fit and a note.
 */
export function planContactSheet(frameCount: number, frameWidthPx: number, frameHeightPx: number, options: ContactSheetOptions = {}): ContactSheetLayout {
  if (!Number.isSafeInteger(frameCount) || frameCount < 1) throw new RangeError(`A contact sheet needs at least one frame: ${frameCount}`);
  if (!Number.isSafeInteger(frameWidthPx) || !Number.isSafeInteger(frameHeightPx) || frameWidthPx < 1 || frameHeightPx < 1) throw new RangeError(`Frame size must be positive: ${frameWidthPx}×${frameHeightPx}`);
  const maxW = Math.min(options.maxWidthPx ?? CONTACT_SHEET_LIMITS.maxWidthPx, CONTACT_SHEET_LIMITS.maxWidthPx);
  const maxH = Math.min(options.maxHeightPx ?? CONTACT_SHEET_LIMITS.maxHeightPx, CONTACT_SHEET_LIMITS.maxHeightPx);
  const maxFrames = Math.min(options.maxFrames ?? CONTACT_SHEET_LIMITS.maxFrames, CONTACT_SHEET_LIMITS.maxFrames);
  if (!(maxW >= 256 && maxH >= 64 && maxFrames >= 1)) throw new RangeError("The contact sheet's bounds are too small: at least 256×64 px");
  const labels = options.labels ?? true;
  // The note is written twice the font's size when that fits the width.
  const noteScale = textWidthPx(noteText(frameCount, frameCount), 2) + 8 <= maxW ? 2 : 1;
  const noteHeightFor = (omitted: number) => (omitted > 0 ? GLYPH_H * noteScale + 8 : 0);

  // Thumbnails are sized by their long side, so very tall or very wide frames shrink too.
  const landscape = frameWidthPx >= frameHeightPx;
  const thumbSize = (longSidePx: number) =>
    landscape
      ? { w: longSidePx, h: Math.max(1, Math.round((longSidePx * frameHeightPx) / frameWidthPx)) }
      : { w: Math.max(1, Math.round((longSidePx * frameWidthPx) / frameHeightPx)), h: longSidePx };

  const layoutFor = (longSidePx: number, count: number, omitted: number): ContactSheetLayout => {
    const { w: thumbWidthPx, h: thumbHeightPx } = thumbSize(longSidePx);
    const gapPx = thumbWidthPx >= 40 ? 4 : 1;
    // A label needs room for five digits; large thumbnails get larger digits.
    const labelHeightPx = labels && thumbWidthPx >= 32 ? GLYPH_H * labelScale(thumbWidthPx) + 3 : 0;
    const columns = Math.max(1, Math.min(count, Math.floor((maxW - gapPx) / (thumbWidthPx + gapPx))));
    const rows = Math.ceil(count / columns);
    const noteHeightPx = noteHeightFor(omitted);
    const noteWidthPx = omitted > 0 ? textWidthPx(noteText(count, count + omitted), noteScale) + 8 : 0;
    return {
      widthPx: Math.max(gapPx + columns * (thumbWidthPx + gapPx), noteWidthPx),
      heightPx: gapPx + rows * (thumbHeightPx + labelHeightPx + gapPx) + noteHeightPx,
      columns,
      rows,
      thumbWidthPx,
      thumbHeightPx,
      gapPx,
      labelHeightPx,
      noteHeightPx,
      shown: count,
      omitted,
    };
  };
  const fits = (layout: ContactSheetLayout) => layout.widthPx <= maxW && layout.heightPx <= maxH;

  const shown = Math.min(frameCount, maxFrames);
  // Never larger than the frame itself.
  const largest = Math.max(frameWidthPx, frameHeightPx);
  const smallest = Math.min(largest, CONTACT_SHEET_LIMITS.minThumbWidthPx);
  for (let side = largest; side >= smallest; side--) {
    const layout = layoutFor(side, shown, frameCount - shown);
    if (fits(layout)) return layout;
  }
  // Even the smallest thumbnails overflow: show the rows that fit, and say so.
  for (let side = smallest; side >= 1; side--) {
    const probe = layoutFor(side, shown, 1);
    const rowHeight = probe.thumbHeightPx + probe.labelHeightPx + probe.gapPx;
    const rowsThatFit = Math.floor((maxH - probe.gapPx - probe.noteHeightPx) / rowHeight);
    if (rowsThatFit < 1) continue;
    const fitting = Math.min(shown, rowsThatFit * probe.columns);
    const layout = layoutFor(side, fitting, frameCount - fitting);
    if (fits(layout)) return layout;
  }
  // Only a frame of extreme proportions gets here: one thumbnail, one pixel on its short side.
  return layoutFor(1, 1, frameCount - 1);
}

/**
 * Builds the sheet as PNG from the frames' PNGs (any order; a frame number given twice is drawn
 * once). The layout follows the first frame's size; a frame that does not decode is drawn as a
 * dark red tile rather than failing the whole sheet.
 */
export function buildContactSheet(frames: ReadonlyArray<{ frameNumber: number; png: Uint8Array }>, options: ContactSheetOptions = {}): Buffer {
  const seen = new Set<number>();
  const ordered = [...frames].sort((a, b) => a.frameNumber - b.frameNumber).filter((f) => !seen.has(f.frameNumber) && seen.add(f.frameNumber));
  if (ordered.length === 0) throw new RangeError("A contact sheet needs at least one frame");

  let size = { widthPx: 4, heightPx: 3 };
  for (const frame of ordered) {
    try {
      size = readPngSize(frame.png);
      break;
    } catch {
      // Try the next frame for the size; this one becomes a red tile.
    }
  }
  const layout = planContactSheet(ordered.length, size.widthPx, size.heightPx, options);
  const sheet: RgbImage = { widthPx: layout.widthPx, heightPx: layout.heightPx, rgb: new Uint8Array(layout.widthPx * layout.heightPx * 3) };
  fillRect(sheet, 0, 0, sheet.widthPx, sheet.heightPx, BACKGROUND);

  const cellHeight = layout.thumbHeightPx + layout.labelHeightPx + layout.gapPx;
  for (let i = 0; i < layout.shown; i++) {
    const frame = ordered[i]!;
    const left = layout.gapPx + (i % layout.columns) * (layout.thumbWidthPx + layout.gapPx);
    const top = layout.gapPx + Math.floor(i / layout.columns) * cellHeight;
    let image: RgbImage | null = null;
    try {
      image = decodePng(frame.png);
    } catch {
      image = null;
    }
    if (image) {
      // Fit inside the cell keeping the frame's own proportions, centred.
      const scale = Math.min(layout.thumbWidthPx / image.widthPx, layout.thumbHeightPx / image.heightPx);
      const w = Math.max(1, Math.min(layout.thumbWidthPx, Math.round(image.widthPx * scale)));
      const h = Math.max(1, Math.min(layout.thumbHeightPx, Math.round(image.heightPx * scale)));
      drawScaled(sheet, image, left + ((layout.thumbWidthPx - w) >> 1), top + ((layout.thumbHeightPx - h) >> 1), w, h);
    } else {
      fillRect(sheet, left, top, layout.thumbWidthPx, layout.thumbHeightPx, MISSING);
    }
    if (layout.labelHeightPx > 0) {
      const label = String(frame.frameNumber);
      const scale = labelScale(layout.thumbWidthPx);
      const labelLeft = left + Math.max(0, (layout.thumbWidthPx - textWidthPx(label, scale)) >> 1);
      drawText(sheet, label, labelLeft, top + layout.thumbHeightPx + 2, scale);
    }
  }
  if (layout.omitted > 0) {
    const scale = (layout.noteHeightPx - 8) / GLYPH_H;
    drawText(sheet, noteText(layout.shown, layout.shown + layout.omitted), 4, layout.heightPx - layout.noteHeightPx + 4, scale);
  }
  return encodePng(sheet);
}
