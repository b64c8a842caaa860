"""`ask`: retrieve → gate → typed Answer citing evidence ids → grounding validators with re-ask →
exact quotes filled in by the program; extractive fallback or abstention when that fails."""

from __future__ import annotations

import time
from datetime import date
from typing import TYPE_CHECKING, Callable, ClassVar

from pydantic import BaseModel, Field, create_model

from briefing.budget import MAX_K, fit_evidence
from briefing.dates import parse_date
from briefing.errors import InputError
from briefing.evidence import Evidence, Grounded, citation, cited_ids, evidence_block, evidence_texts
from briefing.gate import Corpus, assess
from briefing.grounding import citation_problems
from briefing.models import AskResult, Citation
from briefing.prompts import load_prompt
from briefing.question import analyse, check_readable
from briefing.reader import Context, read
from briefing.retrieval import retrieve
from briefing.text import content_terms, valid_unicode

if TYPE_CHECKING:
    from briefing.app import App

ABSTAIN_TEXT = "Not in the sources."
EXTRACTIVE_SENTENCES = 2
ANSWER_MAX_CHARS = 400
READ_K = 16  # evidence sentences the reader looks through (the model is shown the first k)


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
    if not valid_unicode(q):
        raise InputError(
            "the question is not valid UTF-8 text (it has an undecodable byte or a lone surrogate)",
            "type it again, or convert it to UTF-8",
        )
    if not q:
        raise InputError("the question is empty", 'ask something, e.g. briefing ask "who pledged troops?"')
    if len(q) > max_chars:
        raise InputError(
            f"the question is {len(q):,} characters long; the limit is {max_chars:,}",
            "shorten it or raise BRIEFING_MAX_QUESTION_CHARS",
        )
    if not content_terms(q):
        raise InputError(
            "the question has no word to search for (only punctuation, symbols or words like 'the')",
            'ask about someone or something, e.g. briefing ask "who pledged troops?"',
        )
    check_readable(q)
    return q


def wants_model(settings, generate: str | None) -> bool:
    choice = generate or settings.generate
    if choice not in ("auto", "always", "never"):
        raise InputError(f"--generate {choice!r} is not one of auto, always, never", "use e.g. --generate never")
    return choice == "always" or (choice == "auto" and bool(settings.llm_base_url))


def ask(
    app: App,
    question: str,
    k: int | None = None,
    since: date | None = None,
    until: date | None = None,
    on_evidence: Callable[[list[Evidence]], None] | None = None,
    generate: str | None = None,
) -> AskResult:
    """on_evidence: called with the retrieved evidence before the gate and the model run (the service streams it).
    generate: auto | always | never (default: BRIEFING_GENERATE)."""
    s = app.settings
    q = check_question(question, s.max_question_chars)
    k = s.k if k is None else k
    if k < 0 or k > MAX_K:
        raise InputError(f"--k must be between 0 and {MAX_K}", "use e.g. --k 6")
    use_model = wants_model(s, generate)
    prompt = load_prompt(s.prompts_dir, "answer", frozenset({"question", "evidence"}))
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    # the reader looks further down the same ranking the model is shown the top k of
    evidence = retrieve(app, q, max(k, READ_K) if k else 0, since, until, pool=max(4 * k, 24))
    timings["retrieve"] = _ms(t0)
    if on_evidence is not None:
        on_evidence(evidence)
    texts = app.store.document_texts(sorted({e.doc_id for e in evidence}))

    def cites(items: list[Evidence]) -> list[Citation]:
        return [citation(e, texts[e.doc_id]) for e in items]

    gate = assess(q, evidence, s.gate_min_score, Corpus(app.store))
    timings["gate"] = _ms(t0) - timings["retrieve"]
    base = dict(question=q, model=app.llm.name if use_model else "reader", prompt_hash=prompt.hash)

    def abstained(reason: str) -> AskResult:
        timings["total"] = _ms(t0)
        return AskResult(
            **base,
            answer=ABSTAIN_TEXT,
            answerable=False,
            mode="abstained",
            reason=reason,
            closest=cites(gate.best[:EXTRACTIVE_SENTENCES]),
            timings_ms=timings,
        )

    if not gate.answerable:
        return abstained(gate.reason)

    analysis = analyse(q, until or _latest(evidence))
    base["answer_type"] = analysis.kind
    ctx = Context(app.store, evidence, app.embedder.embed, since, until)
    reading = read(analysis, evidence, gate.best, gate.relevance.covers_share, ctx)
    timings["read"] = _ms(t0) - timings["retrieve"] - timings["gate"]
    if not reading.answered:
        return abstained(reading.reason)
    missing = sorted({e.doc_id for e in reading.chosen} - set(texts))
    if missing:  # other reports of the value, found through the claims
        texts.update(app.store.document_texts(missing))
    if reading.span or reading.ranked:
        chosen = reading.chosen
    else:  # the best-covering of the first k sentences retrieved that are about the question's names and speaker
        top = {e.id for e in evidence[:k]}
        chosen = _extractive([e for e in reading.chosen if e.id in top] or reading.chosen or gate.best, gate.relevance)
    conflicts = [
        {"value": v, "sources": list(dict.fromkeys(x for e in es for x in [e.source, *e.also]))}
        for v, es in reading.conflict
    ]
    read_answer = dict(
        answer=_read_text(reading, chosen),
        span=reading.span,
        answerable=True,
        mode="read",
        citations=cites(chosen),
        conflicts=conflicts,
    )
    if not use_model:
        timings["total"] = _ms(t0)
        return AskResult(**base, **read_answer, timings_ms=timings)

    fitted = fit_evidence(
        evidence[:k],
        lambda e: f"{e.id}: {e.text}",
        s.llm_ctx,
        s.llm_max_tokens,
        "".join(m["content"] for m in prompt.messages(question=q, evidence="")),
    )
    if not fitted:  # not even the best sentence fits in the model's context: the reader's answer stands
        timings["total"] = _ms(t0)
        reason = "the evidence is too long for the model's context (BRIEFING_LLM_CTX)"
        return AskResult(**base, **read_answer, reason=reason, timings_ms=timings)
    evidence = fitted
    by_id = {e.id: e for e in evidence}
    out = app.llm.structured(
        "answer",
        prompt.hash,
        prompt.messages(question=q, evidence=evidence_block(fitted)),
        answer_model(list(by_id)),
        context={"evidence": evidence_texts(fitted), "relevance": gate.relevance},
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
    reason = "the model's answer failed the grounding checks: " + (out.errors[-1] if out.errors else "unknown")
    return AskResult(**base, **usage, **read_answer, reason=reason)


def _latest(evidence: list[Evidence]) -> date | None:
    days = [d for d in (parse_date(e.published) for e in evidence if e.published) if d]
    return max(days) if days else None


def _read_text(reading, chosen: list[Evidence]) -> str:
    """The short answer first (each value with its outlets when they differ), then the sentences it comes from."""
    sentences = " ".join(e.text for e in chosen)
    if reading.conflict:
        # the outlets that report each value (identical syndicated copies are listed in `conflicts`)
        parts = [f"{v} ({', '.join(dict.fromkeys(e.source for e in es))})" for v, es in reading.conflict]
        return "The sources differ: " + "; ".join(parts) + ".\n" + sentences
    return f"{reading.span}\n{sentences}" if reading.span else sentences


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
