"""Scoring a built brief against the hand-labelled checks in evals/briefs.yaml."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing.brief.build import build_brief
from briefing.brief.models import Briefing, CitedText
from briefing.eval import score as sc
from briefing.eval.cases import BriefCheck, BriefSuite

if TYPE_CHECKING:
    from briefing.app import App


def _text(items: list[CitedText]) -> str:
    return "\n".join(i.text + "\n" + "\n".join(c.quote for c in i.citations) for i in items)


def part_text(b: Briefing, check: BriefCheck) -> list[str]:
    """The text(s) a check looks at; a disagreement check must pass within one entry."""
    if check.kind == "position":
        pos = next((p for p in b.positions if p.actor.lower() == (check.actor or "").lower()), None)
        return [_text([pos.stance] + pos.key_points)] if pos else [""]
    if check.kind == "key_fact":
        return [_text(list(b.key_facts))]
    if check.kind == "disagreement":
        return [d.topic + "\n" + _text(d.sides) for d in b.disagreements] or [""]
    return [_text([b.headline] + b.summary)]


def score_check(b: Briefing, check: BriefCheck) -> dict:
    texts = part_text(b, check)
    best = max(texts, key=lambda t: sc.fact_recall(t, check.must_contain))
    recall = sc.fact_recall(best, check.must_contain)
    forbidden = sc.forbidden_found("\n".join(texts), check.must_not_contain)
    missing = [f[0] for f in check.must_contain if not sc.fact_found(best, f)]
    detail = "; ".join(
        filter(None, [f"missing {missing}" if missing else "", f"must not contain {forbidden}" if forbidden else ""])
    )
    return {
        "id": check.id,
        "kind": check.kind,
        "actor": check.actor,
        "recall": recall,
        "forbidden_found": forbidden,
        "passed": recall == 1.0 and not forbidden,
        "detail": detail or "ok",
    }


def run_brief_checks(app: App, suite: BriefSuite) -> list[dict]:
    try:
        b = build_brief(app, suite.date, 1, suite.actors)
    except Exception as exc:  # the brief failing to build fails every check, visibly
        return [{"id": c.id, "kind": c.kind, "passed": False, "detail": f"brief failed: {exc}"} for c in suite.checks]
    quotes = [c for item in b.cited_items() for c in item.citations]
    valid = sum(sc.quote_is_exact(app.store.document(c.doc_id)["text"], c.quote, c.start, c.end) for c in quotes)
    records = [score_check(b, c) for c in suite.checks]
    records.append(
        {
            "id": "brief",
            "kind": "brief",
            "passed": valid == len(quotes),
            "citations_valid": valid,
            "citations_total": len(quotes),
            "llm_calls": b.llm_calls,
            "latency_ms": b.timings_ms.get("total", 0.0),
            "modes": _modes(b),
            "detail": f"{valid}/{len(quotes)} citations exact",
        }
    )
    return records


def _modes(b: Briefing) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in b.cited_items():
        if item.citations:
            out[item.mode] = out.get(item.mode, 0) + 1
    return out
