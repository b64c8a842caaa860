"""Retrieval latency (p50/p95 of retrieve(app, question, k=6)) at 10,000 and 100,000 stored chunks.

The store holds the seed articles, ingested for real, plus synthetic articles up to each scale:
sentences of random words from the seed vocabulary, written to SQLite in bulk (documents,
chunks, sentences; the FTS5 trigger indexes them), and random unit vectors (dim 384) upserted
straight into Chroma, so nothing but the questions and the evidence is embedded. Each timed call
covers what `ask` pays for retrieval: embedding the question with the real MiniLM, the Chroma
query, the FTS5 keyword search, fusion, and embedding the k evidence sentences. Also measured:
the first retrieve in a fresh process (Chroma loads its index from disk, as every CLI call does).

Run:  .venv/bin/python benchmarks/bench_retrieval.py [--quick] [--scales 10000,100000] [--questions 50]
Target: p95 < 50 ms at 100,000 chunks.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from _common import (
    SEEDS,
    figure,
    machine_info,
    pct,
    peak_rss_mb,
    print_table,
    seed_questions,
    seed_vocabulary,
    spread,
    write_result,
)

TARGET_P95_MS = 50.0
K = 6
CHUNKS_PER_DOC = 10
SENTENCES_PER_CHUNK = 3  # the default chunk_sentences
SEPT_2025 = 1756684800  # 2025-09-01 00:00 UTC


def synthetic_docs(first: int, n_docs: int, vocab: list[str], rng: random.Random):
    """Rows for the documents, chunks and sentences tables, with exact offsets."""
    docs, chunks, sentences = [], [], []
    for d in range(first, first + n_docs):
        doc_id = f"syn{d:013d}"
        paragraphs, pos, s_idx = [], 0, 0
        for c in range(CHUNKS_PER_DOC):
            chunk_id = f"{doc_id}-{c:03d}"
            pieces, c_start = [], pos
            for _ in range(SENTENCES_PER_CHUNK):
                words = [rng.choice(vocab) for _ in range(rng.randint(8, 24))]
                text = " ".join(words).capitalize() + "."
                sentences.append((f"{doc_id}:{s_idx}", doc_id, s_idx, pos, pos + len(text), text, chunk_id))
                pieces.append(text)
                pos += len(text) + 1
                s_idx += 1
            paragraph = " ".join(pieces)
            chunks.append((chunk_id, doc_id, c, c_start, c_start + len(paragraph), paragraph, 1))
            paragraphs.append(paragraph)
            pos += 1  # "\n\n" between paragraphs: one more than the " " already counted
        epoch = SEPT_2025 + rng.randrange(30) * 86400
        published = time.strftime("%Y-%m-%d", time.gmtime(epoch))
        docs.append(
            (
                doc_id,
                f"Synthetic article {d}",
                f"synthetic/{d}.txt",
                published,
                epoch,
                "\n\n".join(paragraphs),
                "{}",
                None,
                time.time(),
            )
        )
    return docs, chunks, sentences


def grow(app, n_chunks: int, first_doc: int, vocab: list[str], rng: random.Random, nrng: np.random.Generator) -> dict:
    """Add about n_chunks synthetic chunks; returns build timings."""
    n_docs = -(-n_chunks // CHUNKS_PER_DOC)
    t0 = time.perf_counter()
    docs, chunks, sentences = synthetic_docs(first_doc, n_docs, vocab, rng)
    t1 = time.perf_counter()
    with app.store.transaction() as db:
        db.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?)", docs)
        db.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?,?)", chunks)
        db.executemany("INSERT INTO sentences VALUES (?,?,?,?,?,?,?)", sentences)
    t2 = time.perf_counter()
    epoch_of = {d[0]: d[4] for d in docs}
    batch = min(5000, app.index.client.get_max_batch_size())
    for i in range(0, len(chunks), batch):
        part = chunks[i : i + batch]
        vectors = nrng.standard_normal((len(part), app.embedder.dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        app.index.upsert(
            [c[0] for c in part],
            vectors,
            [{"doc_id": c[1], "source": f"synthetic/{c[1]}", "published": epoch_of[c[1]]} for c in part],
        )
    t3 = time.perf_counter()
    return {"docs": n_docs, "generate_s": t1 - t0, "sqlite_s": t2 - t1, "chroma_s": t3 - t2}


def time_retrievals(app, questions: list[str]) -> dict:
    from briefing.retrieval import retrieve

    calls: list[tuple[str, float]] = []

    def recorded(label, fn):
        def inner(*a, **kw):
            started = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                calls.append((label, (time.perf_counter() - started) * 1000))

        return inner

    emb, idx, store = app.embedder, app.index, app.store
    saved = emb.embed, idx.query, store.keyword_search
    emb.embed, idx.query, store.keyword_search = (
        recorded("embed", emb.embed),
        recorded("chroma", idx.query),
        recorded("fts", store.keyword_search),
    )
    try:
        for q in questions[:3]:  # warm-up
            retrieve(app, q, K)
        rows = []
        for q in questions:
            calls.clear()
            started = time.perf_counter()
            found = retrieve(app, q, K)
            total = (time.perf_counter() - started) * 1000
            embeds = [ms for label, ms in calls if label == "embed"]
            row = {
                "total": total,
                "question_embed": embeds[0],
                "evidence_embed": sum(embeds[1:]),
                "chroma": sum(ms for label, ms in calls if label == "chroma"),
                "fts": sum(ms for label, ms in calls if label == "fts"),
                "evidence": len(found),
            }
            row["rest"] = total - row["question_embed"] - row["evidence_embed"] - row["chroma"] - row["fts"]
            rows.append(row)
    finally:
        emb.embed, idx.query, store.keyword_search = saved
    parts = ["total", "question_embed", "chroma", "fts", "evidence_embed", "rest"]
    return {p: {"p50": pct([r[p] for r in rows], 50), "p95": pct([r[p] for r in rows], 95)} for p in parts} | {
        "n": len(rows),
        "mean_evidence": sum(r["evidence"] for r in rows) / len(rows),
    }


def first_query_in_fresh_process(data_dir: Path, question: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--first-query", str(data_dir), question], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _first_query(data_dir: str, question: str) -> None:
    from briefing.app import App
    from briefing.retrieval import retrieve
    from briefing.settings import Settings

    app = App(Settings(data_dir=Path(data_dir)))
    t0 = time.perf_counter()
    getattr(app.embedder, "load", lambda: None)()
    t1 = time.perf_counter()
    retrieve(app, question, K)
    t2 = time.perf_counter()
    retrieve(app, question, K)
    t3 = time.perf_counter()
    print(
        json.dumps(
            {
                "embedder_load_ms": (t1 - t0) * 1000,
                "first_retrieve_ms": (t2 - t1) * 1000,
                "second_retrieve_ms": (t3 - t2) * 1000,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smoke test: 1,000 and 2,000 chunks, 20 questions")
    parser.add_argument("--scales", default=None, help="comma-separated chunk counts (default 10000,100000)")
    parser.add_argument("--questions", type=int, default=None, help="timed questions per scale (default 50)")
    parser.add_argument("--first-query", nargs=2, metavar=("DATA_DIR", "QUESTION"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_query:
        return _first_query(*args.first_query)
    scales = [int(s) for s in (args.scales or ("1000,2000" if args.quick else "10000,100000")).split(",")]
    questions = [q["question"] for q in spread(seed_questions(), args.questions or (20 if args.quick else 50))]
    machine = machine_info()

    from briefing.app import App
    from briefing.ingest import ingest_paths
    from briefing.settings import Settings

    rng, nrng = random.Random(7), np.random.default_rng(7)
    vocab = seed_vocabulary()
    tmp = Path(tempfile.mkdtemp(prefix="briefing-bench-retrieval-"))
    results, figures = {}, []
    try:
        app = App(Settings(data_dir=tmp / "data"))
        ingest_paths(app, [SEEDS])
        docs_added = 0
        for scale in scales:
            have = app.store.count("chunks")
            build = grow(app, max(0, scale - have), docs_added, vocab, rng, nrng)
            docs_added += build["docs"]
            chunks = app.store.count("chunks")
            assert app.index.count() == chunks, (app.index.count(), chunks)
            timing = time_retrievals(app, questions)
            fresh = first_query_in_fresh_process(tmp / "data", questions[0])
            results[scale] = {
                "chunks": chunks,
                "sentences": app.store.count("sentences"),
                "build": build,
                "latency_ms": timing,
                "fresh_process": fresh,
            }
            b, lat = build, timing
            print(
                f"\n{chunks:,} chunks ({results[scale]['sentences']:,} sentences): built "
                f"+{b['docs'] * CHUNKS_PER_DOC:,} chunks in "
                f"{b['generate_s'] + b['sqlite_s'] + b['chroma_s']:.1f} s (generate {b['generate_s']:.1f}, "
                f"SQLite+FTS {b['sqlite_s']:.1f}, "
                f"Chroma {b['chroma_s']:.1f})"
            )
            print(f"  {'ms':<16} {'p50':>7} {'p95':>7}")
            for part in ["total", "question_embed", "chroma", "fts", "evidence_embed", "rest"]:
                print(f"  {part:<16} {lat[part]['p50']:7.1f} {lat[part]['p95']:7.1f}")
            print(
                f"  fresh process: embedder load {fresh['embedder_load_ms']:.0f} ms, first retrieve "
                f"{fresh['first_retrieve_ms']:.0f} ms, second {fresh['second_retrieve_ms']:.0f} ms"
            )
            # the target is for 100,000 chunks; a quick run compares its largest scale with it, labelled as such
            gets_target = chunks >= 100_000 or (args.quick and scale == scales[-1])
            figures += [
                figure(f"retrieve p50 @ {chunks:,} chunks", lat["total"]["p50"], "ms"),
                figure(
                    f"retrieve p95 @ {chunks:,} chunks",
                    lat["total"]["p95"],
                    "ms",
                    TARGET_P95_MS if gets_target else None,
                ),
                figure(f"first retrieve, fresh process @ {chunks:,}", fresh["first_retrieve_ms"], "ms"),
                figure(
                    f"build time @ {chunks:,} chunks (cumulative)",
                    sum(
                        r["build"]["generate_s"] + r["build"]["sqlite_s"] + r["build"]["chroma_s"]
                        for r in results.values()
                    ),
                    "s",
                ),
            ]
        figures.append(figure("retrieval bench peak RSS", peak_rss_mb(), "MiB"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    title = "bench_retrieval" + (" (QUICK: the 50 ms target is meant for 100,000 chunks)" if args.quick else "")
    print_table(title, figures)
    path = write_result(
        "bench_retrieval", figures, {"k": K, "questions": len(questions), "scales": results}, args.quick, machine
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
