"""`ask`: retrieve → gate → typed Answer citing evidence ids → grounding validators with re-ask →
exact quotes filled in by the program; extractive fallback or abstention when that fails."""

from __future__ import annotations

import time
from datetime import date
from typing import TYPE_CHECKING, Callable, ClassVar

from pydantic import BaseModel, Field, create_model

from briefing.errors import InputError
from briefing.evidence import Evidence, Grounded, citation, cited_ids, evidence_block, evidence_texts
from briefing.gate import Corpus, assess
from briefing.grounding import citation_problems
from briefing.models import AskResult, Citation
from briefing.prompts import load_prompt
from briefing.retrieval import retrieve

if TYPE_CHECKING:
    from briefing.app import App

ABSTAIN_TEXT = "Not in the sources."
EXTRACTIVE_SENTENCES = 2
ANSWER_MAX_CHARS = 400


class _AnswerBase(Grounded):
    separator: ClassVar[str] = "; "
    max_errors: ClassVar[int | None] = None

    def problems(self, evidence: dict[str, str], context: dict) -> list[str]:
        found = citation_problems(self.answer, self.citations, evidence, subject="the answer")
        if len(self.answer) >= ANSWER_MAX_CHARS:  # the schema's limit stopped it mid-sentence
            found.append(
                f"the answer was cut off at {ANSWER_MAX_CHARS} characters; answer in one or two short sentences"
            )
        cited = [evidence[c] for c in dict.fromkeys(self.citations) if c in evidence]
        relevance = context.get("relevance")
        if not found and relevance is not None and cited:
            covered, missing = relevance.covers(" ".join(cited) + " " + self.answer)
            if not covered:
                found.append(
                    f"the answer and its cited evidence do not address {', '.join(missing)}; cite the evidence that "
                    "does"
                )
        return found


def answer_model(ids: list[str]) -> type[BaseModel]:
    """The schema shown to the model: citations are an enum of exactly the ids it was shown."""
    Id = cited_ids(ids)
    return create_model(
        "Answer",
        __base__=_AnswerBase,
        answer=(
            str,
            Field(
                min_length=1, max_length=ANSWER_MAX_CHARS, description="One or two sentences answering the question."
            ),
        ),
        citations=(
            list[Id],
            Field(min_length=1, max_length=4, description="Ids of the evidence that supports the answer."),
        ),
    )


def check_question(question: str, max_chars: int) -> str:
    q = " ".join(question.split())
    if not q:
        raise InputError("the question is empty", 'ask something, e.g. briefing ask "who pledged troops?"')
    if len(q) > max_chars:
        raise InputError(
            f"the question is {len(q):,} characters long; the limit is {max_chars:,}",
            "shorten it or raise BRIEFING_MAX_QUESTION_CHARS",
        )
    return q


def ask(
    app: App,
    question: str,
    k: int | None = None,
    since: date | None = None,
    until: date | None = None,
    on_evidence: Callable[[list[Evidence]], None] | None = None,
) -> AskResult:
    """on_evidence: called with the retrieved evidence before the gate and the model run (the service streams it)."""
    s = app.settings
    q = check_question(question, s.max_question_chars)
    k = s.k if k is None else k
    if k < 0:
        raise InputError("--k must be 0 or more", "use e.g. --k 6")
    prompt = load_prompt(s.prompts_dir, "answer", frozenset({"question", "evidence"}))
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    evidence = retrieve(app, q, k, since, until)
    timings["retrieve"] = _ms(t0)
    if on_evidence is not None:
        on_evidence(evidence)
    texts = app.store.document_texts(sorted({e.doc_id for e in evidence}))

    def cites(items: list[Evidence]) -> list[Citation]:
        return [citation(e, texts[e.doc_id]) for e in items]

    gate = assess(q, evidence, s.gate_min_score, Corpus(app.store))
    timings["gate"] = _ms(t0) - timings["retrieve"]
    base = dict(question=q, model=app.llm.name, prompt_hash=prompt.hash)
    if not gate.answerable:
        timings["total"] = _ms(t0)
        return AskResult(
            **base,
            answer=ABSTAIN_TEXT,
            answerable=False,
            mode="abstained",
            reason=gate.reason,
            closest=cites(gate.best[:EXTRACTIVE_SENTENCES]),
            timings_ms=timings,
        )

    by_id = {e.id: e for e in evidence}
    out = app.llm.structured(
        "answer",
        prompt.hash,
        prompt.messages(question=q, evidence=evidence_block(evidence)),
        answer_model(list(by_id)),
        context={"evidence": evidence_texts(evidence), "relevance": gate.relevance},
    )
    timings["generate"] = out.latency_ms
    timings["total"] = _ms(t0)
    usage = dict(
        attempts=out.attempts,
        llm_calls=out.attempts,
        prompt_tokens=out.prompt_tokens,
        completion_tokens=out.completion_tokens,
        schema_failures=out.schema_failures,
        timings_ms=timings,
    )
    if out.value is not None:
        cited = [by_id[c] for c in dict.fromkeys(out.value.citations)]
        return AskResult(
            **base, **usage, answer=out.value.answer.strip(), answerable=True, mode="generated", citations=cites(cited)
        )
    best = _extractive(gate.best, gate.relevance)
    reason = "the model's answer failed the grounding checks: " + (out.errors[-1] if out.errors else "unknown")
    return AskResult(
        **base,
        **usage,
        answer=" ".join(e.text for e in best),
        answerable=True,
        mode="extractive",
        reason=reason,
        citations=cites(best),
    )


def _extractive(ranked: list[Evidence], relevance) -> list[Evidence]:
    """The best-covering sentence, verbatim, plus the next one if it addresses the question as well;
    headings and fragments (under six words) only when there is nothing else."""
    full = [e for e in ranked if len(e.text.split()) >= 6] or ranked
    chosen = full[:1]
    if len(full) > 1 and (relevance is None or relevance.covers(full[1].text)[0]):
        chosen.append(full[1])
    return sorted(chosen, key=lambda e: (e.doc_id, e.start)) if len({e.doc_id for e in chosen}) == 1 else chosen


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)
