"""What fits in the model's context: the evidence shown to the model is bounded in tokens, so a large
--k or very long sentences never overflow the context window (which would fail the call)."""

from __future__ import annotations

from typing import Sequence, TypeVar

MAX_K = 50  # evidence sentences one question may ask for (CLI --k, API k, BRIEFING_K)
BYTES_PER_TOKEN = 3  # conservative: English runs ~4 characters a token, other scripts fewer bytes
SCHEMA_TOKENS = 150  # the JSON schema and the chat template around the messages
TOKENS_PER_ID = 8  # each evidence id appears in the schema's enum as well

E = TypeVar("E")


def estimate_tokens(text: str) -> int:
    """An upper estimate of the tokens of `text` for any common tokenizer on ordinary text."""
    return len(text.encode("utf-8", "replace")) // BYTES_PER_TOKEN + 1


def fit_evidence(evidence: Sequence[E], text_of, context_tokens: int, reserved_tokens: int, fixed_text: str) -> list[E]:
    """The longest prefix of `evidence` (best first) whose lines, with the fixed prompt text, the schema and
    `reserved_tokens` for the output, fit in `context_tokens`."""
    used = estimate_tokens(fixed_text) + SCHEMA_TOKENS + reserved_tokens
    out: list[E] = []
    for e in evidence:
        cost = estimate_tokens(text_of(e)) + 4 + TOKENS_PER_ID
        if used + cost > context_tokens:
            break
        out.append(e)
        used += cost
    return out
