"""The typed daily brief. Every sentence in it carries citations whose quotes are exact stored text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from briefing.models import Citation

Mode = Literal["generated", "extractive"]
NO_POSITION = "No stated position in the sources."


class CitedText(BaseModel):
    text: str
    citations: list[Citation] = Field(default_factory=list)
    mode: Mode = Field(
        "extractive", description="generated: written by the model and grounding-checked; extractive: quoted verbatim."
    )
    speaker: str | None = Field(None, description="Who said it, when it is a statement (from the claims).")
    speaker_role: str | None = None


class DocRef(BaseModel):
    doc_id: str
    title: str
    source: str
    published: str | None
    url: str | None = Field(None, description="The article's URL (front matter), or its file.")
    also_reported_by: list[str] = Field(
        default_factory=list, description="Outlets whose near-duplicate copy was counted once."
    )
    planted_instructions: int = Field(
        0, description="Sentences that are instructions to a reader or a model; flagged, never used as evidence."
    )


class Position(BaseModel):
    actor: str
    has_position: bool
    stance: CitedText = Field(description="One line; NO_POSITION when the sources state none.")
    key_points: list[CitedText] = Field(default_factory=list, max_length=8)


class KeyFact(CitedText):
    event: str | None = Field(None, description="The event the fact belongs to (e.g. attack:kyiv).")
    day: date | None = Field(None, description="The day of that event.")


class Side(CitedText):
    value: str | None = Field(None, description="What this side says: the number, date or venue.")
    outlets: list[str] = Field(default_factory=list, description="The outlets that say it.")


class Disagreement(BaseModel):
    topic: str
    kind: Literal["quantity", "date", "venue", "wording"] = "wording"
    event: str | None = None
    sides: list[Side] = Field(min_length=2, description="How each source states it, each cited.")

    @field_validator("sides", mode="before")
    @classmethod
    def _sides(cls, v):
        return [Side(**x.model_dump()) if isinstance(x, CitedText) and not isinstance(x, Side) else x for x in v]


class TimelineEvent(CitedText):
    date: date
    relative: str | None = Field(None, description="The words that dated it when it was relative ('on Friday').")
    event: str | None = None


class Change(BaseModel):
    actor: str
    since: date
    added: list[CitedText] = Field(default_factory=list)
    dropped: list[str] = Field(default_factory=list)
    unchanged: bool = False


class Briefing(BaseModel):
    date: date
    window_days: int
    actors: list[str]
    headline: CitedText
    summary: list[CitedText] = Field(min_length=1, max_length=4)
    documents: list[DocRef]
    positions: list[Position]
    key_facts: list[KeyFact] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)
    links: dict[str, str] = Field(
        default_factory=dict, description="doc id → the article's URL (or file) for every cited document."
    )
    model: str
    prompt_hashes: dict[str, str] = Field(default_factory=dict)
    llm_calls: int = 0
    timings_ms: dict[str, float] = Field(default_factory=dict)

    def cited_items(self) -> Iterator[CitedText]:
        """Every cited item, in the order the renderers show it: headline, summary, positions, key facts,
        disagreements, timeline (by date), changes (grouped by the brief they compare with)."""
        yield self.headline
        yield from self.summary
        for p in self.positions:
            yield p.stance
            yield from p.key_points
        yield from self.key_facts
        for d in self.disagreements:
            yield from d.sides
        yield from sorted(self.timeline, key=lambda e: e.date)  # stable: same-day events keep the producer's order
        for _, changes in self.change_groups():
            for ch in changes:
                yield from ch.added

    def change_groups(self) -> list[tuple[date, list[Change]]]:
        groups: dict[date, list[Change]] = {}
        for ch in self.changes:
            groups.setdefault(ch.since, []).append(ch)
        return list(groups.items())
