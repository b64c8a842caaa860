"""The typed outputs the CLI prints with --json (and the service returns)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

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
    mode: Literal["generated", "read", "extractive", "abstained"] = Field(
        description="generated: worded by the model, checked against the evidence; read: the program's reader (a "
        "short answer cut from the evidence, then verbatim quotes), no model call; extractive: quoted verbatim; "
        "abstained: not in the sources."
    )
    span: str = Field(
        "",
        description="The short answer cut from the evidence (e.g. a name, a number, a date), when the question "
        "asks for one.",
    )
    answer_type: str = Field(
        "",
        description="The kind of answer the question asks for (person, place, date, count, amount, ordinal, named, "
        "statement, yesno, open).",
    )
    conflicts: list[dict] = Field(
        default_factory=list,
        description="When outlets give different values: each value with the outlets that report it.",
    )
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


@dataclass
class IngestReport:
    """What one ingest did (`ingest --json`, POST /v1/documents)."""

    added: list[dict] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    sentences: int = 0
    chunks: int = 0
    claims: int = 0
    indexed: int = 0
    seconds: float = 0.0
    exit_code: int = 0  # of the worst rejection: 2 bad input, 7 a URL could not be fetched


Progress = Callable[[str, int, int], None]  # (stage, done, total)
