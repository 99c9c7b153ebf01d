import { type Measurement, measure } from "./measure.js";
import type { BenchContext, Contender, Role, Scenario } from "./scenario.js";
import { roundOrder, type Summary, summarize } from "./stats.js";
import { workerReport } from "./verify.js";
import { EXIT_UNAVAILABLE } from "./workers/spec.js";

export interface Sample {
  wallMs: number;
  cpuMs: number;
  maxRssKb: number;
  metrics: Record<string, number>;
}

export interface ContenderResult {
  name: string;
  role: Role;
  /** Why it did not run: missing tool or API ("not available yet …"), or a failed warm-up run. */
  unavailable?: string;
  samples: Sample[];
  /** Rounds whose output was wrong; they are not in the figures. */
  errors: string[];
  wall: Summary;
  cpu: Summary;
  rss: Summary;
  metrics: Record<string, Summary>;
}

export interface ScenarioResult {
  id: string;
  title: string;
  bytes?: number;
  rounds: number;
  contenders: ContenderResult[];
}

export type Log = (line: string) => void;

async function runOnce(contender: Contender): Promise<{ run: Measurement; problem: string | undefined }> {
  await contender.prepare?.();
  const run = await measure(contender.command);
  return { run, problem: await contender.verify(run) };
}

function sampleOf(run: Measurement): Sample {
  return {
    wallMs: run.wallMs,
    cpuMs: run.userMs + run.sysMs,
    maxRssKb: run.maxRssKb,
    metrics: workerReport(run.stdout),
  };
}

export function summarizeContender(
  base: Pick<ContenderResult, "name" | "role" | "unavailable">,
  samples: Sample[],
  errors: string[],
): ContenderResult {
  const metricNames = [...new Set(samples.flatMap((s) => Object.keys(s.metrics)))];
  return {
    ...base,
    samples,
    errors,
    wall: summarize(samples.map((s) => s.wallMs)),
    cpu: summarize(samples.map((s) => s.cpuMs)),
    rss: summarize(samples.map((s) => s.maxRssKb / 1024)),
    metrics: Object.fromEntries(
      metricNames.map((name) => [
        name,
        summarize(samples.flatMap((s) => (s.metrics[name] === undefined ? [] : [s.metrics[name]]))),
      ]),
    ),
  };
}

/**
 * One warm-up run per contender (not recorded; it also finds contenders that cannot run), then
 * `rounds` rounds in which every runnable contender runs once, in an order rotated per round.
 */
export async function runScenario(
  scenario: Scenario,
  ctx: BenchContext,
  rounds: number,
  log: Log,
): Promise<ScenarioResult> {
  log(`\n== ${scenario.title}`);
  const plan = await scenario.plan(ctx);
  const unavailable = new Map<Contender, string>();
  try {
    for (const contender of plan.contenders) {
      if (contender.unavailable) {
        unavailable.set(contender, contender.unavailable);
        continue;
      }
      const { run, problem } = await runOnce(contender);
      if (run.exitCode === EXIT_UNAVAILABLE && run.stdout.startsWith("not available yet")) {
        unavailable.set(contender, run.stdout.trim().split("\n")[0] ?? "not available yet");
      } else if (problem) {
        unavailable.set(contender, `failed: ${problem}`);
      }
      log(`   warm-up ${contender.name}: ${unavailable.get(contender) ?? `${run.wallMs.toFixed(0)} ms`}`);
    }
    const runnable = plan.contenders.filter((c) => !unavailable.has(c));
    const samples = new Map<Contender, Sample[]>(runnable.map((c) => [c, []]));
    const errors = new Map<Contender, string[]>(runnable.map((c) => [c, []]));
    for (let round = 0; round < rounds; round++) {
      const line: string[] = [];
      for (const contender of roundOrder(runnable, round)) {
        const { run, problem } = await runOnce(contender);
        if (problem) errors.get(contender)?.push(problem);
        else samples.get(contender)?.push(sampleOf(run));
        line.push(
          `${contender.name.split(" ").slice(0, 2).join(" ")} ${problem ? "ERROR" : `${run.wallMs.toFixed(0)}ms`}`,
        );
      }
      log(`   round ${round + 1}/${rounds}: ${line.join(", ")}`);
    }
    return {
      id: scenario.id,
      title: scenario.title,
      ...(scenario.bytes === undefined ? {} : { bytes: scenario.bytes }),
      rounds,
      contenders: plan.contenders.map((c) => {
        const reason = unavailable.get(c);
        return summarizeContender(
          { name: c.name, role: c.role, ...(reason === undefined ? {} : { unavailable: reason }) },
          samples.get(c) ?? [],
          errors.get(c) ?? [],
        );
      }),
    };
  } finally {
    await plan.teardown?.();
  }
}
