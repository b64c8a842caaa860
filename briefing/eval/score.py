"""Deterministic scorers, of one answer (score_answer) and of the whole run (aggregate). They read the
typed results, never rendered text. Every text comparison goes through briefing.text.normalize()."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING, Callable

from briefing.text import contains

if TYPE_CHECKING:
    from briefing.eval.cases import QuestionCase
    from briefing.models import AskResult


def fact_found(text: str, fact: list[str]) -> bool:
    return any(contains(text, alt) for alt in fact)


def fact_recall(text: str, facts: list[list[str]]) -> float:
    if not facts:
        return 1.0
    return sum(fact_found(text, f) for f in facts) / len(facts)


def forbidden_found(text: str, phrases: list[str]) -> list[str]:
    return [p for p in phrases if contains(text, p)]


def quote_is_exact(doc_text: str | None, quote: str, start: int, end: int) -> bool:
    return doc_text is not None and 0 <= start < end <= len(doc_text) and doc_text[start:end] == quote


def supports(quotes: list[str], facts: list[list[str]]) -> bool:
    """At least one cited quote contains at least one labelled fact."""
    return any(fact_found(q, f) for q in quotes for f in facts)


def abstention(predicted: list[bool], truth: list[bool]) -> tuple[float, float]:
    """(precision, recall) of abstaining; predicted/truth are 'abstained' / 'unanswerable' flags."""
    tp = sum(p and t for p, t in zip(predicted, truth))
    fp = sum(p and not t for p, t in zip(predicted, truth))
    fn = sum(t and not p for p, t in zip(predicted, truth))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def answer_record(case: QuestionCase, kind: str, r: AskResult, doc_text: Callable[[str], str | None]) -> dict:
    """One question's record: what was answered, how it scores against the case. doc_text: doc id → stored text."""
    quotes = [c.quote for c in r.citations]
    valid = sum(quote_is_exact(doc_text(c.doc_id), c.quote, c.start, c.end) for c in r.citations + r.closest)
    abstained = r.mode == "abstained"
    rec = {
        "id": case.id,
        "kind": kind,
        "question": case.question,
        "answerable": case.answerable,
        "mode": r.mode,
        "answer": r.answer,
        "reason": r.reason,
        "quotes": quotes,
        "sources": [c.source for c in r.citations],
        "abstained": abstained,
        "citations_valid": valid,
        "citations_total": len(r.citations) + len(r.closest),
        "latency_ms": r.timings_ms.get("total", 0.0),
        "llm_calls": r.llm_calls,
        "attempts": r.attempts,
        "prompt_tokens": r.prompt_tokens,
        "completion_tokens": r.completion_tokens,
        "schema_failures": r.schema_failures,
    }
    forbidden = forbidden_found("\n".join(shown_text(r)), case.must_not_contain)
    rec["forbidden_found"] = forbidden
    if case.answerable:
        rec["fact_recall_answer"] = fact_recall(r.answer, case.facts) if not abstained else 0.0
        rec["fact_recall_with_quotes"] = (
            fact_recall(r.answer + "\n" + "\n".join(quotes), case.facts) if not abstained else 0.0
        )
        rec["supported"] = supports(quotes, case.facts) if not abstained else False
        rec["passed"] = not abstained and rec["fact_recall_answer"] == 1.0 and not forbidden
    else:
        rec["passed"] = abstained and not forbidden
    return rec


def shown_text(r: AskResult) -> list[str]:
    """What a reader is told as the answer: the answer, the model or the abstention reason, and each citation's
    quote and source (the closest evidence shown with an abstention is not part of it)."""
    out = [r.answer, r.model if r.mode == "generated" else (r.reason or "") if r.mode == "abstained" else ""]
    for c in r.citations:
        out += [c.quote, c.source]
    return out


def aggregate(records: list[dict], brief_records: list[dict]) -> dict:
    qs = [r for r in records if r["kind"] == "question"]
    answerable = [r for r in qs if r["answerable"]]
    answered = [r for r in answerable if r.get("mode") in ("generated", "extractive")]
    adv = [r for r in records if r["kind"] == "adversarial"]
    total_cites = sum(r["citations_total"] for r in records) + sum(b.get("citations_total", 0) for b in brief_records)
    valid_cites = sum(r["citations_valid"] for r in records) + sum(b.get("citations_valid", 0) for b in brief_records)
    precision, recall = abstention([r.get("abstained", False) for r in qs], [not r["answerable"] for r in qs])
    latencies = [r["latency_ms"] for r in records if "latency_ms" in r]
    modes = [r.get("mode") for r in qs]
    attempts = sum(r.get("attempts", 0) for r in records)
    mean = lambda xs: round(sum(xs) / len(xs), 4) if xs else 0.0  # noqa: E731
    m = {
        "questions": len(qs),
        "answerable": len(answerable),
        "unanswerable": len(qs) - len(answerable),
        "question_pass_rate": mean([float(r["passed"]) for r in qs]),
        "fact_recall_answer": mean([r.get("fact_recall_answer", 0.0) for r in answerable]),
        "fact_recall_with_quotes": mean([r.get("fact_recall_with_quotes", 0.0) for r in answerable]),
        "citation_validity": round(valid_cites / total_cites, 4) if total_cites else 1.0,
        "citation_support": mean([float(r.get("supported", False)) for r in answered]),
        "abstention_precision": round(precision, 4),
        "abstention_recall": round(recall, 4),
        "schema_validity": round(1 - sum(r.get("schema_failures", 0) for r in records) / attempts, 4)
        if attempts
        else 1.0,
        "share_generated": mean([float(x == "generated") for x in modes]),
        "share_extractive": mean([float(x == "extractive") for x in modes]),
        "share_abstained": mean([float(x == "abstained") for x in modes]),
        "errors": sum(1 for r in records if r.get("mode") == "error"),
        "adversarial_pass_rate": mean([float(r["passed"]) for r in adv]) if adv else None,
        "latency_p50_ms": round(percentile(latencies, 50), 1),
        "latency_p95_ms": round(percentile(latencies, 95), 1),
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
