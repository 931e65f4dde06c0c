import { describe, expect, it } from "vitest";
import { decodePng, readPngSize } from "./png";
import { ConstantsError } from "./constants";
import { frameFileName, parseRenderConstants, RENDER_DEFAULTS, renderConstantsSchema, renderFrame, renderRgb } from "./render";

const small = { width: "64", height: "48", samples: "1" };

function differingPixels(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 3) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) n++;
  return n;
}

describe("render constants", () => {
  it("default to a 160×120 frame, 4 samples, 120 frames per turn", () => {
    expect(RENDER_DEFAULTS).toEqual({ width: "160", height: "120", samples: "4", orbitFrames: "120" });
    const parsed = parseRenderConstants({});
    expect(parsed.ok && parsed.value).toEqual({ width: 160, height: 120, samples: 4, orbitFrames: 120 });
  });

  it("bound the size and the samples, naming the constant", () => {
    const parsed = parseRenderConstants({ width: "641", height: "0", samples: "17" });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors).toEqual([
      'Constant "width" must be at most 640 (got "641").',
      'Constant "height" must be at least 16 (got "0").',
      'Constant "samples" must be at most 16 (got "17").',
    ]);
    expect(renderConstantsSchema.safeParse({ width: "640", height: "480" }).success).toBe(true);
  });
});

describe("renderFrame", () => {
  it("writes a valid PNG of the requested size", () => {
    const { png, stdout } = renderFrame({ width: "80", height: "50", samples: "2" }, 1);
    expect(readPngSize(png)).toEqual({ widthPx: 80, heightPx: 50 });
    const image = decodePng(png);
    expect(image.rgb).toHaveLength(80 * 50 * 3);
    expect(stdout[0]).toBe("render: frame 1 (1 of 120 per turn), 80×50, 2 samples per pixel");
    expect(stdout.at(-1)).toMatch(/^render: wrote frame-0001\.png \(\d[\d,]* bytes\)$/);
    expect(stdout.some((l) => /\bms\b/.test(l))).toBe(false);
  });

  it("the camera moves: frame 1 differs from frame 60, and a full turn comes back", () => {
    const f1 = renderRgb(parseOk(small), 1).rgb;
    const f60 = renderRgb(parseOk(small), 60).rgb;
    expect(differingPixels(f1, f60)).toBeGreaterThan((64 * 48) / 4);
    const f121 = renderRgb(parseOk(small), 121).rgb;
    // The same angle up to rounding of 2π: at most a few pixels differ.
    expect(differingPixels(f1, f121)).toBeLessThan(20);
  });

  it("is deterministic", () => {
    expect(renderFrame(small, 7).png.equals(renderFrame(small, 7).png)).toBe(true);
  });

  it("draws a scene, not a blank: many distinct colours, sky at the top, floor at the bottom", () => {
    const { rgb, widthPx, heightPx } = renderRgb(parseOk({ width: "64", height: "48", samples: "2" }), 30);
    const colours = new Set<number>();
    for (let i = 0; i < rgb.length; i += 3) colours.add((rgb[i]! << 16) | (rgb[i + 1]! << 8) | rgb[i + 2]!);
    expect(colours.size).toBeGreaterThan(200);
    const top = rgb.subarray(0, widthPx * 3);
    const blueish = [...Array(widthPx).keys()].every((x) => top[x * 3 + 2]! > top[x * 3]!);
    expect(blueish).toBe(true);
    expect(heightPx).toBe(48);
  });

  it("more samples smooth the edges (a different image, same size)", () => {
    const one = renderRgb(parseOk(small), 10).rgb;
    const four = renderRgb(parseOk({ ...small, samples: "4" }), 10).rgb;
    expect(four).toHaveLength(one.length);
    expect(differingPixels(one, four)).toBeGreaterThan(0);
  });

  it("a default frame renders quickly (the simulator runs many)", () => {
    renderFrame({}, 2); // warm up the JIT
    const started = performance.now();
    renderFrame({}, 3);
    // ~50 ms on one core here; generous for slow CI machines.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("refuses bad constants and frame numbers", () => {
    expect(() => renderFrame({ width: "big" }, 1)).toThrow(ConstantsError);
    expect(() => renderFrame({}, -1)).toThrow(/Frame number/);
    expect(() => renderFrame({}, 1.5)).toThrow(/Frame number/);
  });

  it("names frames with four digits, more when needed", () => {
    expect(frameFileName(1)).toBe("frame-0001.png");
    expect(frameFileName(120)).toBe("frame-0120.png");
    expect(frameFileName(123456)).toBe("frame-123456.png");
  });
});

function parseOk(constants: Record<string, string>) {
  const parsed = parseRenderConstants(constants);
  if (!parsed.ok) throw new Error(parsed.errors.join(" "));
  return parsed.value;
}
