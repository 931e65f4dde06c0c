import { constantsSchema, defaultsOf, parseConstants, type ConstantSpec, type ConstantsOf, type ParsedConstants } from "./constants";

/** The "render" profile's constants (see render.ts), with no node: imports so the browser can use them. */

export const RENDER_CONSTANTS = {
  width: { kind: "number", integer: true, min: 16, max: 640, default: "160", description: "Frame width in pixels" },
  height: { kind: "number", integer: true, min: 16, max: 480, default: "120", description: "Frame height in pixels" },
  samples: { kind: "number", integer: true, min: 1, max: 16, default: "4", description: "Samples per pixel: more smooths edges and shadows, and costs proportionally" },
  orbitFrames: { kind: "number", integer: true, min: 1, max: 100_000, default: "120", description: "Frames in one full turn of the camera around the scene" },
} as const satisfies Record<string, ConstantSpec>;

export const RENDER_DEFAULTS = defaultsOf(RENDER_CONSTANTS);

export type RenderConstants = ConstantsOf<typeof RENDER_CONSTANTS>;

export const renderConstantsSchema = constantsSchema(RENDER_CONSTANTS);

export function parseRenderConstants(constants: Record<string, string>): ParsedConstants<RenderConstants> {
  return parseConstants(renderConstantsSchema, RENDER_CONSTANTS, constants);
}

/** `frame-0001.png`; wider numbers keep all their digits. */
export function frameFileName(frameNumber: number): string {
  return `frame-${String(frameNumber).padStart(4, "0")}.png`;
}
