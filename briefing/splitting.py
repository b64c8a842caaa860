"""Sentences with exact character offsets, grouped into chunks for the vector index."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

MIN_WORDS = 3


@dataclass(frozen=True)
class Sentence:
    idx: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Chunk:
    id: str
    idx: int
    start: int
    end: int
    first: int  # index of the first sentence
    last: int
    text: str


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


# pysbd's time grows faster than the text (a 32,000-character line took 10x as long as an 8,000 one, and
# a 1 MB line minutes), so a long paragraph is first cut at hard boundaries into pieces of at most WINDOW
# characters: the end of a sentence (". " before a capital, digit or quote, not after a short abbreviation),
# else a space, else anywhere. Splitting is then linear in the text.
WINDOW = 2000
_HARD_END = re.compile(r"(?<=[a-z0-9%)\]]{3}[.!?])[\"'”’)\]]*\s+(?=[\"“‘'(A-Z0-9])")


def pieces(line: str, window: int = WINDOW) -> list[tuple[int, str]]:
    """(offset, piece) of `line`, each piece at most `window` characters, cut at hard boundaries."""
    out, start, n = [], 0, len(line)
    while n - start > window:
        limit = start + window
        cut = None
        for m in _HARD_END.finditer(line, start + window // 2, limit):
            cut = m.end()
        if cut is None:
            space = line.rfind(" ", start + window // 2, limit)
            cut = space + 1 if space > start else limit
        out.append((start, line[start:cut]))
        start = cut
    out.append((start, line[start:]))
    return out


def split_sentences(text: str) -> list[Sentence]:
    """Split paragraph by paragraph (a blank or single newline always ends a sentence); offsets are exact:
    text[s.start:s.end] == s.text. Headlines, subheads and bare datelines are not sentences."""
    from briefing.furniture import not_a_sentence

    out: list[Sentence] = []
    paras = list(re.finditer(r"[^\n]+", text))
    for n, para in enumerate(paras):
        if not_a_sentence(para.group()) and not (n == len(paras) - 1 and _last_words(para.group())):
            continue
        for offset, piece in pieces(para.group(), WINDOW):
            out.extend(_segment(text, para.start() + offset, piece, len(out)))
    return out


def _last_words(line: str) -> bool:
    """The article's last line, cut off before its full stop, is a sentence, not a subhead (nothing follows it)."""
    return len(line.split()) >= 6 and line.lstrip()[:1].isupper() and not line.rstrip().endswith(":")


# '"... stepping down?" Mr Ishiba said.': an attribution after a quoted question or exclamation ends its sentence
_QUOTE_ASKED = re.compile(r"[?!][\"”’']\s*$")
_ATTRIBUTION = re.compile(
    r"^[\w.’' -]{0,40}?\b(?:said|says|told|asked|added|wrote|stated|declared|noted|stressed|insisted|warned|argued|"
    r"explained|replied|answered|posted|tweeted|shouted|recalled)\b[^.!?]{0,60}[.!?]?$"
)


def _segment(text: str, base: int, piece: str, first: int) -> list[Sentence]:
    """pysbd's sentences of `piece` (found at `base` in `text`), numbered from `first`."""
    spans: list[tuple[int, int]] = []
    for span in _segmenter().segment(piece):
        raw = span.sent
        lead = len(raw) - len(raw.lstrip())
        start = base + span.start + lead
        end = start + len(raw.strip())
        if spans and _QUOTE_ASKED.search(text[spans[-1][0] : spans[-1][1]]) and _ATTRIBUTION.match(text[start:end]):
            spans[-1] = (spans[-1][0], end)
            continue
        spans.append((start, end))
    out: list[Sentence] = []
    for start, end in spans:
        found = text[start:end]
        if len(re.findall(r"\w+", found)) >= MIN_WORDS:
            out.append(Sentence(first + len(out), start, end, found))
    return out


def make_chunks(doc_id: str, text: str, sentences: list[Sentence], size: int) -> list[Chunk]:
    chunks = []
    for i in range(0, len(sentences), size):
        group = sentences[i : i + size]
        start, end = group[0].start, group[-1].end
        cid = hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:20]
        chunks.append(Chunk(cid, len(chunks), start, end, group[0].idx, group[-1].idx, text[start:end]))
    return chunks
