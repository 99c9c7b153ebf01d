import { editDistance } from "../internal/edit-distance.js";

/**
 * The candidate `word` is most likely a misspelling of, if any is close enough: case and `_`
 * differences are free; beyond that 1 edit for short names (≤ 5 letters), 2 for longer ones.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const flat = (s: string) => s.replaceAll("_", "").toLowerCase();
  const target = flat(word);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(target, flat(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = target.length <= 5 ? 1 : 2;
  return best !== undefined && bestDistance <= allowed ? best : undefined;
}
