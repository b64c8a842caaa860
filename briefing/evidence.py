"""Evidence shared by answers and briefs: the sentence types, the numbered block shown to the model, the
schema type of the ids a draft may cite, the one grounded-validator base, and citations with exact quotes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ValidationInfo, model_validator

from briefing.grounding import citation_problems
from briefing.models import Citation

GROUNDING_HINT = ". Use only words, names and numbers from the evidence you cite."


@dataclass
class Sentence:
    """A stored sentence with its document's metadata; exact offsets into the stored text."""

    sentence_id: str
    doc_id: str
    source: str
    title: str
    published: str | None
    start: int
    end: int
    text: str


@dataclass
class Evidence:
    """A sentence as shown to the model, under a short id."""

    id: str  # E1, E2... as shown to the model
    sentence_id: str
    doc_id: str
    source: str
    title: str
    published: str | None
    start: int
    end: int
    text: str
    score: float
    similarity: float = 0.0  # cosine between the question and this sentence's chunk (0 if found by keyword only)
    also: list[str] = field(default_factory=list)  # other outlets that carry the identical sentence


def numbered(sentences: list[Sentence] | list[Evidence]) -> list[Evidence]:
    """Evidence with ids E1..En, as shown to the model."""
    return [
        Evidence(
            f"E{i}",
            s.sentence_id,
            s.doc_id,
            s.source,
            s.title,
            s.published,
            s.start,
            s.end,
            s.text,
            getattr(s, "score", 0.0),
            getattr(s, "similarity", 0.0),
            list(getattr(s, "also", [])),
        )
        for i, s in enumerate(sentences, 1)
    ]


def evidence_block(evidence: list[Evidence]) -> str:
    """The evidence as the prompts show it: one `E1: text` line each."""
    return "\n".join(f"{e.id}: {e.text}" for e in evidence)


def evidence_texts(evidence: list[Evidence]) -> dict[str, str]:
    """The validation context the grounded models read: id → text."""
    return {e.id: e.text for e in evidence}


def cited_ids(ids: list[str]) -> Any:
    """The schema type of one cited id: an enum of exactly the ids the model was shown."""
    return Literal[tuple(ids)]  # type: ignore[valid-type]


def citation(e: Sentence | Evidence, doc_text: str) -> Citation:
    """A citation whose quote is the exact stored text at the sentence's offsets."""
    return Citation(
        evidence_id=getattr(e, "id", ""),
        doc_id=e.doc_id,
        source=e.source,
        title=e.title,
        published=e.published,
        quote=doc_text[e.start : e.end],
        start=e.start,
        end=e.end,
        also_in=list(getattr(e, "also", [])),
    )


class Grounded(BaseModel):
    """A typed draft whose (text, citations) pairs must be supported by the evidence they cite (the validation
    context's `evidence`: id → text). A failure raises one message, fed back to the model on a re-ask."""

    separator: ClassVar[str] = " | "
    max_errors: ClassVar[int] = 4

    def pairs(self) -> list[tuple[str, list[str]]]:
        raise NotImplementedError

    def problems(self, evidence: dict[str, str], context: dict) -> list[str]:
        errors = []
        for n, (text, cites) in enumerate(self.pairs(), 1):
            found = citation_problems(text, cites, evidence)
            if found:
                errors.append(f"item {n} ({text[:60]!r}): {'; '.join(found)}")
        return errors

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo):
        context = info.context or {}
        found = self.problems(context.get("evidence", {}), context)
        if found:
            raise ValueError(self.separator.join(found[: self.max_errors]) + GROUNDING_HINT)
        return self
