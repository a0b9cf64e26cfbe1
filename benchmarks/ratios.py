#!/usr/bin/env python3
"""Turns JMH's JSON result (-rf json, run with -prof gc) into the Markdown ratio table of the README.

Each row pairs a reversible figure with its baseline from the same run:

    python3 benchmarks/ratios.py benchmarks/results/jmh.json

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

ALLOCATION = ("gc.alloc.rate.norm", "\u00b7gc.alloc.rate.norm")  # JMH 1.37 and older spellings


class Missing(Exception):
    pass


def figure(results, key):
    """(ns, ns error, bytes) per operation, per step for the scale benchmarks."""
    name, params = key
    for r in results:
        if r["benchmark"] == name and all(r.get("params", {}).get(k) == v for k, v in params.items()):
            per = int(r["params"]["steps"]) if name.startswith(SCALE) else 1
            metric = r["primaryMetric"]
            if metric["scoreUnit"] != "ns/op":
                raise SystemExit(f"{name}: expected ns/op, got {metric['scoreUnit']}")
            error = metric.get("scoreError")
            error = float(error) if isinstance(error, (int, float)) else float("nan")
            alloc = next((r["secondaryMetrics"][k]["score"] for k in ALLOCATION if k in r.get("secondaryMetrics", {})), None)
            return metric["score"] / per, error / per, None if alloc is None else alloc / per
    raise Missing(f"{name} {params or ''}".strip())


def ns(value, error):
    text = f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
    return text if error != error else f"{text} ± {error:,.1f}" if value < 100 else f"{text} ± {error:,.0f}"


def b(value):
    return "n/a" if value is None else f"{value:,.0f}" if value >= 10 else f"{value:,.1f}"


def main(path):
    with open(path, encoding="utf-8") as f:
        results = json.load(f)
    print("| comparison | ns/op reversible | ns/op baseline | ratio | B/op reversible | B/op baseline "
          "| ΔB per step | target | result |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---|")
    missed = missing = 0
    for label, mine, base, steps, time_target, alloc_target in ROWS:
        try:
            t, te, a = figure(results, mine)
            bt, bte, ba = figure(results, base)
        except Missing as e:
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
    return 2 if missing else 1 if missed else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: ratios.py JMH_RESULT.json")
    sys.exit(main(sys.argv[1]))
