"""Scoring a built brief against the hand-labelled checks in evals/briefs.yaml."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing.brief.build import build_brief
from briefing.brief.models import Briefing
from briefing.eval import score as sc
from briefing.eval.cases import BriefSuite
from briefing.eval.checks import score_check

if TYPE_CHECKING:
    from briefing.app import App


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
