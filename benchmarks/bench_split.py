"""Sentence splitting time against the length of one line (issue: a 5 MB single line was still being split
after 600 s). Splitting is linear: long paragraphs are cut at hard boundaries before pysbd sees them.
A line over briefing.documents.MAX_LINE_CHARS is refused by ingest before splitting.

    .venv/bin/python benchmarks/bench_split.py
"""

from __future__ import annotations

import time
from pathlib import Path

from briefing.documents import MAX_LINE_CHARS, parse_document
from briefing.errors import InputError
from briefing.splitting import split_sentences

ROOT = Path(__file__).resolve().parent.parent


def one_line(n: int) -> str:
    para = " ".join((ROOT / "seeds" / "000_ae75808e823564bb.txt").read_text().split())
    return ((para + " ") * (n // (len(para) + 1) + 1))[:n]


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1 MB line")
    args = parser.parse_args()
    print(f"{'characters':>10}  {'sentences':>9}  {'seconds':>7}  {'µs/char':>7}")
    for n in (25_000, 100_000) + (() if args.quick else (1_000_000,)):
        text = one_line(n)
        t0 = time.perf_counter()
        found = split_sentences(text)
        dt = time.perf_counter() - t0
        print(f"{n:>10,}  {len(found):>9,}  {dt:>7.2f}  {dt / n * 1e6:>7.1f}")
    data = one_line(4_900_000).encode()
    t0 = time.perf_counter()
    try:
        parse_document(data, "one-line.txt")
        outcome = "accepted"
    except InputError as exc:
        outcome = exc.one_line()
    print(
        f"4.9 MB single line, ingest: {time.perf_counter() - t0:.2f} s — {outcome} "
        f"(limit {MAX_LINE_CHARS:,} characters a line)"
    )


if __name__ == "__main__":
    main()
