"""Answerability gate: does the retrieved evidence cover the question at all?

1. Every proper name and every number written in digits in the question must occur somewhere
   in the stored articles ("What did Starmer pledge?" is not answerable from articles that
   never mention Starmer).
2. The score — the mean of (a) how much of the question's content terms (stems; stopwords and
   question-framing words removed; weighted by rarity in the store, IDF) one evidence sentence, or
   two neighbouring sentences of one article, cover and (b) the best cosine similarity between the
   question and the chunk of an evidence sentence — must reach `min_score`. Lexical coverage catches questions
   about things the articles never discuss; the embedding catches paraphrases."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from briefing.dates import MONTHS
from briefing.evidence import Evidence
from briefing.naming import equivalents
from briefing.text import content_terms, proper_names, stem, term_matches, vocabulary, words

NEIGHBOURS = 2
# Words that frame a question rather than name what it is about.
FRAMING = frozenset(
    content_terms(
        "day week date year month time number amount kind type happen happened make made give gave describe described "
        "mention mentioned report reported reports called name named exactly according article articles source sources"
    )
)


@dataclass
class Relevance:
    """An answer must address the question about as well as the best evidence does: its cited
    evidence must cover at least RELATIVE of the term weight the best evidence covers."""

    terms: list[str]
    weights: dict[str, float]
    best: float
    RELATIVE = 0.8

    def covers_share(self, text: str) -> tuple[float, list[str]]:
        return weighted_coverage(self.terms, self.weights, text)

    def covers(self, text: str) -> tuple[bool, list[str]]:
        cov, missing = weighted_coverage(self.terms, self.weights, text)
        return cov + 1e-9 >= self.RELATIVE * self.best, missing


@dataclass
class Gate:
    answerable: bool
    reason: str
    score: float
    best: list[Evidence] = field(default_factory=list)  # evidence ranked by coverage, best first
    missing: list[str] = field(default_factory=list)
    relevance: Relevance | None = None


class Corpus:
    """What the gate needs to know about the whole store: term rarity and whether a word occurs at all."""

    def __init__(self, store):
        self.store = store
        self.n = max(1, store.distinct_sentences())
        self._df: dict[str, int] = {}

    def df(self, term: str) -> int:
        if term not in self._df:
            self._df[term] = self.store.term_frequency(term)
        return self._df[term]

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df(term) + 0.5))

    def mentions(self, word: str) -> bool:
        return self.store.term_frequency(word.lower(), prefix=False) > 0


def _idx(e: Evidence) -> int:
    return int(e.sentence_id.rsplit(":", 1)[1])


def weighted_coverage(terms: list[str], weights: dict[str, float], text: str) -> tuple[float, list[str]]:
    if not terms:
        return 1.0, []
    vocab = vocabulary(text)
    missing = [t for t in terms if not term_matches(t, vocab)]
    total = sum(weights[t] for t in terms)
    return (1 - sum(weights[t] for t in missing) / total) if total else 1.0, missing


def question_terms(question: str) -> list[str]:
    return [t for t in content_terms(question) if t not in FRAMING]


def assess(question: str, evidence: list[Evidence], min_score: float, corpus: Corpus) -> Gate:
    if not evidence:
        return Gate(False, "no evidence was retrieved", 0.0)
    unknown = sorted(
        {
            n
            for n in proper_names(question)
            if not corpus.mentions(n) and not any(corpus.mentions(x) for x in equivalents(n) if " " not in x)
        }
        | {
            d
            for d in re.findall(r"\d+", _without_dates(question))
            if not corpus.mentions(d) and not corpus.mentions(d.zfill(2))
        }
    )
    terms = question_terms(question)
    weights = {t: max(0.1, corpus.idf(t)) for t in terms}
    scored = sorted(
        ((weighted_coverage(terms, weights, e.text)[0], -i, e) for i, e in enumerate(evidence)),
        key=lambda x: (x[0], x[1]),
        reverse=True,
    )
    ranked = [e for _, _, e in scored]
    best_cov, best_missing = weighted_coverage(terms, weights, ranked[0].text)
    # Two neighbouring sentences of one article may answer together ("He said..." after the one naming him).
    for a in ranked[:4]:
        for b in evidence:
            if b is not a and b.doc_id == a.doc_id and abs(_idx(a) - _idx(b)) <= NEIGHBOURS:
                cov, miss = weighted_coverage(terms, weights, a.text + " " + b.text)
                if cov > best_cov + 1e-9:
                    best_cov, best_missing = cov, miss
    score = (best_cov + max(e.similarity for e in evidence)) / 2
    if unknown:
        return Gate(False, f"the sources never mention {', '.join(unknown)}", score, ranked, unknown)
    if score < min_score:
        shown = {stem(w): w for w in words(question)}
        gap = f"; they do not cover {', '.join(shown.get(t, t) for t in best_missing)}" if best_missing else ""
        return Gate(
            False,
            f"the evidence is too far from the question (score {score:.2f} < {min_score}){gap}",
            score,
            ranked,
            best_missing,
        )
    single_best = weighted_coverage(terms, weights, ranked[0].text)[0]
    return Gate(True, "covered", score, ranked, best_missing, Relevance(terms, weights, single_best))


_DAY_MONTH = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}})?\s+(?:of\s+)?(?:{'|'.join(MONTHS)})\b"
    rf"|\b(?:{'|'.join(MONTHS)})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}})?\b|\b(?:19|20)\d\d\b",
    re.I,
)


def _without_dates(question: str) -> str:
    """The question without its dates: a date constrains the day (matched against publication and event days),
    it is not a number the articles must contain ("the report dated 7 September")."""
    return _DAY_MONTH.sub(" ", question)
