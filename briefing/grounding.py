"""Grounding checks shared by answers and briefs: a generated sentence may only state numbers,
names and content words that appear in the evidence it cites."""

from __future__ import annotations

import re

from briefing.text import NUMBER_WORDS, content_terms, numbers, proper_names, stem, term_matches, vocabulary, words

MIN_SUPPORT = 0.6  # share of the answer's content words found in the cited evidence
MIN_PAIRS = 0.5  # share of the answer's adjacent word pairs found in the cited evidence
NEGATIONS = frozenset({"not", "no", "never", "neither", "nor", "none", "nothing", "without", "n't", "cannot"})
_ID_ONLY = re.compile(r"^\s*\[?E\d+\]?[\s,;.]*$", re.I)


def problems(text: str, cited: list[str]) -> list[str]:
    """Reasons why `text` is not supported by the `cited` evidence texts; empty when it is."""
    if not cited:
        return ["cite at least one evidence id that supports the answer"]
    if _ID_ONLY.match(text) or len(re.findall(r"\w+", text)) < 2:
        return ["write the answer as words, not as an evidence id"]
    evidence = " ".join(cited)
    out = []
    missing_numbers = sorted(numbers(text) - numbers(evidence))
    if missing_numbers:
        out.append(f"the numbers {', '.join(missing_numbers)} are not in the cited evidence")
    vocab = vocabulary(evidence)
    missing_names = sorted(
        n for n in proper_names(text) if n.lower() not in NUMBER_WORDS and not term_matches(stem(n.lower()), vocab)
    )
    if missing_names:
        out.append(f"the names {', '.join(missing_names)} are not in the cited evidence")
    terms = content_terms(text)
    if terms:
        unsupported = [t for t in terms if not term_matches(t, vocab)]
        if 1 - len(unsupported) / len(terms) < MIN_SUPPORT:
            out.append(f"most of the answer is not in the cited evidence (unsupported: {', '.join(unsupported[:6])})")
    answer_words, evidence_words = words(text), words(evidence)
    added_negation = sorted(w for w in set(answer_words) & NEGATIONS if w not in evidence_words)
    if added_negation:
        out.append(f"the answer says {', '.join(added_negation)} where the cited evidence does not")
    pairs = list(zip(answer_words, answer_words[1:]))
    if len(pairs) >= 3:
        known = set(zip(evidence_words, evidence_words[1:]))
        if sum(p in known for p in pairs) / len(pairs) < MIN_PAIRS:
            out.append("the answer strays from the wording of the cited evidence; reuse its phrases")
    return out


def unused_citations(text: str, cited: dict[str, str]) -> list[str]:
    """Ids cited for show: their evidence shares almost nothing with the text (fewer than two of its
    content terms, and less than a quarter of them)."""
    terms = content_terms(text)
    if not terms:
        return []
    out = []
    for cid, evidence in cited.items():
        vocab = vocabulary(evidence)
        shared = sum(term_matches(t, vocab) for t in terms)
        if shared < 2 and shared < 0.25 * len(terms):
            out.append(cid)
    return out


def citation_problems(text: str, citations: list[str], evidence: dict[str, str], subject: str = "it") -> list[str]:
    """problems() of `text` against the evidence its citation ids name (unknown ids ignored), plus
    the ids cited for show when some other cited evidence does support it."""
    ids = [c for c in dict.fromkeys(citations) if c in evidence]
    found = problems(text, [evidence[c] for c in ids])
    padding = unused_citations(text, {c: evidence[c] for c in ids})
    if padding and len(padding) < len(ids):
        found.append(
            f"{', '.join(padding)} {'does' if len(padding) == 1 else 'do'} not support {subject}; cite only the "
            "evidence it uses"
        )
    return found
