"""Test doubles: a fake chat model with queued responses and a cheap deterministic embedder."""

from __future__ import annotations

import hashlib
import json
import time

import numpy as np
from openai.types.chat import ChatCompletion

from briefing.text import words


class FakeBackend:
    """Returns the queued responses in order (str → message content, Exception → raised)."""

    name = "fake-model"

    def __init__(self, responses=(), default=None):
        self.queue = list(responses)
        self.default = default  # answer given once the queue is empty (None: fail the test)
        self.requests: list[dict] = []

    def push(self, *responses):
        self.queue.extend(responses)

    def warm_up(self):
        pass

    def create(self, **request):
        self.requests.append(request)
        if not self.queue and self.default is None:
            raise AssertionError("the fake model was called more often than responses were queued")
        item = self.queue.pop(0) if self.queue else self.default
        if isinstance(item, Exception):
            raise item
        content = item if isinstance(item, str) else json.dumps(item)
        return ChatCompletion.model_validate(
            {
                "id": "fake",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": self.name,
                "choices": [
                    {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
            }
        )


class HashEmbedder:
    """Bag of words hashed into 64 dimensions: similar wording → similar vectors, no model needed."""

    name = "hash-bow"
    dim = 64

    def embed(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in words(t):
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)
