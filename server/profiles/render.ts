import { ConstantsError } from "./constants";
import { encodePng } from "./png";
import { frameFileName, parseRenderConstants, type RenderConstants } from "./render-constants";

/**
 * The "render" profile's program: a small ray tracer. One instance renders one frame of a fixed
 * scene (spheres on a checkered floor, a lamp, a sky) while the camera orbits it; the frame is the
 * instance number, so instances 1–120 make a looping animation.
 *
 * Shading: ambient + Lambert diffuse + Blinn–Phong highlights, shadow rays towards the lamp, and
 * mirror reflections up to MAX_BOUNCES. With several samples per pixel the sub-pixel positions
 * follow a Halton sequence (anti-aliasing) and each sample aims at another point of the lamp's
 * disc, so shadows get soft edges. Deterministic: the same frame renders to the same bytes.
 */

// The constants live apart, free of node: imports, so that client components can use them too.
export { frameFileName, parseRenderConstants, RENDER_CONSTANTS, RENDER_DEFAULTS, renderConstantsSchema, type RenderConstants } from "./render-constants";

// ---------------------------------------------------------------------------------------------
// Scene

type Sphere = {
  cx: number; cy: number; cz: number; radius: number;
  r: number; g: number; b: number;
  specular: number; shininess: number; reflectivity: number;
  /** Metal: reflections take the surface's colour. */
  metal: boolean;
};

const SPHERES: readonly Sphere[] = [
  { cx: 0, cy: 1, cz: 0, radius: 1, r: 0.85, g: 0.18, b: 0.12, specular: 0.6, shininess: 60, reflectivity: 0.15, metal: false },
  { cx: -2.3, cy: 0.7, cz: 0.9, radius: 0.7, r: 0.2, g: 0.65, b: 0.25, specular: 0.15, shininess: 12, reflectivity: 0, metal: false },
  { cx: 2.1, cy: 0.6, cz: -0.7, radius: 0.6, r: 0.15, g: 0.3, b: 0.85, specular: 0.8, shininess: 120, reflectivity: 0.1, metal: false },
  { cx: 0.8, cy: 0.4, cz: 2.0, radius: 0.4, r: 0.95, g: 0.78, b: 0.35, specular: 0.9, shininess: 200, reflectivity: 0.55, metal: true },
  { cx: -0.9, cy: 0.3, cz: -2.2, radius: 0.3, r: 0.9, g: 0.9, b: 0.88, specular: 0.5, shininess: 40, reflectivity: 0, metal: false },
];

const LAMP = { x: 4, y: 7, z: 3, radius: 0.6, intensity: 1.0 };
const AMBIENT = 0.1;
const FLOOR_REFLECTIVITY = 0.06;
const MAX_BOUNCES = 2;
const EPSILON = 1e-4;
const FAR = 1e9;

const CAMERA = { orbitRadius: 7, height: 2.6, targetY: 0.7, verticalFovDeg: 45 };

// Halton low-discrepancy sequence: well-spread sub-pixel and lamp positions without randomness.
function halton(index: number, base: number): number {
  let f = 1;
  let result = 0;
  for (let i = index; i > 0; i = Math.floor(i / base)) {
    f /= base;
    result += f * (i % base);
  }
  return result;
}

// Scratch state of the last intersection, so the inner loop allocates nothing.
let hitT = FAR;
let hitSphere = -1; // -1: floor, -2: nothing

function intersect(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number): void {
  hitT = FAR;
  hitSphere = -2;
  for (let i = 0; i < SPHERES.length; i++) {
    const s = SPHERES[i]!;
    const lx = ox - s.cx;
    const ly = oy - s.cy;
    const lz = oz - s.cz;
    const b = lx * dx + ly * dy + lz * dz;
    const c = lx * lx + ly * ly + lz * lz - s.radius * s.radius;
    const disc = b * b - c;
    if (disc < 0) continue;
    const root = Math.sqrt(disc);
    let t = -b - root;
    if (t < EPSILON) t = -b + root;
    if (t > EPSILON && t < hitT) {
      hitT = t;
      hitSphere = i;
    }
  }
  // The floor: the plane y = 0, seen from above.
  if (dy < 0) {
    const t = -oy / dy;
    if (t > EPSILON && t < hitT) {
      hitT = t;
      hitSphere = -1;
    }
  }
}

/** Whether anything lies between a point and the lamp. Only spheres can: the lamp is above the floor. */
function occluded(px: number, py: number, pz: number, lx: number, ly: number, lz: number, distance: number): boolean {
  for (let i = 0; i < SPHERES.length; i++) {
    const s = SPHERES[i]!;
    const ox = px - s.cx;
    const oy = py - s.cy;
    const oz = pz - s.cz;
    const b = ox * lx + oy * ly + oz * lz;
    const c = ox * ox + oy * oy + oz * oz - s.radius * s.radius;
    const disc = b * b - c;
    if (disc < 0) continue;
    const t = -b - Math.sqrt(disc);
    if (t > EPSILON && t < distance) return true;
  }
  return false;
}

