"""`briefing serve` under concurrent POST /v1/ask load, with the embedded model, on a store holding the seeds.

The store is built with `briefing ingest seeds/` in a temporary data directory; the server runs as a
subprocess on a free local port (no API token, no LLM endpoint) and is ready when GET /readyz is 200.
C worker threads (default 4, the server's default BRIEFING_MAX_CONCURRENCY) then send POST /v1/ask
back to back, cycling through 10 questions from evals/questions.yaml, for a fixed duration.
200 = success; 429 (over the concurrency bound) = rejected, counted apart; anything else, a client
exception or a 200 whose question is not the one sent = error. Exit code 1 if there was any error.

Run:  .venv/bin/python benchmarks/bench_service_load.py [--quick] [--seconds 60] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

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

READY_TIMEOUT_S = 120
REQUEST_TIMEOUT_S = 120
STOP_TIMEOUT_S = 15


def briefing_cmd() -> list[str]:
    exe = BIN / "briefing"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "briefing"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(base: str, proc: subprocess.Popen) -> tuple[float, dict]:
    started = time.perf_counter()
    last = "no answer"
    while time.perf_counter() - started < READY_TIMEOUT_S:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}) before it was ready")
        try:
            r = httpx.get(f"{base}/readyz", timeout=READY_TIMEOUT_S)
            if r.status_code == 200:
                return time.perf_counter() - started, r.json()
            last = f"{r.status_code} {r.text[:200]}"
        except httpx.HTTPError as exc:
            last = f"{type(exc).__name__}: {exc}"
        time.sleep(0.5)
    raise RuntimeError(f"not ready after {READY_TIMEOUT_S} s (last: {last})")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def load(base: str, questions: list[dict], workers: int, seconds: float) -> tuple[list[dict], float]:
    """Workers send requests until the deadline; a request started before it runs to completion."""
    cycle = itertools.cycle(questions)
    lock = threading.Lock()
    records: list[dict] = []
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S) as client:
            while time.perf_counter() < deadline:
                with lock:
                    q = next(cycle)
                started = time.perf_counter()
                rec = {"id": q["id"], "started": started}
                try:
                    r = client.post("/v1/ask", json={"question": q["question"]})
                    rec["status"] = r.status_code
                    if r.status_code == 200:
                        body = r.json()
                        rec.update(
                            mode=body["mode"],
                            reason=body.get("reason", ""),
                            attempts=body["attempts"],
                            answer=body["answer"],
                        )
                        if body["question"] != q["question"]:
                            rec["error"] = f"answer for another question: {body['question']!r}"
                    elif r.status_code != 429:
                        rec["error"] = f"HTTP {r.status_code}: {r.text[:300]}"
                except Exception as exc:  # noqa: BLE001 - every failure is counted
                    rec["status"], rec["error"] = None, f"{type(exc).__name__}: {exc}"
                rec["seconds"] = time.perf_counter() - started
                with lock:
                    records.append(rec)
                if rec["status"] == 429:
                    time.sleep(0.05)  # the server has no free slot; do not spin

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for f in [pool.submit(worker) for _ in range(workers)]:
            f.result()
    return records, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smoke test: 20 s, 2 workers")
    parser.add_argument("--seconds", type=float, default=None, help="load duration (default 60)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="client workers (default 4 = the server's default max_concurrency)",
    )
    args = parser.parse_args()
    seconds = args.seconds or (20 if args.quick else 60)
    workers = args.concurrency or (2 if args.quick else 4)
    questions = spread(seed_questions(), 10)
    machine = machine_info()

    tmp = Path(tempfile.mkdtemp(prefix="briefing-bench-service-"))
    proc = None
    try:
        env = briefing_env(tmp / "data")
        for key in ("BRIEFING_API_TOKEN", "BRIEFING_LLM_BASE_URL"):  # the embedded model, no auth
            env.pop(key, None)
        ing = run_measured(briefing_cmd() + ["ingest", str(SEEDS)], env)
        if ing["rc"] != 0:
            sys.exit(f"briefing ingest failed ({ing['rc']}): {ing['stderr'][-500:]}")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log_path = tmp / "server.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                briefing_cmd() + ["serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            ready_s, ready = wait_ready(base, proc)
        except RuntimeError as exc:
            sys.exit(f"{exc}\n--- server log ---\n{log_path.read_text(errors='replace')[-2000:]}")
        print(f"server ready in {ready_s:.1f} s: {ready}", flush=True)
        print(f"load: {workers} workers for {seconds:g} s ...", flush=True)
        records, wall = load(base, questions, workers, seconds)
        server_log_tail = log_path.read_text(errors="replace")[-3000:]
    finally:
        if proc is not None:
            stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)

    ok = [r for r in records if r["status"] == 200 and "error" not in r]
    rejected = [r for r in records if r["status"] == 429]
    errors = [r for r in records if "error" in r]
    lat = [r["seconds"] for r in ok]
    modes = Counter(r["mode"] for r in ok)
    answers: dict[str, set] = {}
    for r in ok:
        answers.setdefault(r["id"], set()).add((r["mode"], r["answer"]))
    varying = sorted(qid for qid, a in answers.items() if len(a) > 1)

    figures = [
        figure("requests completed (200)", len(ok), ""),
        figure("throughput (200s / wall)", len(ok) / wall if wall else 0.0, "req/s", better="higher"),
        figure("ask latency p50", pct(lat, 50), "s"),
        figure("ask latency p95", pct(lat, 95), "s"),
        figure("ask latency p99", pct(lat, 99), "s"),
        figure("errors (must be 0)", len(errors), ""),
        figure("rejected (429)", len(rejected), ""),
        figure("server ready (readyz 200)", ready_s, "s"),
    ]
    print(
        f"wall {wall:.1f} s, {len(records)} requests sent; mode mix: "
        + ", ".join(f"{m} {modes.get(m, 0)}" for m in ("generated", "extractive", "abstained"))
    )
    if varying:
        print(f"questions with differing answers across repeats: {', '.join(varying)}")
    for r in errors[:5]:
        print(f"  ERROR {r['id']}: {r['error']}")
    print_table(f"bench_service_load ({workers} workers, {seconds:g} s)" + (" (QUICK)" if args.quick else ""), figures)
    path = write_result(
        "bench_service_load",
        figures,
        {
            "workers": workers,
            "seconds": seconds,
            "wall_seconds": wall,
            "questions": [q["id"] for q in questions],
            "ready": ready,
            "sent": len(records),
            "mode_mix": {m: modes.get(m, 0) for m in ("generated", "extractive", "abstained")},
            "questions_with_differing_answers": varying,
            "errors": [{k: r.get(k) for k in ("id", "status", "error", "seconds")} for r in errors[:20]],
            "requests": [
                {k: r.get(k) for k in ("id", "status", "mode", "reason", "attempts", "seconds")} for r in records
            ],
            "ingest": {k: ing[k] for k in ("seconds", "rss_mb")},
            "server_log_tail": server_log_tail if errors else "",
        },
        args.quick,
        machine,
    )
    print(f"wrote {path}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
