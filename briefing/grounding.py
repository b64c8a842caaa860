"""Grounding checks shared by answers and briefs: a generated sentence may only state numbers,
names and content words that appear in the evidence it cites.

Meaning, beyond shared words:

* polarity: what the cited evidence negates ("no final decisions have been made") may not be stated
  without the negation ("final decisions have been made"), and what it states may not be negated;
* cut off: a sentence that stops mid-clause ("... will be treated as") is not a statement;
* joined names: a sentence may not relate names that no single cited evidence sentence names together
  (the United States in one sentence, China in another → "the United States offered support to China");
* repeats: the same item twice in one list (a brief's key points) says nothing new.
"""

from __future__ import annotations

import re

from briefing.text import (
    NUMBER_WORDS,
    STOPWORDS,
    content_terms,
    normalize,
    numbers,
    proper_names,
    stem,
    term_matches,
    vocabulary,
    words,
)

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
    out.extend(meaning_problems(text, cited))  # polarity, cut off mid-clause, names joined across sentences
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


# --- meaning ---------------------------------------------------------------------------------------------

NEGATORS = frozenset(
    {"not", "no", "never", "neither", "nor", "none", "nothing", "nobody", "nowhere", "without", "cannot"}
)
_NT = frozenset(
    {
        "don",
        "didn",
        "doesn",
        "isn",
        "wasn",
        "aren",
        "weren",
        "won",
        "wouldn",
        "shouldn",
        "couldn",
        "can",
        "haven",
        "hasn",
        "hadn",
        "mustn",
        "ain",
    }
)  # "didn't" normalises to "didn t"
_CLAUSE = re.compile(r"[,;:()\u2014\u2013]|\s-\s|\b(?:but|while|whereas|although|though)\b", re.I)
SCOPE_AFTER, SCOPE_BEFORE = 3, 1  # content words a negation covers after it and before it, within its clause
MIN_FLIPPED = 2  # content words whose polarity must differ before a sentence counts as reversed
DANGLING = frozenset(
    """a an the as of to for from with by at into onto upon about between against than and or nor but
if because whether is are was were be been being will would shall should can could may might must has have had do does
did its their his her our your my very such""".split()
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")
REPEAT_JACCARD = 0.8  # items sharing this share of their content words are the same item


def _is_negator(ws: list[str], i: int) -> bool:
    return ws[i] in NEGATORS or (ws[i] == "t" and i > 0 and ws[i - 1] in _NT)


def polarity_terms(text: str) -> tuple[set[str], set[str]]:
    """(stems inside the scope of a negation, stems outside any) of the text's content words."""
    negated: set[str] = set()
    plain: set[str] = set()
    for clause in _CLAUSE.split(text):
        ws = normalize(clause).split()
        content = [(i, stem(w)) for i, w in enumerate(ws) if w not in STOPWORDS and w not in NEGATORS and len(w) > 1]
        scoped: set[int] = set()
        for i in (i for i in range(len(ws)) if _is_negator(ws, i)):
            after = [j for j, _ in content if j > i][:SCOPE_AFTER]
            before = [j for j, _ in content if j < i][-SCOPE_BEFORE:]
            scoped.update(after + before)
        for j, s in content:
            (negated if j in scoped else plain).add(s)
    return negated, plain


def polarity_problems(text: str, cited: list[str]) -> list[str]:
    """The sentence states without a negation what the evidence negates, or negates what the evidence states."""
    ev_neg, ev_plain = polarity_terms(" . ".join(cited))
    ans_neg, ans_plain = polarity_terms(text)
    out = []
    dropped = sorted((ev_neg - ev_plain) & ans_plain - ans_neg)
    if len(dropped) >= MIN_FLIPPED:
        out.append(f"the cited evidence negates what the answer states ({', '.join(dropped[:4])}); keep its 'not'/'no'")
    added = sorted((ans_neg - ans_plain) & ev_plain - ev_neg)
    if len(added) >= MIN_FLIPPED:
        out.append(f"the answer negates what the cited evidence states ({', '.join(added[:4])})")
    return out


def cut_off(text: str) -> bool:
    """A sentence that stops mid-clause: it ends in an ellipsis, a comma or dash, or a word that cannot end one."""
    t = text.strip()
    if not t:
        return False
    if t.endswith(("…", "...", ",", ";", ":", "-", "—", "–")):
        return True
    last = re.findall(r"[A-Za-z']+", t[-40:])
    return bool(last) and last[-1].lower() in DANGLING


def _names_by_sentence(text: str) -> list[str]:
    """Proper names of each sentence of the text, without the sentence's first word (capitalised anyway)."""
    out: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        rest = sentence.split(None, 1)[1] if len(sentence.split(None, 1)) > 1 else ""
        out.append(rest)
    return out


def joined_names(text: str, cited: list[str]) -> list[tuple[str, str]]:
    """Pairs of names one sentence of `text` relates that no single cited sentence names together."""
    vocabs = [vocabulary(c) for c in cited]
    pairs: list[tuple[str, str]] = []
    for rest in _names_by_sentence(text):
        where: dict[str, set[int]] = {}
        for name in sorted(proper_names(rest)):
            s = stem(name.lower())
            found = {i for i, v in enumerate(vocabs) if term_matches(s, v)}
            if found:  # (a name in no cited sentence is reported by the names check)
                where[name] = found
        names = list(where)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                if not where[a] & where[b]:
                    pairs.append((a, b))
    return pairs


def meaning_problems(text: str, cited: list[str]) -> list[str]:
    out = polarity_problems(text, cited)
    if cut_off(text):
        out.append("the sentence is cut off mid-clause; write complete sentences")
    pairs = joined_names(text, cited)
    if pairs:
        shown = ", ".join(f"{a} and {b}" for a, b in pairs[:3])
        out.append(
            f"it relates {shown}, which no single cited sentence names together; state only what one sentence says"
        )
    return out


def repeats(texts: list[str]) -> list[tuple[int, int]]:
    """(later, earlier) indexes of items that repeat an earlier one (the same content words, or nearly)."""
    seen: list[set[str]] = []
    out = []
    for i, t in enumerate(texts):
        terms = set(content_terms(t))
        for j, earlier in enumerate(seen):
            union = terms | earlier
            if union and len(terms & earlier) / len(union) >= REPEAT_JACCARD:
                out.append((i, j))
                break
        seen.append(terms)
    return out