// The colour a ray returns, written here rather than allocated.
let outR = 0;
let outG = 0;
let outB = 0;

function sky(dy: number): void {
  const t = Math.max(0, dy);
  outR = 0.72 - 0.55 * t;
  outG = 0.8 - 0.45 * t;
  outB = 0.92 - 0.2 * t;
}

function trace(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, depth: number, lampX: number, lampY: number, lampZ: number): void {
  intersect(ox, oy, oz, dx, dy, dz);
  if (hitSphere === -2) {
    sky(dy);
    return;
  }
  const t = hitT;
  const isFloor = hitSphere === -1;
  const px = ox + t * dx;
  const py = oy + t * dy;
  const pz = oz + t * dz;
  let nx: number, ny: number, nz: number;
  let ar: number, ag: number, ab: number;
  let specular: number, shininess: number, reflectivity: number, metal: boolean;
  if (isFloor) {
    nx = 0; ny = 1; nz = 0;
    const checker = (Math.floor(px) + Math.floor(pz)) & 1;
    ar = checker ? 0.82 : 0.25; ag = checker ? 0.8 : 0.24; ab = checker ? 0.74 : 0.26;
    specular = 0.1; shininess = 20; reflectivity = FLOOR_REFLECTIVITY; metal = false;
  } else {
    const s = SPHERES[hitSphere]!;
    nx = (px - s.cx) / s.radius; ny = (py - s.cy) / s.radius; nz = (pz - s.cz) / s.radius;
    ar = s.r; ag = s.g; ab = s.b;
    specular = s.specular; shininess = s.shininess; reflectivity = s.reflectivity; metal = s.metal;
  }

  // Towards the lamp.
  let lx = lampX - px;
  let ly = lampY - py;
  let lz = lampZ - pz;
  const lampDistance = Math.sqrt(lx * lx + ly * ly + lz * lz);
  lx /= lampDistance; ly /= lampDistance; lz /= lampDistance;
  const lambert = nx * lx + ny * ly + nz * lz;
  let r = AMBIENT * ar;
  let g = AMBIENT * ag;
  let b = AMBIENT * ab;
  if (lambert > 0 && !occluded(px, py, pz, lx, ly, lz, lampDistance)) {
    const diffuse = lambert * LAMP.intensity;
    // Blinn–Phong: the half vector between the lamp and the eye.
    let hx = lx - dx, hy = ly - dy, hz = lz - dz;
    const hl = Math.sqrt(hx * hx + hy * hy + hz * hz);
    hx /= hl; hy /= hl; hz /= hl;
    const nh = Math.max(0, nx * hx + ny * hy + nz * hz);
    const highlight = specular * Math.pow(nh, shininess) * LAMP.intensity;
    r += diffuse * ar + highlight;
    g += diffuse * ag + highlight;
    b += diffuse * ab + highlight;
  }

  if (reflectivity > 0 && depth < MAX_BOUNCES) {
    const dn = dx * nx + dy * ny + dz * nz;
    // The nested trace overwrites the scratch hit state: everything needed from it is read above.
    trace(px, py, pz, dx - 2 * dn * nx, dy - 2 * dn * ny, dz - 2 * dn * nz, depth + 1, lampX, lampY, lampZ);
    r = r * (1 - reflectivity) + outR * reflectivity * (metal ? ar : 1);
    g = g * (1 - reflectivity) + outG * reflectivity * (metal ? ag : 1);
    b = b * (1 - reflectivity) + outB * reflectivity * (metal ? ab : 1);
  }

  if (isFloor || depth === 0) {
    // Haze with distance, so the floor's far checkers fade into the sky instead of aliasing.
    const haze = 1 - Math.exp(-((t / 40) ** 2));
    if (haze > 0.001) {
      const fr = r, fg = g, fb = b;
      sky(0);
      r = fr + (outR - fr) * haze;
      g = fg + (outG - fg) * haze;
      b = fb + (outB - fb) * haze;
    }
  }
  outR = r;
  outG = g;
  outB = b;
}

// Linear light to an sRGB byte.
function toByte(linear: number): number {
  const c = linear <= 0 ? 0 : linear >= 1 ? 1 : linear <= 0.0031308 ? 12.92 * linear : 1.055 * Math.pow(linear, 1 / 2.4) - 0.055;
  return Math.round(c * 255);
}

