"""Text normalisation and term matching, used the same way by the gate, the grounding validators
and the eval scorers.

normalize(): NFKC, lower case, curly quotes and dashes made plain, number words one..ninety
(and "a hundred"...) written as digits, digit groups joined ("1,000" → "1000"), every other
punctuation mark turned into a space, white space collapsed. So "Seven missiles" and
"7 missiles." normalise to the same "7 missiles"."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORDS = {w: i for i, w in enumerate(_UNITS)}
NUMBER_WORDS.update({w: i * 10 for i, w in enumerate(_TENS) if w})
NUMBER_WORDS.update({"hundred": 100, "thousand": 1000, "dozen": 12})
_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "–": "-",
        "—": "-",
        "−": "-",
        "\u00a0": " ",
    }
)

STOPWORDS = frozenset(
    """
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can could did didn't do does doesn't doing don't down during each few for from further had
has have having he her here hers herself him himself his how i if in into is isn't it it's its itself just let
me more most my myself no nor not of off on once only or other our ours ourselves out over own same say said
says she should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was wasn't we were what when where which while who whom whose why will with
would you your yours yourself yourselves many much did does tell according per whether one ones via
""".split()
)


def normalize(text: str) -> str:
    text = re.sub(r"(\d)\s*½", r"\1.5", text)
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = re.sub(r"(?<=\d)[,\u202f](?=\d{3}\b)", "", text)
    text = re.sub(r"[^\w\s.]|(?<!\d)\.|\.(?!\d)|_", " ", text)
    words = text.split()
    out = []
    i = 0
    while i < len(words):
        w = words[i]
        # "twenty six" / "twenty-six" (the hyphen is a space by now)
        if (
            w in NUMBER_WORDS
            and NUMBER_WORDS[w] >= 20
            and NUMBER_WORDS[w] < 100
            and i + 1 < len(words)
            and words[i + 1] in NUMBER_WORDS
            and NUMBER_WORDS[words[i + 1]] < 10
        ):
            out.append(str(NUMBER_WORDS[w] + NUMBER_WORDS[words[i + 1]]))
            i += 2
            continue
        out.append(str(NUMBER_WORDS[w]) if w in NUMBER_WORDS and w not in {"hundred", "thousand", "dozen"} else w)
        i += 1
    return " ".join(out)


def sentence_key(text: str) -> str:
    """The same key for sentences that read the same after normalize() (a syndicated copy's sentence)."""
    return hashlib.sha1(normalize(text).encode()).hexdigest()[:16]


def contains(haystack: str, needle: str) -> bool:
    """Whole-word containment after normalize()."""
    h, n = f" {normalize(haystack)} ", f" {normalize(needle)} "
    return n.strip() != "" and n in h


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    return normalize(text).split()


def content_terms(text: str) -> list[str]:
    """Distinct stems of the words that carry meaning (no stopwords), in order."""
    seen: dict[str, None] = {}
    for w in words(text):
        if w not in STOPWORDS and (len(w) > 1 or w.isdigit()):
            seen.setdefault(stem(w), None)
    return list(seen)


def term_matches(term: str, vocabulary: set[str]) -> bool:
    """A stem matches if it is in the vocabulary of stems, or shares a long prefix with one
    ("russia" ~ "russian", "ukrain" ~ "ukrainian")."""
    if term in vocabulary:
        return True
    if term.isdigit() or len(term) < 5:
        return False
    prefix = term[: max(5, len(term) - 2)]
    return any(v.startswith(prefix) or (len(v) >= 5 and term.startswith(v[: max(5, len(v) - 2)])) for v in vocabulary)


def vocabulary(text: str) -> set[str]:
    return {stem(w) for w in words(text)}


NUMBER = re.compile(r"\d+(?:\.\d+)?")


def numbers(text: str) -> set[str]:
    return set(NUMBER.findall(normalize(text)))


_NAME = re.compile(r"\b[A-Z][\w'’\-]*")


def proper_names(text: str) -> set[str]:
    """Capitalised words that are not sentence-initial function words ("The", "He"...)."""
    out = set()
    for m in _NAME.finditer(text):
        for w in m.group().rstrip("'’").split("'")[0].split("’")[0].split("-"):
            if w[:1].isupper() and len(w) >= 2 and w.lower() not in STOPWORDS and w.lower() not in NUMBER_WORDS:
                out.add(w)
    return out


# Text that addresses the reader as a model ("ignore previous instructions", "SYSTEM:", "as an AI"...).
# Such sentences are kept in the store but never used as evidence: they are instructions, not reporting.
INJECTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|prompts?|rules)\b|\b(system prompt|api key|language "
    r"model)\b|"
    r"^\s*(system|assistant)\s*:|<\|im_start\|>|\binstructions? (to|for) (the )?(assistant|ai|model|reader)\b|"
    r"\b(assistant|ai|chatbot|model) (reading|processing|summari[sz]ing) this\b|\byou are now\b",
    re.I,
)


def looks_like_injection(text: str) -> bool:
    return bool(INJECTION.search(text))


def alias_pattern(aliases: list[str]) -> re.Pattern:
    """Any of the aliases as a whole word (longest first), case-sensitive."""
    parts = sorted({re.escape(a) for a in aliases}, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(?:%s)(?![\w])" % "|".join(parts))
