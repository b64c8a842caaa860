"""Question eval on a labelled multi-outlet corpus: ingest its articles (and the seeds) into a temporary
data directory, ask every case in its questions.yaml through the real `ask`, score with the same scorers
as `briefing eval`, and print the metrics overall and per kind (answer_type, time, conflict, paraphrase).

Run:  .venv/bin/python benchmarks/eval_corpus.py CORPUS_DIR [--no-seeds] [--generate never|auto|always]
      [--report OUT.json]
CORPUS_DIR holds articles/ and questions.yaml (e.g. evals/multi_outlet)."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.app import App  # noqa: E402
from briefing.eval.cases import QuestionCase  # noqa: E402
from briefing.eval.run import _ask_record  # noqa: E402
from briefing.eval.score import aggregate  # noqa: E402
from briefing.ingest import ingest_paths  # noqa: E402
from briefing.settings import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--no-seeds", action="store_true", help="ingest only the corpus articles")
    parser.add_argument("--generate", default="never", choices=["never", "auto", "always"])
    parser.add_argument("--report", type=Path, default=None)
    args = parser.parse_args()

    raw = yaml.safe_load((args.corpus / "questions.yaml").read_text(encoding="utf-8"))["cases"]
    cases = [(c.get("kind", "other"), QuestionCase(**{k: v for k, v in c.items() if k != "kind"})) for c in raw]
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="briefing-corpus-") as tmp:
        articles = Path(tmp) / "articles"
        articles.mkdir()
        for f in sorted((args.corpus / "articles").iterdir()):
            shutil.copy(f, articles / f.name)
        if not args.no_seeds:
            for f in sorted((ROOT / "seeds").iterdir()):
                shutil.copy(f, articles / f.name)
        app = App(Settings(data_dir=Path(tmp) / "data", chroma_url=None, generate=args.generate))
        ingest_paths(app, [articles])
        records = []
        for kind, case in cases:
            rec = _ask_record(app, case, "question")
            rec["case_kind"] = kind
            records.append(rec)
        app.store.close()

    def metrics(rs):
        m = aggregate(rs, [])
        keys = [
            "questions",
            "answerable",
            "unanswerable",
            "question_pass_rate",
            "fact_recall_answer",
            "fact_recall_with_quotes",
            "citation_validity",
            "abstention_precision",
            "abstention_recall",
            "share_read",
            "share_generated",
            "share_abstained",
            "latency_p50_ms",
        ]
        return {k: m[k] for k in keys if k in m}

    by_kind = defaultdict(list)
    for r in records:
        by_kind[r["case_kind"]].append(r)
    out = {
        "corpus": str(args.corpus),
        "seeds": not args.no_seeds,
        "generate": args.generate,
        "seconds": round(time.time() - started, 1),
        "overall": metrics(records),
        "by_kind": {k: metrics(v) for k, v in sorted(by_kind.items())},
        "failed": [
            {
                "id": r["id"],
                "kind": r["case_kind"],
                "mode": r["mode"],
                "answer": r["answer"][:300],
                "reason": r.get("reason", ""),
            }
            for r in records
            if not r["passed"]
        ],
    }
    if args.report:
        args.report.write_text(json.dumps({**out, "cases": records}, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({k: out[k] for k in ("overall", "by_kind", "seconds")}, indent=2))
    print(f"failed ({len(out['failed'])}):")
    for f in out["failed"]:
        reason = ("— " + f["reason"][:120]) if f["reason"] else ""
        print(f"  {f['id']} [{f['kind']}] {f['mode']}: {' '.join(f['answer'].split())[:160]} {reason}")


if __name__ == "__main__":
    main()
