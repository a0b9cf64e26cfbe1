#!/usr/bin/env python3
"""Turns JMH's JSON result (-rf json, run with -prof gc) into the Markdown ratio table of benchmarks/README.md.

Each row pairs a reversible figure with its baseline from the same run:

    python3 benchmarks/ratios.py benchmarks/results/jmh.json [more results, e.g. one file per group ...]

ns/op and B/op are per operation as JMH reports them (per step for the Spring per-step and async rows,
per hop for the context hop row, whose benchmarks declare @OperationsPerInvocation; per step for the scale
rows, divided here by the `steps` parameter). "dB/step" is the allocation above the baseline divided by the steps in one operation.
Exit status: 0 when every target holds, 1 when one is missed, 2 when a benchmark is missing.
"""

import json
import sys

CORE = "dev.reversible.benchmarks.CoreBenchmarks."
SCALE = "dev.reversible.benchmarks.CoreScaleBenchmarks."
STEP = "dev.reversible.benchmarks.spring.SpringStepBenchmarks."
SAGA = "dev.reversible.benchmarks.spring.SpringSagaBenchmarks."
HOP = "dev.reversible.benchmarks.spring.SpringContextHopBenchmarks."
OBSERVED = "dev.reversible.benchmarks.spring.SpringObservedStepBenchmarks."
JOURNAL = "dev.reversible.benchmarks.journal.JournalSagaBenchmarks."
PARALLEL = "dev.reversible.benchmarks.ParallelCompensationBenchmarks."
RECOVERY = "dev.reversible.benchmarks.journal.JournalRecoveryBenchmarks."

# label, reversible benchmark, baseline benchmark, steps per operation (for dB/step),
# time target (max ratio), allocation target (max extra bytes per step, None: no target)
ROWS = [
    ("(1) core, success: 10-step `gen` saga vs `ArrayDeque` of undo lambdas",
     (CORE + "sagaOfTenSteps", {}), (CORE + "dequeOfTenSteps", {}), 10, 2.0, 48),
    ("(2) core, rollback: last of 10 steps fails vs unwinding the deque",
     (CORE + "sagaRollbackOfTenSteps", {}), (CORE + "dequeUnwindingOfTenSteps", {}), 10, None, None),
    # Target (2) re-read: a saga's steps are calls, so its floor is hand-written unwinding through real calls.
    ("(2) context: the same, vs unwinding with each step a real (not inlined) call",
     (CORE + "sagaRollbackOfTenSteps", {}), (CORE + "dequeUnwindingThroughCallsOfTenSteps", {}), 10, 2.0, None),
    ("(3) Spring, per step: `@ReversibleAction` in a saga vs no-op `@Around`",
     (STEP + "reversibleAction", {}), (STEP + "noOpAspect", {}), 1, 1.3, 64),
    ("(3) Spring, per step: `@ReversibleAction` in a saga vs no-op `MethodInterceptor`",
     (STEP + "reversibleAction", {}), (STEP + "noOpInterceptor", {}), 1, 1.5, 64),
    ("(4) Spring, saga: `@ReversibleSaga` + 10 actions vs 10 no-op `@Around`",
     (SAGA + "reversibleSaga", {}), (SAGA + "noOpAspects", {}), 10, 1.3, 64),
    ("(4) Spring, saga: `@ReversibleSaga` + 10 actions vs 10 `@Transactional`",
     (SAGA + "reversibleSaga", {}), (SAGA + "transactional", {}), 10, 1.0, None),
]
for steps in ("100", "1000", "10000"):
    # Issue target: per-step cost at 10,000 within 1.25x of that at 10; smaller sizes are shown for the trend.
    target = 1.25 if steps == "10000" else None
    ROWS.append((f"(5) scale, success: per step at {int(steps):,} vs at 10 steps",
                 (SCALE + "saga", {"steps": steps}), (SCALE + "saga", {"steps": "10"}), 1, target, None))
for steps in ("100", "1000", "10000"):
    target = 1.25 if steps == "10000" else None
    ROWS.append((f"(5) scale, rollback: per step at {int(steps):,} vs at 10 steps",
                 (SCALE + "sagaRollback", {"steps": steps}), (SCALE + "sagaRollback", {"steps": "10"}), 1, target, None))
ROWS.append(("(6) Spring, async step: `@ReversibleAction` returning a completed `CompletableFuture` vs no-op `@Around`",
             (STEP + "asyncReversibleAction", {}), (STEP + "asyncNoOpAspect", {}), 1, 1.3, 96))
ROWS.append(("(7) context hop: capture and restore a saga's scope vs with no saga",
             (HOP + "hopInSaga", {}), (HOP + "hopWithoutSaga", {}), 1, None, None))
