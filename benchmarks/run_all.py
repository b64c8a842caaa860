"""Run every benchmark in sequence (each in its own process), then print one summary table of all
figures with target and ratio, and write benchmarks/results/summary.md.

Run:  make bench                      (full sizes; minutes, on a quiet machine)
      .venv/bin/python benchmarks/run_all.py --quick    (smoke test; or BENCH_QUICK=1 make bench)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from _common import RESULTS, machine_info

HERE = Path(__file__).resolve().parent
BENCHES = [
    "bench_ingest",
    "bench_brief",
    "bench_retrieval",
    "bench_ask",
    "bench_ask_generate_always",
    "bench_service_load",
]
# name -> (script, extra arguments): the model's path measured beside the reader's
VARIANTS = {"bench_ask_generate_always": ("bench_ask", ["--generate", "always"])}


def fmt_value(f: dict) -> str:
    v = f["value"]
    return (f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}") + (f" {f['unit']}" if f["unit"] else "")


def fmt_target(f: dict) -> str:
    return "" if f.get("target") is None else f"{'>=' if f['better'] == 'higher' else '<'} {f['target']:g} {f['unit']}"


def fmt_ratio(f: dict) -> str:
    return "" if "ratio" not in f else f"{f['ratio']:.2f}" + (" ok" if f["ok"] else " MISSED")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--quick",
        action="store_true",
        default=os.environ.get("BENCH_QUICK") == "1",
        help="small sizes, to check the scripts work (figures not comparable to the targets)",
    )
    parser.add_argument("--only", default=None, help="comma-separated subset, e.g. bench_ask")
    parser.add_argument("--report-only", action="store_true", help="rebuild the summary from the existing results")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else BENCHES
    runs = {}
    for name in names:
        result = RESULTS / f"{name}.json"
        if args.report_only:
            runs[name] = {
                "rc": 0 if result.exists() else "no result",
                "result": json.loads(result.read_text(encoding="utf-8")) if result.exists() else None,
            }
            continue
        (RESULTS / f"{name}.json").unlink(missing_ok=True)
        print(f"\n=== {name}{' --quick' if args.quick else ''}", flush=True)
        started = time.perf_counter()
        script, extra = VARIANTS.get(name, (name, []))
        cmd = [sys.executable, str(HERE / f"{script}.py")] + extra + (["--quick"] if args.quick else [])
        rc = subprocess.run(cmd).returncode
        runs[name] = {
            "rc": rc,
            "seconds": time.perf_counter() - started,
            "result": json.loads(result.read_text(encoding="utf-8")) if rc == 0 and result.exists() else None,
        }

    results = [run["result"] for run in runs.values() if run["result"]]
    quick = any(r["quick"] for r in results)
    machine = results[0]["machine"] if results else machine_info()
    rows = [(name, f) for name, run in runs.items() if run["result"] for f in run["result"]["figures"]]
    failed = [f"{name} (exit {run['rc']})" for name, run in runs.items() if run["result"] is None]
    header = ["benchmark", "metric", "value", "target", "ratio"]
    table = [[name, f["metric"], fmt_value(f), fmt_target(f), fmt_ratio(f)] for name, f in rows]
    widths = [max(len(str(r[i])) for r in [header] + table) for i in range(len(header))]

    print("\n=== summary" + (" (QUICK: small sizes, not comparable to the targets)" if quick else ""))
    for r in [header] + table:
        print("  " + "  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    for name in failed:
        print(f"  FAILED: {name}")

    m = machine
    lines = [
        "# Benchmark results" + (" (QUICK smoke test: small sizes, not comparable to the targets)" if quick else ""),
        "",
        f"{m['date']} · {m['cpu_count']} CPUs ({m['cpu_model'] or 'unknown model'}) · Python {m['python']} · "
        f"load average at start {', '.join(f'{x:.2f}' for x in m['loadavg_at_start'] or [])}",
        "",
        "ratio = measured / target (for throughput, >= 1 meets it; for latency, < 1 meets it).",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(r) + " |" for r in table),
        "",
        *(f"FAILED: {name}" for name in failed),
        f"Environment: BRIEFING_* {m['briefing_env'] or 'none'}; thread variables {m['thread_env'] or 'none'}.",
        "Per-benchmark details (breakdowns, every run): the JSON files beside this one.",
        "",
    ]
    (RESULTS / "summary.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"\nwrote {RESULTS / 'summary.md'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
