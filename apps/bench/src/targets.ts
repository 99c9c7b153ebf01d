import { findRow, primaryRow, throughput } from "./primary.js";
import type { ContenderResult, ScenarioResult } from "./runner.js";

export type TargetStatus = "met" | "not met" | "no data";

export interface TargetCheck {
  scenario: string;
  target: string;
  measured: string;
  status: TargetStatus;
  /** Which row stood for fabric-ts. */
  by: string;
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

function check(
  scenario: ScenarioResult | undefined,
  target: string,
  evaluate: (
    primary: ContenderResult,
    s: ScenarioResult,
  ) => { value: number; measured: string; ok: boolean } | undefined,
): TargetCheck {
  const primary = scenario ? primaryRow(scenario) : undefined;
  const outcome = primary && scenario ? evaluate(primary, scenario) : undefined;
  return {
    scenario: scenario?.id ?? "?",
    target,
    measured: outcome?.measured ?? "no data",
    status: !outcome || !Number.isFinite(outcome.value) ? "no data" : outcome.ok ? "met" : "not met",
    by: primary?.name ?? "none",
  };
}

/** `primary / peer` on median wall time, checked against `limit` (≤). */
function wallRatio(prefix: string, limit: number) {
  return (primary: ContenderResult, s: ScenarioResult) => {
    const peer = findRow(s, prefix);
    if (!peer) return undefined;
    const value = primary.wall.median / peer.wall.median;
    return {
      value,
      measured: `${fmt(value)}× (${fmt(primary.wall.median, 0)} ms vs ${fmt(peer.wall.median, 0)} ms)`,
      ok: value <= limit,
    };
  };
}

/** Throughput of primary over peer, checked against `floor` (≥). */
function speedRatio(prefix: string, floor: number) {
  return (primary: ContenderResult, s: ScenarioResult) => {
    const peer = findRow(s, prefix);
    if (!peer || s.bytes === undefined) return undefined;
    const mine = throughput(s.bytes, primary.wall.median);
    const theirs = throughput(s.bytes, peer.wall.median);
    return {
      value: mine / theirs,
      measured: `${fmt(mine, 0)} vs ${fmt(theirs, 0)} MiB/s = ${fmt(mine / theirs)}×`,
      ok: mine / theirs >= floor,
    };
  };
}

/** Like {@link check}, for the fabric-ts row on Node 24 (the second fabric-ts row) instead. */
function checkNode24(
  scenario: ScenarioResult | undefined,
  target: string,
  evaluate: (
    row: ContenderResult,
    s: ScenarioResult,
  ) => { value: number; measured: string; ok: boolean } | undefined,
): TargetCheck {
  const row = scenario?.contenders.find(
    (c) => c.role === "fabric-ts" && c.name.startsWith("fabric-ts (Node 24"),
  );
  const outcome = row && row.samples.length > 0 && scenario ? evaluate(row, scenario) : undefined;
  return {
    scenario: scenario?.id ?? "?",
    target,
    measured: outcome?.measured ?? "no data",
    status: !outcome || !Number.isFinite(outcome.value) ? "no data" : outcome.ok ? "met" : "not met",
    by: row?.name ?? "none",
  };
}

export function evaluateTargets(results: readonly ScenarioResult[]): TargetCheck[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  const s = (id: string) => byId.get(id);
  return [
    check(s("a"), "(a) no slower than `ssh h true`", wallRatio("OpenSSH `ssh", 1)),
    check(s("a"), "(a) at most 0.6× Python `fab`", wallRatio("Python Fabric", 0.6)),
    checkNode24(s("a"), "(a) Node 24: no slower than `ssh h true`", wallRatio("OpenSSH `ssh", 1)),
    check(s("g-list"), "(g) `fab --list` at most 1.0× Python's", wallRatio("Python Fabric", 1)),
    checkNode24(
      s("g-list"),
      "(g) Node 24: `fab --list` at most 1.0× Python's",
      wallRatio("Python Fabric", 1),
    ),
    check(s("g-task"), "(g) `fab -H h deploy` at most 0.8× Python's", wallRatio("Python Fabric", 0.8)),
    checkNode24(
      s("g-task"),
      "(g) Node 24: `fab -H h deploy` at most 0.8× Python's",
      wallRatio("Python Fabric", 0.8),
    ),
    check(s("b"), "(b) at most 0.5× ssh ControlMaster", wallRatio("OpenSSH ssh, ControlMaster", 0.5)),
    check(s("b"), "(b) at least 10× faster than Python Fabric", wallRatio("Python Fabric", 0.1)),
    check(s("c50"), "(c) 50 hosts: wall no slower than Fabric ThreadingGroup", wallRatio("Python Fabric", 1)),
    check(s("c50"), "(c) 50 hosts: client CPU at most 0.7× Fabric's", (primary, sc) => {
      const peer = findRow(sc, "Python Fabric");
      if (!peer) return undefined;
      const value = primary.cpu.median / peer.cpu.median;
      return {
        value,
        measured: `${fmt(value)}× (${fmt(primary.cpu.median, 0)} ms vs ${fmt(peer.cpu.median, 0)} ms CPU)`,
        ok: value <= 0.7,
      };
    }),
    check(s("c500"), "(c) 500 hosts: no errors, peak RSS < 300 MB", (primary) => {
      const rss = primary.rss.max;
      const ok = primary.errors.length === 0 && rss < 300;
      return {
        value: rss,
        measured: `${primary.errors.length} failed rounds, peak RSS ${fmt(rss, 0)} MB`,
        ok,
      };
    }),
    check(s("d-put"), "(d) put at least 1.1× OpenSSH sftp", speedRatio("OpenSSH sftp", 1.1)),
    check(s("d-get"), "(d) get at least 1.0× OpenSSH sftp", speedRatio("OpenSSH sftp", 1.0)),
    check(s("e-put"), "(e) tree put within 1.5× of tar | ssh", wallRatio("tar | ssh", 1.5)),
    check(s("e-put"), "(e) tree put at most 0.5× sftp -r", wallRatio("OpenSSH sftp", 0.5)),
    check(s("e-get"), "(e) tree get within 1.5× of tar | ssh", wallRatio("tar | ssh", 1.5)),
    check(s("e-get"), "(e) tree get at most 0.5× sftp -r", wallRatio("OpenSSH sftp", 0.5)),
    check(
      s("a-warm"),
      "(a)-warm at most 0.4× `ssh h true` cold",
      wallRatio("OpenSSH `ssh h true` (cold)", 0.4),
    ),
    check(
      s("h"),
      "(h) 10 runs on 20 hosts with --persist at least 3× faster than without",
      wallRatio("fabric-ts 10 × `fab -P`, a new", 1 / 3),
    ),
    check(s("f"), "(f) no RSS growth beyond noise (≤ 2 MiB) over 1,000 commands", (primary) => {
      const before = primary.metrics.rssBeforeMb?.median;
      const after = primary.metrics.rssAfterMb?.median;
      if (before === undefined || after === undefined) return undefined;
      const growth = after - before;
      const heapBefore = primary.metrics.heapBeforeMb?.median;
      const heapAfter = primary.metrics.heapAfterMb?.median;
      const heap =
        heapBefore === undefined || heapAfter === undefined
          ? ""
          : `; heap ${fmt(heapBefore, 1)} → ${fmt(heapAfter, 1)} MiB`;
      return {
        value: growth,
        measured: `RSS ${fmt(before, 1)} → ${fmt(after, 1)} MiB (${growth >= 0 ? "+" : ""}${fmt(growth, 1)})${heap}`,
        ok: growth <= 2,
      };
    }),
  ];
}
