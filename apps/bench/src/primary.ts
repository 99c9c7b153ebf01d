import type { ContenderResult, ScenarioResult } from "./runner.js";

/**
 * The row that speaks for fabric-ts in ratios and targets: the public API when it ran, otherwise
 * the ssh-core stand-in (which bounds what fabric-ts can reach).
 */
export function primaryRow(scenario: ScenarioResult): ContenderResult | undefined {
  const measured = (c: ContenderResult) => c.samples.length > 0;
  return (
    scenario.contenders.find((c) => c.role === "fabric-ts" && measured(c)) ??
    scenario.contenders.find((c) => c.role === "stand-in" && measured(c))
  );
}

export function findRow(scenario: ScenarioResult | undefined, prefix: string): ContenderResult | undefined {
  return scenario?.contenders.find((c) => c.name.startsWith(prefix) && c.samples.length > 0);
}

/** MiB/s for a run that moved `bytes` in `ms`. */
export function throughput(bytes: number, ms: number): number {
  return bytes / 1024 / 1024 / (ms / 1000);
}
