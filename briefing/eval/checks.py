"""One hand-labelled brief check scored against a built brief (the part it looks at, what it must and must not
contain)."""

from __future__ import annotations

from briefing.brief.models import Briefing, CitedText
from briefing.eval import score as sc
from briefing.eval.cases import BriefCheck


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
