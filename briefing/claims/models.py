"""Typed claim records: who said what, for whom, about which event on which day, and what each number counts."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field


class Quantity(BaseModel):
    value: float = Field(description="the number as written, e.g. 810 for '810 drones'")
    unit: str = Field(description="normalised key of what it counts, e.g. drones_launched, people_injured, age")
    counts: str = Field(description="the counted thing, normalised: drones, missiles, people, countries, ...")
    text: str = Field(description="the words of the sentence the number was read from")
    approx: bool = Field(False, description="'at least', 'about', 'more than', ...")
    scope: str | None = Field(
        None,
        description="where the count applies, when the sentence says: 'kyiv' for "
        "'18 were injured in the capital' (Kyiv dateline), 'ukraine' for "
        "'across Ukraine'",
    )


class Claim(BaseModel):
    doc_id: str
    sentence_id: str | int
    speaker: str | None = Field(None, description="canonical person or organisation; None for the narrator")
    speaker_role: str | None = None
    actor: str | None = Field(None, description="whom the speaker speaks for (Russia, Ukraine, United States, ...)")
    organisation: str | None = Field(
        None,
        description="the organisation the speaker speaks for as the article names it ('FNV negotiator', 'the VNO "
        "chairman', 'its chairman' after the group is named, 'according to the union FNV')",
    )
    kind: Literal["statement", "reported_fact"] = "reported_fact"
    reported_by: str | None = Field(None, description="a news outlet named as the source ('RBC reported')")
    event: str | None = Field(None, description="what happened + where, e.g. 'attack:kyiv', 'meeting:paris'")
    event_date: date | None = Field(None, description="the day the event happened (not the day it was reported)")
    said_on: date | None = Field(
        None,
        description="the day the statement was made, when the sentence says it "
        "(or the same speaker's earlier sentence in the paragraph)",
    )
    published: date | None = None
    outlet: str | None = None
    quantities: list[Quantity] = Field(default_factory=list)
    quote: str | None = None
    text: str = ""
