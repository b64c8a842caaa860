"""Claims of a document as plain text lines or JSON (for `briefing claims DOC_ID [--json]`)."""

from __future__ import annotations

import json

from briefing.claims.models import Claim


def claim_line(c: Claim) -> str:
    who = "narrator" if c.speaker is None else c.speaker + (f" ({c.speaker_role})" if c.speaker_role else "")
    parts = [f"[{c.sentence_id}] {c.kind}", f"speaker: {who}", f"actor: {c.actor or '-'}"]
    if c.organisation:
        parts.append(f"for: {c.organisation}")
    if c.reported_by:
        parts.append(f"source: {c.reported_by}")
    if c.event:
        parts.append(f"event: {c.event}" + (f" on {c.event_date.isoformat()}" if c.event_date else ""))
    if c.said_on:
        parts.append(f"said on {c.said_on.isoformat()}")
    if c.quantities:
        parts.append(
            "numbers: " + ", ".join(f"{q.value:g} {q.unit}" + (" (approx.)" if q.approx else "") for q in c.quantities)
        )
    line = " · ".join(parts)
    return f"{line}\n    {c.text}"


def render_text(claims: list[Claim]) -> str:
    return "\n".join(claim_line(c) for c in claims)


def render_json(claims: list[Claim]) -> str:
    return json.dumps([c.model_dump(mode="json") for c in claims], ensure_ascii=False, indent=2)