# Issue 13: observations switched off (the no-op registry) stay within row (3)'s targets; switched on, reported.
ROWS.append(("(3) Spring, per step, observations off (no-op `ObservationRegistry`) vs no-op `@Around`",
             (OBSERVED + "reversibleAction", {"observations": "noop"}), (OBSERVED + "noOpAspect", {"observations": "noop"}),
             1, 1.3, 64))
ROWS.append(("(3) Spring, per step, observations on (timers by Micrometer's meter handler) vs no-op `@Around`",
             (OBSERVED + "reversibleAction", {"observations": "meters"}), (OBSERVED + "noOpAspect", {"observations": "meters"}),
             1, None, None))
# Issue 18: an observed step costs what any observed call costs — vs @Observed behind Micrometer's ObservedAspect.
ROWS.append(("(11) Spring, per step, observations on: `@ReversibleAction` vs `@Observed` behind Micrometer's `ObservedAspect`",
             (OBSERVED + "reversibleAction", {"observations": "meters"}), (OBSERVED + "observedAspect", {"observations": "meters"}),
             1, 1.2, None))
# Issue 21: ten overlapping asynchronous steps, each compensation 10 ms — parallel vs sequential (ideal: 0.1×).
ROWS.append(("(12) rollback of 10 overlapping async steps, compensations 10 ms each: `PARALLEL` vs `SEQUENTIAL`",
             (PARALLEL + "rollbackOfTenOverlappingSteps", {"mode": "PARALLEL"}),
             (PARALLEL + "rollbackOfTenOverlappingSteps", {"mode": "SEQUENTIAL"}), 10, 0.2, None))
# Issue 11: the journal on PostgreSQL; a row is reported as not run when the benchmark is absent (no server).
JOURNAL_STEPS = 3
ROWS.append(("(8) journal: demo's 3-step saga (each step commits one row, recorded in its transaction) with the journal vs without",
             (JOURNAL + "threeStepSaga", {"journal": "true", "steps": "IN_TRANSACTION"}),
             (JOURNAL + "threeStepSaga", {"journal": "false", "steps": "IN_TRANSACTION"}), JOURNAL_STEPS, 1.8, None))
ROWS.append(("(8) context: the same saga, each step recorded write-ahead, with the journal vs without",
             (JOURNAL + "threeStepSaga", {"journal": "true", "steps": "WRITE_AHEAD"}),
             (JOURNAL + "threeStepSaga", {"journal": "false", "steps": "WRITE_AHEAD"}), JOURNAL_STEPS, None, None))
NEEDS_POSTGRES = (JOURNAL, RECOVERY)

ALLOCATION = ("gc.alloc.rate.norm", "\u00b7gc.alloc.rate.norm")  # JMH 1.37 and older spellings


class Missing(Exception):
    pass


NS_PER = {"ns/op": 1.0, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}


def result(results, key):
    """JMH's result for a benchmark and its parameters."""
    name, params = key
    for r in results:
        if r["benchmark"] == name and all(r.get("params", {}).get(k) == v for k, v in params.items()):
            return r
    raise Missing(f"{name} {params or ''}".strip())


def figure(results, key):
    """(ns, ns error, bytes) per operation, per step for the scale benchmarks."""
    name, params = key
    for r in results:
        if r["benchmark"] == name and all(r.get("params", {}).get(k) == v for k, v in params.items()):
            steps = int(r["params"]["steps"]) if name.startswith(SCALE) else 1
            metric = r["primaryMetric"]
            if metric["scoreUnit"] not in NS_PER:
                raise SystemExit(f"{name}: expected a time per operation, got {metric['scoreUnit']}")
            # time is converted to ns; bytes are already per operation, whatever the time unit
            to_ns = NS_PER[metric["scoreUnit"]] / steps
            error = metric.get("scoreError")
            error = float(error) if isinstance(error, (int, float)) else float("nan")
            alloc = next((r["secondaryMetrics"][k]["score"] for k in ALLOCATION if k in r.get("secondaryMetrics", {})), None)
            return metric["score"] * to_ns, error * to_ns, None if alloc is None else alloc / steps
    raise Missing(f"{name} {params or ''}".strip())


def ns(value, error):
    text = f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
    return text if error != error else f"{text} ± {error:,.1f}" if value < 100 else f"{text} ± {error:,.0f}"


def b(value):
    return "n/a" if value is None else f"{value:,.0f}" if value >= 10 else f"{value:,.1f}"


