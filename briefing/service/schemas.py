"""Request bodies of the HTTP service; responses reuse the store's, ingest's and the pipeline's own types."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from briefing.brief.models import Briefing
from briefing.budget import MAX_K
from briefing.models import AskResult, IngestReport
from briefing.store import StoredDocument

__all__ = ["AskIn", "AskResult", "BriefIn", "Briefing", "DocumentIn", "IngestReport", "StoredDocument", "UPLOAD_BODY"]


class AskIn(BaseModel):
    question: str
    since: dt.date | None = Field(None, description="Only articles published on or after this date.")
    until: dt.date | None = Field(None, description="Only articles published on or before this date.")
    k: int | None = Field(None, ge=0, le=MAX_K, description="Evidence sentences to retrieve (default: BRIEFING_K).")
    generate: Literal["auto", "always", "never"] | None = Field(
        None, description="Whether a model words the answer (default: BRIEFING_GENERATE)."
    )
    stream: bool = Field(
        False, description="Stream server-sent events: evidence, answer, done (or send Accept: text/event-stream)."
    )


class BriefIn(BaseModel):
    date: dt.date | None = Field(None, description="Default: the latest day that has articles.")
    window_days: int = Field(1, ge=1, le=366)
    actors: list[str] | None = Field(None, max_length=50, description="Default: every actor in the actors file.")


class DocumentIn(BaseModel):
    text: str = Field(min_length=1, description="The article: plain text, Markdown (front matter allowed) or HTML.")
    name: str = Field(
        "document.txt",
        min_length=1,
        max_length=200,
        description="File name; its suffix (.txt/.md/.html) picks the parser.",
    )
    title: str | None = Field(None, max_length=500)
    source: str | None = Field(None, max_length=500, description="Default: the name.")
    published: dt.date | None = None

    def overrides(self) -> dict:
        return {
            k: v
            for k, v in (("title", self.title), ("source", self.source), ("published", self.published))
            if v is not None
        }


UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": DocumentIn.model_json_schema(ref_template="#/components/schemas/{model}")},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                }
            },
        },
    }
}
