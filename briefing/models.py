"""The typed outputs the CLI prints with --json (and the service returns)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Citation(BaseModel):
    evidence_id: str = Field(description="The id the evidence had in the prompt (E1...).")
    doc_id: str
    source: str
    title: str
    published: str | None
    quote: str = Field(description="Exactly the stored document text at [start:end].")
    start: int
    end: int
    also_in: list[str] = Field(default_factory=list, description="Other outlets that carry the identical sentence.")


class AskResult(BaseModel):
    question: str
    answer: str
    answerable: bool
    mode: Literal["generated", "extractive", "abstained"]
    reason: str = Field("", description="Why the answer is extractive or abstained.")
    citations: list[Citation] = Field(default_factory=list)
    closest: list[Citation] = Field(
        default_factory=list, description="For abstentions: the closest evidence, which does not answer."
    )
    model: str
    prompt_hash: str
    attempts: int = 0
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    schema_failures: int = Field(0, description="Attempts whose output did not fit the JSON schema.")
    timings_ms: dict[str, float] = Field(default_factory=dict)
