"""Shared helpers for the benchmark scripts: machine info, result files, percentiles,
a measured subprocess (wall time + peak RSS), the seed questions and the synthetic corpus."""

from __future__ import annotations

import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
RESULTS = REPO / "benchmarks" / "results"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO))


def machine_info() -> dict:
    cpu_model = ""
    try:
        cpu_model = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    except OSError:
        pass
    settings = {k: v for k, v in os.environ.items() if k.startswith("BRIEFING_") and "KEY" not in k}
    threads = {k: v for k, v in os.environ.items() if k.endswith("_NUM_THREADS")}
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": cpu_model,
        "loadavg_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "briefing_env": settings,  # BRIEFING_* settings in force (an LLM endpoint would change what is measured)
        "thread_env": threads,  # e.g. OPENBLAS_NUM_THREADS, which changes embedding speed a lot on 2 cores
    }


def figure(metric: str, value: float, unit: str, target: float | None = None, better: str = "lower") -> dict:
    """One reported number. ratio = measured / target; ok means the target is met."""
    out = {"metric": metric, "value": round(float(value), 3), "unit": unit, "target": target, "better": better}
    if target:
        out["ratio"] = round(float(value) / target, 3)
        out["ok"] = bool(value >= target if better == "higher" else value < target)
    return out


def write_result(name: str, figures: list[dict], details: dict, quick: bool, machine: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    body = {"name": name, "quick": quick, "machine": machine, "figures": figures, "details": details}
    path.write_text(json.dumps(body, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def print_table(title: str, figures: list[dict]) -> None:
    print(f"\n{title}")
    print(f"  {'metric':<44} {'value':>12} {'target':>12} {'ratio':>7}")
    for f in figures:
        target = "" if f["target"] is None else f"{'>=' if f['better'] == 'higher' else '<'} {f['target']:g}"
        ratio = f"{f['ratio']:.2f}" + ("" if f["ok"] else " !") if "ratio" in f else "-"
        print(f"  {f['metric']:<44} {f['value']:>8.1f} {f['unit']:<6} {target:>12} {ratio:>7}")


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else float("nan")


def peak_rss_mb() -> float:
    """Peak RSS of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_measured(cmd: list[str], env: dict | None = None) -> dict:
    """Run a command; wall seconds, exit code, stdout, stderr and that one child's peak RSS (MiB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "seconds": wall,
            "rc": proc.returncode,
            "rss_mb": usage.ru_maxrss / 1024,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def briefing_env(data_dir: Path) -> dict:
    return {**os.environ, "BRIEFING_DATA_DIR": str(data_dir)}


def seed_questions() -> list[dict]:
    """The eval suite's questions on the seed articles (id, question, answerable)."""
    import yaml

    cases = yaml.safe_load((REPO / "evals" / "questions.yaml").read_text(encoding="utf-8"))["cases"]
    return [{"id": c["id"], "question": c["question"], "answerable": bool(c.get("answerable"))} for c in cases]


def spread(items: list, n: int) -> list:
    """n items spread evenly over the list (all of them if it is shorter)."""
    if n >= len(items):
        return list(items)
    return [items[i * len(items) // n] for i in range(n)]


def seed_vocabulary() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return sorted({w for w in re.findall(r"[A-Za-z][A-Za-z'’-]+", text)})


class Timers:
    """Cumulative seconds per label for wrapped callables: timers.wrap("embed", obj.embed)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, label: str, fn):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - started

        return timed

    def reset(self) -> None:
        self.seconds.clear()
