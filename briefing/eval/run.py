"""`briefing eval`: run the cases through the real pipeline on fresh stores, score them, write
a JSON report and a Markdown summary, and gate on evals/thresholds.yaml."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from briefing.answer import ask
from briefing.app import App, open_store
from briefing.cache import ResponseCache
from briefing.errors import InputError
from briefing.eval.cases import QuestionCase, Suite, load_suite
from briefing.eval.report import summary_lines, write_report
from briefing.eval.score import aggregate, answer_record, check_thresholds
from briefing.ingest import Progress, ingest_paths
from briefing.llm import make_llm
from briefing.models import AskResult
from briefing.settings import Settings

CORPUS = "multi_outlet"  # the labelled multi-outlet corpus, beside the cases (evals/multi_outlet/)
# Further labelled corpora of other stories (evals/other_stories/): their metrics are prefixed with the folder's name.
MORE_CORPORA = ("other_stories",)


def _ask_record(app: App, case: QuestionCase, kind: str) -> dict:
    try:
        r: AskResult = ask(app, case.question)
    except Exception as exc:  # a case that crashes is a failed case, not a crashed suite
        return {
            "id": case.id,
            "kind": kind,
            "question": case.question,
            "answerable": case.answerable,
            "error": str(exc),
            "passed": False,
            "mode": "error",
            "answer": "",
            "quotes": [],
            "citations_valid": 0,
            "citations_total": 0,
        }
    return answer_record(case, kind, r, lambda doc_id: (app.store.document(doc_id) or {"text": None})["text"])


def _fresh_app(settings: Settings, root: Path, name: str, embedder, llm) -> App:
    return App(settings.model_copy(update={"data_dir": root / name, "chroma_url": None}), embedder=embedder, llm=llm)


def run_suite(
    settings: Settings, suite: Suite, seeds: Path, cache: ResponseCache | None, progress: Progress | None = None
) -> dict:
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="briefing-eval-") as tmp:
        root = Path(tmp)
        main_settings = settings.model_copy(update={"data_dir": root / "main", "chroma_url": None})
        main_store = open_store(main_settings)
        llm = make_llm(settings, log=main_store.log_call, cache=cache)
        main = App(main_settings, llm=llm, store=main_store)
        ingest_paths(main, [seeds])
        records: list[dict] = []
        total = len(suite.questions) + len(suite.adversarial) + (1 if suite.briefs else 0)
        for case in suite.questions:
            records.append(_ask_record(main, case, "question"))
            if progress:
                progress("cases", len(records), total)
        for i, case in enumerate(suite.adversarial):
            app = _fresh_app(settings, root, f"adv{i}", main.embedder, llm)
            ingest_paths(app, [seeds] + [suite.folder / a for a in case.articles])
            records.append(_ask_record(app, case, "adversarial"))
            app.store.close()
            if progress:
                progress("cases", len(records), total)
        brief_records: list[dict] = []
        if suite.briefs is not None:
            from briefing.eval.briefs import run_brief_checks

            brief_records = run_brief_checks(main, suite.briefs)
            if progress:
                progress("cases", total, total)
        corpus_records, corpus_metrics = [], {}
        for name in (CORPUS, *MORE_CORPORA):
            corpus = suite.folder / name
            if not (corpus / "labels.yaml").is_file():
                continue
            from briefing.eval.corpus import run_corpus

            app = _fresh_app(settings, root, name, main.embedder, llm)
            ingest_paths(app, [corpus / "articles"])
            recs, found, _ = run_corpus(app, corpus)
            app.store.close()
            prefix = "" if name == CORPUS else f"{name}_"
            corpus_records += [{**r, "id": f"{prefix}{r['id']}"} for r in recs]
            corpus_metrics.update({f"{prefix}{k}": v for k, v in found.items()})
        calls = [dict(r) for r in main.store.calls(100000)]
        main.store.close()
    metrics = aggregate(records, brief_records)
    metrics.update({k: (round(v, 4) if isinstance(v, float) else v) for k, v in corpus_metrics.items()})
    return {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "seconds": round(time.time() - started, 1),
        "model": llm.name,
        "settings": {
            "k": settings.k,
            "gate_min_score": settings.gate_min_score,
            "llm_max_attempts": llm.max_attempts,
            "chunk_sentences": settings.chunk_sentences,
        },
        "cache": {"hits": cache.hits, "misses": cache.misses} if cache else None,
        "llm_calls_logged": len(calls),
        "metrics": metrics,
        "cases": records,
        "brief_checks": brief_records,
        "corpus_checks": corpus_records,
    }


def run_eval(
    settings: Settings, cases: Path, seeds: Path | None, report_dir: Path | None, use_cache: bool
) -> tuple[dict, str, list[str]]:
    from briefing.render import progress_reporter

    suite = load_suite(cases)
    seeds = seeds or cases.resolve().parent / "seeds"
    if not seeds.is_dir():
        raise InputError(f"seed articles not found at {seeds}", "pass --seeds")
    cache = ResponseCache(settings.data_dir / "eval-cache" / "llm.sqlite") if use_cache else None
    with progress_reporter() as progress:
        report = run_suite(settings, suite, seeds, cache, progress)
    report["thresholds"] = {k: v for k, v in suite.thresholds.items() if v is not None}
    missed = check_thresholds(report["metrics"], report["thresholds"])
    report["failed_thresholds"] = missed
    where = ""
    if report_dir is not None:
        j, m = write_report(report, report_dir)
        where = f"\nreport: {j}  summary: {m}"
    lines = summary_lines(report)
    if cache:
        lines.append(f"cache: {cache.hits} hits, {cache.misses} misses · {report['seconds']} s")
    return report, "\n".join(lines) + where, missed
