"""Briefs on the labelled multi-outlet corpus: attribution accuracy, disagreement precision and recall, brief
checks, seconds per brief (the same scoring as `briefing eval`), on a store holding only the corpus.

Run:  .venv/bin/python benchmarks/brief_corpus.py [--data-dir DIR] [--errors]
(an existing --data-dir with the corpus ingested is reused; otherwise a temporary one is made)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.app import App  # noqa: E402
from briefing.eval.corpus import run_corpus  # noqa: E402
from briefing.ingest import ingest_paths  # noqa: E402
from briefing.settings import Settings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "evals" / "multi_outlet"))
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args()
    data = Path(args.data_dir or tempfile.mkdtemp(prefix="brief-corpus-"))
    app = App(Settings(data_dir=data, chroma_url=None))
    if not app.store.count("documents"):
        t = time.perf_counter()
        ingest_paths(app, [Path(args.corpus) / "articles"])
        print(f"ingest {time.perf_counter() - t:.1f} s")
    records, metrics, briefs = run_corpus(app, Path(args.corpus))
    for k, v in metrics.items():
        print(f"{k:32} {v if v is None else round(v, 3)}")
    if args.errors:
        for r in records:
            if not r["passed"]:
                print(f"  x [{r['kind']}] {r['id']}: {r['detail']}")


if __name__ == "__main__":
    main()
