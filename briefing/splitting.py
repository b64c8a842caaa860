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


def split_sentences(text: str) -> list[Sentence]:
    """Split paragraph by paragraph (a blank or single newline always ends a sentence); offsets are exact:
    text[s.start:s.end] == s.text. Headlines, subheads and bare datelines are not sentences."""
    from briefing.furniture import not_a_sentence

    out: list[Sentence] = []
    for para in re.finditer(r"[^\n]+", text):
        if not_a_sentence(para.group()):
            continue
        base = para.start()
        for span in _segmenter().segment(para.group()):
            raw = span.sent
            lead = len(raw) - len(raw.lstrip())
            start = base + span.start + lead
            end = start + len(raw.strip())
            piece = text[start:end]
            if len(re.findall(r"\w+", piece)) >= MIN_WORDS:
                out.append(Sentence(len(out), start, end, piece))
    return out


def make_chunks(doc_id: str, text: str, sentences: list[Sentence], size: int) -> list[Chunk]:
    chunks = []
    for i in range(0, len(sentences), size):
        group = sentences[i : i + size]
        start, end = group[0].start, group[-1].end
        cid = hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:20]
        chunks.append(Chunk(cid, len(chunks), start, end, group[0].idx, group[-1].idx, text[start:end]))
    return chunks