def main(paths):
    results = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            results.extend(json.load(f))
    print("| comparison | ns/op reversible | ns/op baseline | ratio | B/op reversible | B/op baseline "
          "| ΔB per step | target | result |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---|")
    missed = missing = 0
    for label, mine, base, steps, time_target, alloc_target in ROWS:
        try:
            t, te, a = figure(results, mine)
            bt, bte, ba = figure(results, base)
        except Missing as e:
            if mine[0].startswith(NEEDS_POSTGRES):
                print(f"| {label} | not run (needs PostgreSQL): {e} | | | | | | | |")
                continue
            print(f"| {label} | missing: {e} | | | | | | | |")
            missing += 1
            continue
        ratio = t / bt
        delta = None if a is None or ba is None else (a - ba) / steps
        targets, ok = [], True
        if time_target is not None:
            if time_target == 1.0:
                targets.append("< 1.0×")
                ok &= ratio < 1.0
            else:
                targets.append(f"≤ {time_target}×")
                ok &= ratio <= time_target
        if alloc_target is not None:
            targets.append(f"≤ {alloc_target} B/step")
            ok &= delta is not None and delta <= alloc_target
        verdict = ("PASS" if ok else "FAIL") if targets else "—"
        missed += verdict == "FAIL"
        print(f"| {label} | {ns(t, te)} | {ns(bt, bte)} | {ratio:.2f}× | {b(a)} | {b(ba)} "
              f"| {'n/a' if delta is None else f'{delta:+,.1f}'} | {', '.join(targets) or '—'} | {verdict} |")
    missed += journal(results)
    return 2 if missing else 1 if missed else 0


def journal(results):
    """The journal's commits per saga and per step, and recovery throughput; returns 1 when a target is missed."""
    print()
    print("| journal | value | target | result |")
    print("|---|---:|---|---|")
    missed = 0
    for shape, target, wording in (("IN_TRANSACTION", 1, "= 1 (the saga's end)"),
                                   ("WRITE_AHEAD", JOURNAL_STEPS + 1, f"≤ {JOURNAL_STEPS + 1} (one per step + one per saga)")):
        try:
            per_saga = {}
            for on in ("true", "false"):
                counters = result(results, (JOURNAL + "threeStepSaga", {"journal": on, "steps": shape}))["secondaryMetrics"]
                per_saga[on] = counters["commits"]["score"] / counters["sagas"]["score"]
            share = per_saga["true"] - per_saga["false"]
            ok = share <= target + 1e-9
            missed += not ok
            print(f"| (9) {shape}: commits per 3-step saga, without the journal (the steps' own) | {per_saga['false']:.2f} | — | — |")
            print(f"| (9) {shape}: commits per 3-step saga, with the journal | {per_saga['true']:.2f} | — | — |")
            print(f"| (9) {shape}: journal commits per saga (the difference) | {share:.2f} | {wording} | {'PASS' if ok else 'FAIL'} |")
        except Missing as e:
            print(f"| (9) {shape}: journal commits | not run (needs PostgreSQL): {e} | | |")
    try:
        on = result(results, (JOURNAL + "threeStepSaga", {"journal": "true", "steps": "PLAIN"}))["primaryMetric"]
        off = result(results, (JOURNAL + "threeStepSaga", {"journal": "false", "steps": "PLAIN"}))["primaryMetric"]
        per_step_us = (on["score"] * NS_PER[on["scoreUnit"]] - off["score"] * NS_PER[off["scoreUnit"]]) / JOURNAL_STEPS / 1e3
        print(f"| (13) journal's cost per non-transactional step (3-step saga, journal vs none) | {per_step_us:,.1f} µs per step "
              f"({on['score'] * NS_PER[on['scoreUnit']] / 1e3:,.0f} µs vs {off['score'] * NS_PER[off['scoreUnit']] / 1e3:,.1f} µs per saga) | — | — |")
    except Missing as e:
        print(f"| (13) journal, non-transactional steps | not run (needs PostgreSQL): {e} | | |")
    # Issue 19: >= 400 sagas/s for one instance; measured one saga at a time (the default) and four at once.
    for concurrency in ("1", "4"):
        try:
            try:
                metric = result(results, (RECOVERY + "recoverOrphanedSagas", {"concurrency": concurrency}))["primaryMetric"]
            except Missing:
                if concurrency != "1":
                    raise
                # a result from before the parameter: one saga at a time
                metric = result(results, (RECOVERY + "recoverOrphanedSagas", {}))["primaryMetric"]
            ns_per_saga = metric["score"] * NS_PER[metric["scoreUnit"]]
            per_second = 1e9 / ns_per_saga
            ok = per_second >= 400
            missed += not ok
            print(f"| (10) recovery: orphaned 3-step sagas claimed and compensated per second, one instance, "
                  f"`recovery.concurrency={concurrency}` | {per_second:,.0f} /s ({ns_per_saga / 1e6:,.1f} ms per saga) "
                  f"| ≥ 400 /s | {'PASS' if ok else 'FAIL'} |")
        except Missing as e:
            print(f"| (10) recovery | not run (needs PostgreSQL): {e} | | |")
    return missed


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit("usage: ratios.py JMH_RESULT.json [JMH_RESULT.json ...]")
    sys.exit(main(sys.argv[1:]))
