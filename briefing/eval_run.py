"""`briefing eval`: run the cases through the real pipeline on fresh stores, score them, write
a JSON report and a Markdown summary, and gate on evals/thresholds.yaml."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Callable

from briefing import eval_score as sc
from briefing.answer import ask
from briefing.app import App
from briefing.cache import ResponseCache
from briefing.eval_cases import QuestionCase, Suite
from briefing.ingest import ingest_paths
from briefing.llm import make_llm
from briefing.models import AskResult
from briefing.render import answer_text
from briefing.settings import Settings

Progress = Callable[[str, int, int], None]


def _ask_record(app: App, case: QuestionCase, kind: str) -> dict:
    try:
        r: AskResult = ask(app, case.question)
    except Exception as exc:  # a case that crashes is a failed case, not a crashed suite
        return {"id": case.id, "kind": kind, "question": case.question, "answerable": case.answerable, "error": str(exc),
                "passed": False, "mode": "error", "answer": "", "quotes": [], "citations_valid": 0, "citations_total": 0}
    quotes = [c.quote for c in r.citations]
    valid = sum(sc.quote_is_exact(app.store.document(c.doc_id)["text"] if app.store.document(c.doc_id) else None, c.quote, c.start, c.end)
                for c in r.citations + r.closest)
    abstained = r.mode == "abstained"
    rec = {
        "id": case.id, "kind": kind, "question": case.question, "answerable": case.answerable, "mode": r.mode,
        "answer": r.answer, "reason": r.reason, "quotes": quotes, "sources": [c.source for c in r.citations],
        "abstained": abstained, "citations_valid": valid, "citations_total": len(r.citations) + len(r.closest),
        "latency_ms": r.timings_ms.get("total", 0.0), "llm_calls": r.llm_calls, "attempts": r.attempts,
        "prompt_tokens": r.prompt_tokens, "completion_tokens": r.completion_tokens,
        "schema_failures": r.schema_failures,
    }
    forbidden = sc.forbidden_found(r.answer + "\n" + "\n".join(quotes) + "\n" + answer_text(r).split("Closest evidence")[0], case.must_not_contain)
    rec["forbidden_found"] = forbidden
    if case.answerable:
        rec["fact_recall_answer"] = sc.fact_recall(r.answer, case.facts) if not abstained else 0.0
        rec["fact_recall_with_quotes"] = sc.fact_recall(r.answer + "\n" + "\n".join(quotes), case.facts) if not abstained else 0.0
        rec["supported"] = sc.supports(quotes, case.facts) if not abstained else False
        rec["passed"] = not abstained and rec["fact_recall_answer"] == 1.0 and not forbidden
    else:
        rec["passed"] = abstained and not forbidden
    return rec


def _fresh_app(settings: Settings, root: Path, name: str, embedder, llm) -> App:
    app = App(settings.model_copy(update={"data_dir": root / name, "chroma_url": None}), embedder=embedder)
    app.__dict__["llm"] = llm
    return app


def run_suite(settings: Settings, suite: Suite, seeds: Path, cache: ResponseCache | None, progress: Progress | None = None) -> dict:
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="briefing-eval-") as tmp:
        root = Path(tmp)
        main = App(settings.model_copy(update={"data_dir": root / "main", "chroma_url": None}))
        llm = make_llm(settings, log=lambda *a: main.store.log_call(*a), cache=cache)
        main.__dict__["llm"] = llm
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
            from briefing.eval_briefs import run_brief_checks

            brief_records = run_brief_checks(main, suite.briefs)
            if progress:
                progress("cases", total, total)
        calls = [dict(r) for r in main.store.calls(100000)]
        main.store.close()
    metrics = aggregate(records, brief_records)
    return {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"), "seconds": round(time.time() - started, 1),
        "model": llm.name, "settings": {"k": settings.k, "gate_min_score": settings.gate_min_score,
                                        "llm_max_attempts": llm.max_attempts, "chunk_sentences": settings.chunk_sentences},
        "cache": {"hits": cache.hits, "misses": cache.misses} if cache else None,
        "llm_calls_logged": len(calls),
        "metrics": metrics, "cases": records, "brief_checks": brief_records,
    }


def aggregate(records: list[dict], brief_records: list[dict]) -> dict:
    qs = [r for r in records if r["kind"] == "question"]
    answerable = [r for r in qs if r["answerable"]]
    answered = [r for r in answerable if r.get("mode") in ("generated", "extractive")]
    adv = [r for r in records if r["kind"] == "adversarial"]
    total_cites = sum(r["citations_total"] for r in records) + sum(b.get("citations_total", 0) for b in brief_records)
    valid_cites = sum(r["citations_valid"] for r in records) + sum(b.get("citations_valid", 0) for b in brief_records)
    precision, recall = sc.abstention([r.get("abstained", False) for r in qs], [not r["answerable"] for r in qs])
    latencies = [r["latency_ms"] for r in records if "latency_ms" in r]
    modes = [r.get("mode") for r in qs]
    attempts = sum(r.get("attempts", 0) for r in records)
    mean = lambda xs: round(sum(xs) / len(xs), 4) if xs else 0.0  # noqa: E731
    m = {
        "questions": len(qs), "answerable": len(answerable), "unanswerable": len(qs) - len(answerable),
        "question_pass_rate": mean([float(r["passed"]) for r in qs]),
        "fact_recall_answer": mean([r.get("fact_recall_answer", 0.0) for r in answerable]),
        "fact_recall_with_quotes": mean([r.get("fact_recall_with_quotes", 0.0) for r in answerable]),
        "citation_validity": round(valid_cites / total_cites, 4) if total_cites else 1.0,
        "citation_support": mean([float(r.get("supported", False)) for r in answered]),
        "abstention_precision": round(precision, 4), "abstention_recall": round(recall, 4),
        "schema_validity": round(1 - sum(r.get("schema_failures", 0) for r in records) / attempts, 4) if attempts else 1.0,
        "share_generated": mean([float(x == "generated") for x in modes]),
        "share_extractive": mean([float(x == "extractive") for x in modes]),
        "share_abstained": mean([float(x == "abstained") for x in modes]),
        "errors": sum(1 for r in records if r.get("mode") == "error"),
        "adversarial_pass_rate": mean([float(r["passed"]) for r in adv]) if adv else None,
        "latency_p50_ms": round(sc.percentile(latencies, 50), 1), "latency_p95_ms": round(sc.percentile(latencies, 95), 1),
        "llm_calls": sum(r.get("llm_calls", 0) for r in records) + sum(b.get("llm_calls", 0) for b in brief_records),
        "prompt_tokens": sum(r.get("prompt_tokens", 0) for r in records),
        "completion_tokens": sum(r.get("completion_tokens", 0) for r in records),
    }
    if brief_records:
        m["brief_check_pass_rate"] = mean([float(b["passed"]) for b in brief_records if b["kind"] != "brief"])
    return m


def check_thresholds(metrics: dict, thresholds: dict) -> list[str]:
    missed = []
    for name, minimum in thresholds.items():
        if minimum is None:
            continue
        value = metrics.get(name)
        if value is None or value < minimum:
            missed.append(f"{name} {value} < {minimum}")
    return missed


def write_report(report: dict, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    jpath, mpath = folder / "report.json", folder / "summary.md"
    jpath.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    mpath.write_text(markdown_summary(report), encoding="utf-8")
    return jpath, mpath


def _cell(text: str, n: int = 90) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= n else text[: n - 1] + "…"


def markdown_summary(report: dict) -> str:
    m, th = report["metrics"], report.get("thresholds", {})
    lines = [f"# Eval report — {report['model']}", "", f"{report['created']} · {report['seconds']} s · settings {report['settings']}", "",
             "| metric | value | threshold |", "|---|---|---|"]
    for k, v in m.items():
        t = th.get(k)
        lines.append(f"| {k} | {v} | {'' if t is None else ('≥ ' + str(t) + (' ✅' if v is not None and v >= t else ' ❌'))} |")
    cases = sorted(report["cases"], key=lambda r: (r["passed"], r["kind"], r["id"]))
    lines += ["", "## Cases (failures first)", "", "| id | kind | pass | mode | answer |", "|---|---|---|---|---|"]
    for r in cases:
        lines.append(f"| {r['id']} | {r['kind']} | {'✅' if r['passed'] else '❌'} | {r.get('mode')} | {_cell(r.get('answer', ''))} |")
    failed = [r for r in cases if not r["passed"]]
    if failed:
        lines += ["", "## Failures in detail", ""]
        for r in failed:
            lines += [f"### {r['id']}", f"- question: {r['question']}", f"- mode: {r.get('mode')} — {r.get('reason', r.get('error', ''))}",
                      f"- answer: {r.get('answer', '')}"]
            lines += [f"- quote: “{q}”" for q in r.get("quotes", [])]
            if r.get("forbidden_found"):
                lines.append(f"- forbidden phrases present: {r['forbidden_found']}")
            lines.append("")
    if report.get("brief_checks"):
        lines += ["", "## Brief checks", "", "| id | kind | pass | detail |", "|---|---|---|---|"]
        for b in sorted(report["brief_checks"], key=lambda b: (b["passed"], b["id"])):
            lines.append(f"| {b['id']} | {b.get('kind')} | {'✅' if b['passed'] else '❌'} | {_cell(b.get('detail', ''))} |")
    return "\n".join(lines) + "\n"


def compare(a: dict, b: dict) -> str:
    lines = [f"A: {a['model']} ({a['created']})   B: {b['model']} ({b['created']})", "", f"{'metric':28} {'A':>10} {'B':>10} {'change':>10}"]
    for k in dict.fromkeys(list(a["metrics"]) + list(b["metrics"])):
        va, vb = a["metrics"].get(k), b["metrics"].get(k)
        delta = f"{vb - va:+.4g}" if isinstance(va, (int, float)) and isinstance(vb, (int, float)) else ""
        lines.append(f"{k:28} {str(va):>10} {str(vb):>10} {delta:>10}")
    pa = {r["id"]: r["passed"] for r in a["cases"] + a.get("brief_checks", [])}
    pb = {r["id"]: r["passed"] for r in b["cases"] + b.get("brief_checks", [])}
    fixed = sorted(i for i in pa if i in pb and not pa[i] and pb[i])
    broke = sorted(i for i in pa if i in pb and pa[i] and not pb[i])
    lines += ["", f"now passing ({len(fixed)}): {', '.join(fixed) or '—'}", f"now failing ({len(broke)}): {', '.join(broke) or '—'}"]
    return "\n".join(lines)
