"""Deterministic scorers. Every text comparison goes through briefing.text.normalize()."""

from __future__ import annotations

import statistics

from briefing.text import contains


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
