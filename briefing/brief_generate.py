"""The model-written parts of a brief (positions, headline and summary, key facts): typed drafts
citing evidence ids, grounding-checked with re-ask; each part falls back to verbatim evidence."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, create_model, model_validator

from briefing import grounding
from briefing.answer import citation
from briefing.brief_models import NO_POSITION, CitedText, KeyFact, Position
from briefing.retrieval import Evidence

MAX_POINTS = 5


class _Grounded(BaseModel):
    """Every (text, citations) pair in the draft must be supported by the evidence it cites."""

    def pairs(self) -> list[tuple[str, list[str]]]:
        raise NotImplementedError

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo):
        evidence: dict[str, str] = (info.context or {}).get("evidence", {})
        errors = []
        for n, (text, cites) in enumerate(self.pairs(), 1):
            found = grounding.citation_problems(text, cites, evidence)
            if found:
                errors.append(f"item {n} ({text[:60]!r}): {'; '.join(found)}")
        if errors:
            raise ValueError(" | ".join(errors[:4]) + ". Use only words, names and numbers from the evidence you cite.")
        return self


def _point(Id, max_len: int = 240):
    return create_model("Point", text=(str, Field(min_length=3, max_length=max_len)),
                        citations=(list[Id], Field(min_length=1, max_length=3)))


def position_model(ids: list[str]) -> type[_Grounded]:
    Id = Literal[tuple(ids)]  # type: ignore[valid-type]
    Point = _point(Id)
    model = create_model("PositionDraft", __base__=_Grounded,
                         stance=(str, Field(min_length=3, max_length=240)), stance_citations=(list[Id], Field(min_length=1, max_length=3)),
                         key_points=(list[Point], Field(min_length=1, max_length=MAX_POINTS)))
    model.pairs = lambda self: [(self.stance, self.stance_citations)] + [(p.text, p.citations) for p in self.key_points]
    return model


def summary_model(ids: list[str]) -> type[_Grounded]:
    Id = Literal[tuple(ids)]  # type: ignore[valid-type]
    Point = _point(Id, 300)
    model = create_model("SummaryDraft", __base__=_Grounded,
                         headline=(str, Field(min_length=3, max_length=120)), headline_citations=(list[Id], Field(min_length=1, max_length=3)),
                         summary=(list[Point], Field(min_length=2, max_length=4)))
    model.pairs = lambda self: [(self.headline, self.headline_citations)] + [(p.text, p.citations) for p in self.summary]
    return model


def facts_model(ids: list[str], max_facts: int) -> type[_Grounded]:
    Id = Literal[tuple(ids)]  # type: ignore[valid-type]
    Point = _point(Id)
    model = create_model("FactsDraft", __base__=_Grounded, facts=(list[Point], Field(min_length=1, max_length=max_facts)))
    model.pairs = lambda self: [(p.text, p.citations) for p in self.facts]
    return model


def evidence_block(evidence: list[Evidence]) -> str:
    return "\n".join(f"{e.id}: {e.text}" for e in evidence)


class Parts:
    """Turns drafts (or their absence) into cited brief parts, with exact quotes from the store."""

    def __init__(self, texts: dict[str, str]):
        self.texts = texts  # doc id → stored text

    def cited(self, text: str, evidence: list[Evidence], mode: str) -> CitedText:
        return CitedText(text=text, citations=[citation(e, self.texts[e.doc_id]) for e in evidence], mode=mode)

    def quoted(self, e: Evidence) -> CitedText:
        return self.cited(e.text, [e], "extractive")

    def from_ids(self, text: str, ids: list[str], by_id: dict[str, Evidence]) -> CitedText:
        return self.cited(text.strip(), [by_id[i] for i in dict.fromkeys(ids)], "generated")

    def position(self, actor: str, evidence: list[Evidence], draft) -> Position:
        if not evidence:
            return Position(actor=actor, has_position=False, stance=CitedText(text=NO_POSITION), key_points=[])
        if draft is not None:
            by_id = {e.id: e for e in evidence}
            return Position(actor=actor, has_position=True, stance=self.from_ids(draft.stance, draft.stance_citations, by_id),
                            key_points=[self.from_ids(p.text, p.citations, by_id) for p in draft.key_points])
        return Position(actor=actor, has_position=True, stance=self.quoted(evidence[0]),
                        key_points=[self.quoted(e) for e in evidence[1:4]])

    def facts(self, evidence: list[Evidence], draft, limit: int) -> list[KeyFact]:
        if draft is not None:
            by_id = {e.id: e for e in evidence}
            return [KeyFact(**self.from_ids(p.text, p.citations, by_id).model_dump()) for p in draft.facts]
        return [KeyFact(**self.quoted(e).model_dump()) for e in evidence[:limit]]


DATE_WORDS = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*"
                        r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?\b", re.I)
NUMBER_WORD = re.compile(r"\b(\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?)\b", re.I)


def fact_score(text: str) -> float:
    """Sentences stating quantities rank first: numbers that are not part of a date."""
    undated = DATE_WORDS.sub(" ", text)
    return len(NUMBER_WORD.findall(undated)) + 0.3 * bool(DATE_WORDS.search(text))
