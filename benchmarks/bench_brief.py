"""Seconds to build a daily brief for a day of 15 articles on the embedded default (no model server).

The 15 articles are the multi-outlet corpus's (evals/multi_outlet/articles/), all dated to one day, ingested into
a fresh data directory first (not timed). Timed: `briefing brief --date DAY` as a user runs it (a new process:
imports, store open, claims read, brief built, saved and printed), and build_brief() in-process.

Run:  .venv/bin/python benchmarks/bench_brief.py [--articles 15]
Target: <= 10 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from _common import figure, machine_info, print_table, write_result

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "evals" / "multi_outlet" / "articles"
DAY = "2025-09-07"
TARGET_S = 10.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=15)
    ap.add_argument("--quick", action="store_true", help="same as the full run (it is small)")
    args = ap.parse_args()
    machine = machine_info()
    tmp = Path(tempfile.mkdtemp(prefix="briefing-bench-brief-"))
    try:
        folder = tmp / "articles"
        folder.mkdir()
        paths = sorted(CORPUS.glob("*.txt"))[-args.articles :]
        for p in paths:
            text = re.sub(r"(?m)^published: .*$", f"published: {DAY}", p.read_text(encoding="utf-8"), count=1)
            (folder / p.name).write_text(text, encoding="utf-8")
        env = dict(os.environ, BRIEFING_DATA_DIR=str(tmp / "data"))
        env.pop("BRIEFING_LLM_BASE_URL", None)
        exe = str(Path(sys.executable).with_name("briefing"))
        subprocess.run([exe, "ingest", str(folder)], env=env, check=True, capture_output=True)
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            out = subprocess.run([exe, "brief", "--date", DAY], env=env, capture_output=True)
            runs.append(time.perf_counter() - t)
            assert out.returncode == 0, out.stderr.decode()[-2000:]
        sys.path.insert(0, str(ROOT))
        from briefing.app import App
        from briefing.brief.build import build_brief
        from briefing.settings import Settings

        app = App(Settings(data_dir=tmp / "data", chroma_url=None))
        t = time.perf_counter()
        b = build_brief(app, date.fromisoformat(DAY), 1)
        inproc = time.perf_counter() - t
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    figures = [
        figure("brief, 15 articles, CLI (worst of 3)", max(runs), "s", TARGET_S),
        figure("brief, 15 articles, in-process", inproc, "s", TARGET_S),
    ]
    print(f"{len(paths)} articles dated {DAY}; {len(b.documents)} sources in the brief; model calls {b.llm_calls}")
    print_table("bench_brief", figures)
    path = write_result(
        "bench_brief",
        figures,
        {"articles": len(paths), "cli_seconds": [round(r, 2) for r in runs], "llm_calls": b.llm_calls},
        args.quick,
        machine,
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
