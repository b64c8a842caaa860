"""Ingest throughput (sentences/s) with the real embedder, into a fresh temporary data directory.

The corpus is the seed articles repeated until it has at least --sentences sentences. Each copy
gets one word changed and a unique closing line, so every copy has its own content-hash id; the
copies are near-duplicates of the first one (near-duplicate detection runs and flags them, and
it only compares against stored originals, so it stays cheap here; a corpus of distinct articles
makes that check grow with the number of stored articles). Embedder load and Chroma open are
timed separately ("setup"); the throughput is over ingest_paths() itself.

Run:  .venv/bin/python benchmarks/bench_ingest.py [--quick] [--sentences 2000]
Target: >= 100 sentences/s.
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
import time
from pathlib import Path

from _common import SEEDS, Timers, figure, machine_info, peak_rss_mb, print_table, write_result

TARGET_SENTENCES_PER_S = 100.0
SEED_SENTENCES = 82  # sentences the splitter finds in seeds/*.txt


def make_corpus(folder: Path, min_sentences: int) -> int:
    """Write copies of the seeds into folder; returns the number of files."""
    seeds = sorted(SEEDS.glob("*.txt"))
    rounds = -(-min_sentences // SEED_SENTENCES)
    for n in range(rounds):
        for seed in seeds:
            text = seed.read_text(encoding="utf-8")
            words = list(re.finditer(r"\b[a-z]{5,}\b", text))
            w = words[(n * 7919) % len(words)]
            text = text[: w.start()] + "benchmark" + text[w.end() :]
            text = text.rstrip() + f"\n\nThis is copy number {n} of the benchmark corpus.\n"
            (folder / f"{n:04d}_{seed.name}").write_text(text, encoding="utf-8")
    return rounds * len(seeds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smoke test: 300 sentences")
    parser.add_argument("--sentences", type=int, default=None, help="minimum corpus size (default 2000)")
    args = parser.parse_args()
    min_sentences = args.sentences or (300 if args.quick else 2000)
    machine = machine_info()

    from briefing import duplicates, ingest
    from briefing.app import App
    from briefing.settings import Settings

    tmp = Path(tempfile.mkdtemp(prefix="briefing-bench-ingest-"))
    try:
        corpus = tmp / "corpus"
        corpus.mkdir()
        files = make_corpus(corpus, min_sentences)
        app = App(Settings(data_dir=tmp / "data"))

        started = time.perf_counter()
        getattr(app.embedder, "load", lambda: None)()
        app.index  # noqa: B018  (opens Chroma)
        from briefing.claims import derive as claims_derive
        from briefing.claims.nlp import load_nlp

        load_nlp()  # the spaCy pipeline, loaded once per process
        setup_s = time.perf_counter() - started

        t = Timers()
        app.embedder.embed = t.wrap("embedding", app.embedder.embed)
        app.index.upsert = t.wrap("chroma upsert", app.index.upsert)
        app.store.add_document = t.wrap("sqlite insert (+FTS)", app.store.add_document)
        app.store.mark_indexed = t.wrap("sqlite mark indexed", app.store.mark_indexed)
        ingest.split_sentences = t.wrap("sentence splitting", ingest.split_sentences)
        ingest.read_path = t.wrap("read + parse", ingest.read_path)
        duplicates.find_duplicate = t.wrap("near-duplicate check", duplicates.find_duplicate)
        claims_derive._extract = t.wrap("claims (spaCy, beside embedding)", claims_derive._extract)

        report = ingest.ingest_paths(app, [corpus])
        total_s = report.seconds
        rss = peak_rss_mb()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    assert not report.rejected, report.rejected
    rate = report.sentences / total_s
    breakdown = dict(sorted(t.seconds.items(), key=lambda kv: -kv[1]))
    breakdown["other"] = max(0.0, total_s - sum(t.seconds.values()))
    dups = sum(1 for d in report.added if d["duplicate_of"])

    figures = [
        figure("ingest throughput", rate, "sent/s", TARGET_SENTENCES_PER_S, better="higher"),
        figure("ingest throughput incl. setup", report.sentences / (total_s + setup_s), "sent/s", better="higher"),
        figure("ingest peak RSS", rss, "MiB"),
    ]
    print(
        f"ingested {len(report.added)} files, {report.sentences} sentences, {report.chunks} chunks "
        f"({dups} flagged near-duplicates) in {total_s:.1f} s; setup (embedder load, Chroma open) {setup_s:.1f} s"
    )
    print("breakdown:")
    for label, sec in breakdown.items():
        print(f"  {label:<24} {sec:7.2f} s  {100 * sec / total_s:5.1f} %")
    print_table("bench_ingest" + (" (QUICK)" if args.quick else ""), figures)
    path = write_result(
        "bench_ingest",
        figures,
        {
            "files": files,
            "documents_added": len(report.added),
            "sentences": report.sentences,
            "chunks": report.chunks,
            "claims": report.claims,
            "near_duplicates": dups,
            "seconds": total_s,
            "setup_seconds": setup_s,
            "breakdown_seconds": {k: round(v, 3) for k, v in breakdown.items()},
        },
        args.quick,
        machine,
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
