"""`ask` latency with the embedded model on a store holding the seed articles, plus peak memory.

cold: the whole process, `briefing ask "..." --json` run as a subprocess (imports, embedder and
      model load, retrieval, generation); wall clock and peak RSS of each run.
warm: ask(app, q) in this process over questions from evals/questions.yaml, after one warm-up call.
The store is built with `briefing ingest seeds/` (its wall time and peak RSS are reported too).

Run:  .venv/bin/python benchmarks/bench_ask.py [--quick] [--cold-runs 5] [--questions 10]
Targets: warm p50 < 1.5 s, cold < 4 s (median of the cold runs).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import (
    BIN,
    SEEDS,
    briefing_env,
    figure,
    machine_info,
    pct,
    print_table,
    run_measured,
    seed_questions,
    spread,
    write_result,
)

TARGET_WARM_P50_S = 1.5
TARGET_COLD_S = 4.0
COLD_QUESTION = "Who pledged troops?"  # the `make demo` question


def briefing_cmd() -> list[str]:
    exe = BIN / "briefing"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "briefing"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smoke test: 1 cold run, 3 warm questions")
    parser.add_argument("--cold-runs", type=int, default=None, help="default 5")
    parser.add_argument("--questions", type=int, default=None, help="warm questions (default 10)")
    args = parser.parse_args()
    cold_runs = args.cold_runs or (1 if args.quick else 5)
    questions = spread(seed_questions(), args.questions or (3 if args.quick else 10))
    machine = machine_info()

    tmp = Path(tempfile.mkdtemp(prefix="briefing-bench-ask-"))
    try:
        env = briefing_env(tmp / "data")
        ing = run_measured(briefing_cmd() + ["ingest", str(SEEDS)], env)
        if ing["rc"] != 0:
            sys.exit(f"briefing ingest failed ({ing['rc']}): {ing['stderr'][-500:]}")

        cold = []
        for _ in range(cold_runs):
            run = run_measured(briefing_cmd() + ["ask", COLD_QUESTION, "--json"], env)
            if run["rc"] != 0:
                sys.exit(f"briefing ask failed ({run['rc']}): {run['stderr'][-500:]}")
            out = json.loads(run["stdout"])
            cold.append(
                {
                    "seconds": run["seconds"],
                    "rss_mb": run["rss_mb"],
                    "mode": out["mode"],
                    "attempts": out["attempts"],
                    "in_process_ms": out["timings_ms"].get("total"),
                }
            )

        from briefing.answer import ask
        from briefing.app import App
        from briefing.settings import Settings

        app = App(Settings(data_dir=tmp / "data"))
        started = time.perf_counter()
        ask(app, questions[0]["question"])  # warm-up: loads the embedder and the model
        warm_up_s = time.perf_counter() - started
        warm = []
        for q in questions:
            started = time.perf_counter()
            result = ask(app, q["question"])
            warm.append(
                {
                    "id": q["id"],
                    "answerable": q["answerable"],
                    "seconds": time.perf_counter() - started,
                    "mode": result.mode,
                    "attempts": result.attempts,
                    "timings_ms": result.timings_ms,
                }
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    cold_s = [c["seconds"] for c in cold]
    warm_s = [w["seconds"] for w in warm]
    modes = Counter(w["mode"] for w in warm)
    asked = [w for w in warm if w["mode"] != "abstained"]
    mean_attempts = statistics.mean(w["attempts"] for w in asked) if asked else 0.0
    figures = [
        figure("ask warm p50", pct(warm_s, 50), "s", TARGET_WARM_P50_S),
        figure("ask warm p95", pct(warm_s, 95), "s"),
        figure(f"ask cold, median of {len(cold)}", statistics.median(cold_s), "s", TARGET_COLD_S),
        figure(f"ask cold, max of {len(cold)}", max(cold_s), "s"),
        figure("ask warm-up call (model load)", warm_up_s, "s"),
        figure("ask mean attempts (non-abstained)", mean_attempts, ""),
        figure("cold ask peak RSS", max(c["rss_mb"] for c in cold), "MiB"),
        figure("CLI ingest of seeds/ peak RSS", ing["rss_mb"], "MiB"),
        figure("CLI ingest of seeds/ wall", ing["seconds"], "s"),
    ]
    print("cold runs:")
    for c in cold:
        print(
            f"  {c['seconds']:6.2f} s wall, {c['in_process_ms'] / 1000:6.2f} s inside ask(), {c['rss_mb']:6.0f} MiB, "
            f"{c['mode']}, {c['attempts']} attempts"
        )
    print("warm runs:")
    for w in warm:
        t = w["timings_ms"]
        print(
            f"  {w['seconds']:6.2f} s  {w['mode']:<10} attempts {w['attempts']}  retrieve "
            f"{t.get('retrieve', 0):6.0f} ms  "
            f"generate {t.get('generate', 0):6.0f} ms  {w['id']}"
        )
    print(
        "mode mix (warm): "
        + ", ".join(f"{m} {modes.get(m, 0)}" for m in ("generated", "extractive", "abstained"))
        + f"; mean attempts {mean_attempts:.2f}"
    )
    print_table("bench_ask" + (" (QUICK)" if args.quick else ""), figures)
    path = write_result(
        "bench_ask",
        figures,
        {
            "cold_question": COLD_QUESTION,
            "cold": cold,
            "warm": warm,
            "warm_up_seconds": warm_up_s,
            "mode_mix": {m: modes.get(m, 0) for m in ("generated", "extractive", "abstained")},
            "mean_attempts_non_abstained": mean_attempts,
            "ingest": {k: ing[k] for k in ("seconds", "rss_mb")},
        },
        args.quick,
        machine,
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
