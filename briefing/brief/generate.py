"""The model's wording of a position (with a model server): a typed draft citing evidence ids, grounding-checked
with re-ask, falling back to the program's quoted statements; and Parts, which turns drafts or stored sentences
into cited brief parts with exact quotes."""

from __future__ import annotations

from pydantic import Field, create_model

from briefing.brief.models import NO_POSITION, CitedText, KeyFact, Position
from briefing.evidence import Evidence, Grounded, Sentence, citation, cited_ids
from briefing.text import normalize

MAX_POINTS = 5


def _point(Id, max_len: int = 240):
    return create_model(
        "Point",
        text=(str, Field(min_length=3, max_length=max_len)),
        citations=(list[Id], Field(min_length=1, max_length=3)),
    )


def position_model(ids: list[str]) -> type[Grounded]:
    Id = cited_ids(ids)
    Point = _point(Id)
    model = create_model(
        "PositionDraft",
        __base__=Grounded,
        stance=(str, Field(min_length=3, max_length=240)),
        stance_citations=(list[Id], Field(min_length=1, max_length=3)),
        key_points=(list[Point], Field(min_length=1, max_length=MAX_POINTS)),
    )
    model.pairs = lambda self: [(self.stance, self.stance_citations)] + [(p.text, p.citations) for p in self.key_points]
    model.listed = lambda self: [p.text for p in self.key_points]  # (a point equal to the stance is dropped in Parts)
    return model


class Parts:
    """Turns drafts (or their absence) into cited brief parts, with exact quotes from the store."""

    def __init__(self, texts: dict[str, str]):
        self.texts = texts  # doc id → stored text

    def cited(self, text: str, evidence: list[Evidence] | list[Sentence], mode: str) -> CitedText:
        return CitedText(text=text, citations=[citation(e, self.texts[e.doc_id]) for e in evidence], mode=mode)

    def quoted(self, e: Evidence | Sentence) -> CitedText:
        return self.cited(e.text, [e], "extractive")

    def from_ids(self, text: str, ids: list[str], by_id: dict[str, Evidence]) -> CitedText:
        return self.cited(text.strip(), [by_id[i] for i in dict.fromkeys(ids)], "generated")

    def position(self, actor: str, evidence: list[Evidence], draft) -> Position:
        if not evidence:
            return Position(actor=actor, has_position=False, stance=CitedText(text=NO_POSITION), key_points=[])
        if draft is not None:
            by_id = {e.id: e for e in evidence}
            stance = self.from_ids(draft.stance, draft.stance_citations, by_id)
            return Position(
                actor=actor,
                has_position=True,
                stance=stance,
                key_points=[
                    self.from_ids(p.text, p.citations, by_id)
                    for p in draft.key_points
                    if normalize(p.text) != normalize(stance.text)
                ],
            )
        return Position(
            actor=actor,
            has_position=True,
            stance=self.quoted(evidence[0]),
            key_points=[self.quoted(e) for e in evidence[1:4]],
        )

    def facts(self, evidence: list[Evidence], draft, limit: int) -> list[KeyFact]:
        if draft is not None:
            by_id = {e.id: e for e in evidence}
            return [KeyFact(**self.from_ids(p.text, p.citations, by_id).model_dump()) for p in draft.facts]
        return [KeyFact(**self.quoted(e).model_dump()) for e in evidence[:limit]]
