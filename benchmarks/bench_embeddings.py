"""Benchmark MiniLMEmbedder: load time, texts/s on 512 news-like texts of ~60 tokens,
and the minimum cosine against the torch reference vectors in tests/data/.

Run:  .venv/bin/python benchmarks/bench_embeddings.py [--n 512] [--batch-size 32]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefing.embeddings import MiniLMEmbedder  # noqa: E402

_WORDS = (
    "the government said on Tuesday that talks with union leaders over pay and pensions would resume "
    "next week after negotiators failed to reach agreement central bank officials warned inflation "
    "could stay above target as energy prices rose sharply in Europe while investors sold shares in "
    "technology companies Ukraine’s president met allies in Brussels to discuss air defence and "
    "reconstruction funding of €50bn over four years election officials reported turnout of 63.4% "
    "the highest since 1998 according to preliminary figures published late on Sunday evening"
).split()


def make_texts(n: int, target_tokens: int, embedder: MiniLMEmbedder) -> list[str]:
    rng = random.Random(1234)
    tokenizer = embedder._get_model().tokenizer
    texts = []
    for _ in range(n):
        words = [rng.choice(_WORDS) for _ in range(target_tokens)]
        while len(tokenizer.encode(" ".join(words)).ids) > target_tokens:
            words.pop()
        texts.append(" ".join(words).capitalize() + ".")
    return texts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=512)
    parser.add_argument("--tokens", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=None, help="worker threads (default: CPUs, at most 4)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    embedder = MiniLMEmbedder(batch_size=args.batch_size, threads=args.threads)
    started = time.perf_counter()
    embedder.load()
    print(f"load: {time.perf_counter() - started:.2f} s")

    texts = make_texts(args.n, args.tokens, embedder)
    lengths = [len(ids) for ids in embedder._get_model().tokenize(texts)]
    print(f"{len(texts)} texts, mean {statistics.mean(lengths):.1f} tokens (incl. [CLS]/[SEP])")

    embedder.embed(texts[:32])  # warm-up
    rates = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        vectors = embedder.embed(texts)
        rates.append(len(texts) / (time.perf_counter() - started))
    assert vectors.shape == (len(texts), embedder.dim)
    print(
        f"throughput: {max(rates):.1f} texts/s with {embedder.threads} threads (best of {args.repeat}; all: "
        + ", ".join(f"{r:.1f}" for r in rates)
        + ")"
    )

    latencies = []
    for _ in range(20):
        started = time.perf_counter()
        embedder.embed(["who pledged troops to Ukraine?"])
        latencies.append(time.perf_counter() - started)
    print(f"one short query: median {statistics.median(latencies) * 1e3:.1f} ms")

    reference = json.loads((REPO / "tests" / "data" / "minilm_reference.json").read_text(encoding="utf-8"))
    ours = embedder.embed(reference["sentences"])
    theirs = np.asarray(reference["vectors"], dtype=np.float32)
    cosine = (ours * theirs).sum(axis=1) / np.linalg.norm(theirs, axis=1)
    print(f"cosine vs sentence-transformers reference: min {cosine.min():.7f} over {len(cosine)} sentences")


if __name__ == "__main__":
    main()
