import { encodePng } from './png-encoder.js';

type Rgb = readonly [number, number, number];

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
/** 0 outside, 1 inside, a one-pixel ramp across the edge (`d` = signed distance, negative inside). */
const coverage = (d: number): number => Math.min(1, Math.max(0, 0.5 - d));

const SKY_TOP: Rgb = [88, 178, 235];
const SKY_LOW: Rgb = [214, 240, 252];
const SUN: Rgb = [255, 214, 90];
const FAR_HILL: Rgb = [122, 190, 140];
const NEAR_HILL: Rgb = [7, 193, 96]; // WeChat green
const LAKE: Rgb = [120, 196, 230];

/**
 * The picture the demo AI "draws": a small landscape (sky, sun, hills, lake), 480×300 PNG. Drawn in code so the
 * demo needs no binary asset and no image library.
 */
export function demoPicture(width = 480, height = 300): Buffer {
  const rgb = new Uint8Array(width * height * 3);
  const sun = { x: width * 0.74, y: height * 0.3, r: height * 0.11 };
  const horizon = height * 0.74;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let c = mix(SKY_TOP, SKY_LOW, y / horizon);
      c = mix(c, SUN, coverage(Math.hypot(x - sun.x, y - sun.y) - sun.r));
      const far = height * 0.5 + Math.sin(x / width * 5.2 + 0.6) * height * 0.07 + Math.sin(x / width * 13) * height * 0.015;
      c = mix(c, FAR_HILL, coverage(far - y));
      const near = height * 0.64 + Math.sin(x / width * 3.1 + 2.2) * height * 0.06;
      c = mix(c, NEAR_HILL, coverage(near - y));
      if (y >= horizon) {
        const depth = (y - horizon) / (height - horizon);
        c = mix(LAKE, SKY_TOP, Math.min(1, depth * 0.8 + 0.06 * Math.sin(y * 0.9 + Math.sin(x * 0.05) * 2)));
        // The sun's reflection: broken horizontal streaks under it.
        const streak = Math.abs(x - sun.x) < sun.r * (1 - depth * 0.6) && Math.sin(y * 1.3) > 0.2;
        if (streak) c = mix(c, SUN, 0.55 * (1 - depth));
      }
      const i = (y * width + x) * 3;
      rgb[i] = Math.round(c[0]);
      rgb[i + 1] = Math.round(c[1]);
      rgb[i + 2] = Math.round(c[2]);
    }
  }
  return encodePng(width, height, rgb);
}
