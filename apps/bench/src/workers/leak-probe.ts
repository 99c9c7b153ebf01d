import { collectGarbage, rssMb } from "./spec.js";

/** What the leak scenario reports: memory before and after the measured commands, after GC. */
export interface LeakReport extends Record<string, number> {
  rssBeforeMb: number;
  rssAfterMb: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  /** Least-squares RSS slope over the samples, in MiB per 1,000 commands. */
  rssSlopeMbPer1k: number;
  ok: number;
}

const SAMPLES = 10;

function heapMb(): number {
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Slope of y over x by least squares. */
function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Runs `warmup` commands (V8 tiers up and the allocator settles over the first ~1,000 here), then
 * `count` more, sampling RSS after GC at SAMPLES evenly spaced points. A per-command leak shows as
 * growth of the heap and a steady RSS slope; a one-off plateau does not.
 */
export async function probeLeak(
  runOne: () => Promise<boolean>,
  count: number,
  warmup: number,
): Promise<LeakReport> {
  for (let i = 0; i < warmup; i++) await runOne();
  collectGarbage();
  const rssBeforeMb = rssMb();
  const heapBeforeMb = heapMb();
  const at: number[] = [0];
  const rss: number[] = [rssBeforeMb];
  const every = Math.max(1, Math.floor(count / SAMPLES));
  let ok = 0;
  for (let i = 1; i <= count; i++) {
    if (await runOne()) ok++;
    if (i % every === 0 || i === count) {
      collectGarbage();
      at.push(i);
      rss.push(rssMb());
    }
  }
  return {
    rssBeforeMb,
    rssAfterMb: rss.at(-1)!,
    heapBeforeMb,
    heapAfterMb: heapMb(),
    rssSlopeMbPer1k: slope(at, rss) * 1000,
    ok,
  };
}
