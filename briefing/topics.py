"""Does a sentence speak of the things a question is about? Each topic noun of the question must occur in the
sentence or its neighbours (by stem), or a word of the sentence must mean nearly the same (word vectors from the
embedder: "truce" ~ "ceasefire", "secretary" ~ "spokesman", "start" ~ "begin")."""

from __future__ import annotations

from typing import Callable

import numpy as np

from briefing.text import STOPWORDS, stem, term_matches, vocabulary, words

SAME_MEANING = 0.5  # cosine of two words' vectors at which one may stand for the other in a sentence's topic
SAME_THING = 0.6  # ... at which one may name what the other counts ("nations"/"countries", not "allies"/"countries")


class Topics:
    def __init__(self, topics: list[str], embed: Callable[[list[str]], np.ndarray] | None):
        self.topics = topics
        self.embed = embed
        self._vectors: dict[str, np.ndarray] = {}

    def _unit(self, items: list[str]) -> None:
        todo = [w for w in dict.fromkeys(items) if w not in self._vectors]
        if todo and self.embed is not None:
            for w, v in zip(todo, np.asarray(self.embed(todo), dtype=np.float32)):
                self._vectors[w] = v / (float(np.linalg.norm(v)) or 1.0)

    def missing(
        self, sentence: str, around: str, topics: list[str] | None = None, at: float = SAME_MEANING
    ) -> list[str]:
        """The topics neither the sentence's neighbourhood names nor a word of the sentence means (cosine >= at)."""
        vocab = vocabulary(around)
        lexical = [t for t in (self.topics if topics is None else topics) if not term_matches(stem(t), vocab)]
        if not lexical or self.embed is None:
            return lexical
        own = [w for w in dict.fromkeys(words(sentence)) if w not in STOPWORDS and w.isalpha() and len(w) > 2]
        self._unit(lexical + own)
        if not own:
            return lexical
        mat = np.stack([self._vectors[w] for w in own])
        return [t for t in lexical if float((mat @ self._vectors[t]).max()) < at]

    def same(self, a: str, b: str, at: float = SAME_THING) -> bool:
        """Two words that mean nearly the same ("nations", "countries")."""
        if a == b:
            return True
        if self.embed is None:
            return False
        self._unit([a, b])
        return float(self._vectors[a] @ self._vectors[b]) >= at