export type RenderedFrame = { widthPx: number; heightPx: number; rgb: Uint8Array };

/** Renders a frame to raw RGB (the PNG is made by renderFrame). Exposed for tests and the contact sheet's own checks. */
export function renderRgb(c: RenderConstants, frameNumber: number, onRow?: (rowsDone: number) => void): RenderedFrame {
  const { width, height, samples, orbitFrames } = c;
  const angle = (2 * Math.PI * (frameNumber - 1)) / orbitFrames;
  const ex = CAMERA.orbitRadius * Math.sin(angle);
  const ey = CAMERA.height;
  const ez = CAMERA.orbitRadius * Math.cos(angle);
  // Camera basis: forward towards the target, right and up perpendicular to it.
  let fx = -ex, fy = CAMERA.targetY - ey, fz = -ez;
  const fl = Math.sqrt(fx * fx + fy * fy + fz * fz);
  fx /= fl; fy /= fl; fz /= fl;
  let rx = -fz, rz = fx; // forward × world up (0, 1, 0)
  const rl = Math.sqrt(rx * rx + rz * rz);
  rx /= rl; rz /= rl;
  const ux = -rz * fy, uy = rz * fx - rx * fz, uz = rx * fy; // right × forward
  const halfHeight = Math.tan((CAMERA.verticalFovDeg * Math.PI) / 360);
  const halfWidth = (halfHeight * width) / height;

  // Per sample: a sub-pixel offset and a point on the lamp's disc (in the horizontal plane).
  const offsets: Array<{ sx: number; sy: number; lampX: number; lampZ: number }> = [];
  for (let s = 0; s < samples; s++) {
    const one = samples === 1;
    const radius = one ? 0 : LAMP.radius * Math.sqrt(halton(s + 1, 5));
    const theta = 2 * Math.PI * halton(s + 1, 7);
    offsets.push({
      sx: one ? 0.5 : halton(s + 1, 2),
      sy: one ? 0.5 : halton(s + 1, 3),
      lampX: LAMP.x + radius * Math.cos(theta),
      lampZ: LAMP.z + radius * Math.sin(theta),
    });
  }

  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0, g = 0, b = 0;
      for (const o of offsets) {
        const u = (2 * (x + o.sx) / width - 1) * halfWidth;
        const v = (1 - 2 * (y + o.sy) / height) * halfHeight;
        let dx = fx + u * rx + v * ux;
        let dy = fy + v * uy;
        let dz = fz + u * rz + v * uz;
        const dl = Math.sqrt(dx * dx + dy * dy + dz * dz);
        dx /= dl; dy /= dl; dz /= dl;
        trace(ex, ey, ez, dx, dy, dz, 0, o.lampX, LAMP.y, o.lampZ);
        r += outR; g += outG; b += outB;
      }
      const i = (y * width + x) * 3;
      rgb[i] = toByte(r / samples);
      rgb[i + 1] = toByte(g / samples);
      rgb[i + 2] = toByte(b / samples);
    }
    onRow?.(y + 1);
  }
  return { widthPx: width, heightPx: height, rgb };
}

/** Renders one frame to PNG. Throws ConstantsError on constants it cannot run with. */
export function renderFrame(constants: Record<string, string>, frameNumber: number): { png: Buffer; stdout: string[] } {
  if (!Number.isSafeInteger(frameNumber) || frameNumber < 0) throw new RangeError(`Frame number must be a non-negative integer: ${frameNumber}`);
  const parsed = parseRenderConstants(constants);
  if (!parsed.ok) throw new ConstantsError(parsed.errors);
  const c = parsed.value;
  const stdout: string[] = [];
  const say = (line: string) => stdout.push(`render: ${line}`);
  for (const name of parsed.unknown) say(`note: ignoring unknown constant "${name}"`);
  const turn = (((frameNumber - 1) % c.orbitFrames) + c.orbitFrames) % c.orbitFrames;
  say(`frame ${frameNumber} (${turn + 1} of ${c.orbitFrames} per turn), ${c.width}×${c.height}, ${c.samples} sample${c.samples === 1 ? "" : "s"} per pixel`);

  let nextQuarter = 1;
  const frame = renderRgb(c, frameNumber, (rows) => {
    while (nextQuarter <= 4 && rows >= (c.height * nextQuarter) / 4) {
      say(`${String(25 * nextQuarter).padStart(3)}% ${rows}/${c.height} rows`);
      nextQuarter += 1;
    }
  });
  // No elapsed times in the log: this process's clock is not the radiator's, whose run the platform times.
  const png = encodePng(frame);
  say(`wrote ${frameFileName(frameNumber)} (${png.length.toLocaleString("en-US")} bytes)`);
  return { png, stdout };
}
