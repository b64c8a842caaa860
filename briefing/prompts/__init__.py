"""Prompt files, shipped in this package (briefing/prompts/; BRIEFING_PROMPTS_DIR overrides the folder):
<name>.md holds a system part and a user part separated by a line `---user---`, with named {placeholders}.
They are checked when loaded (the placeholders must be exactly the ones the caller fills) and hashed, and the
hash is recorded with every output."""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefing.errors import InputError

SEPARATOR = "---user---"


@dataclass(frozen=True)
class Prompt:
    name: str
    system: str
    user: str
    hash: str

    def messages(self, **values: str) -> list[dict]:
        return [
            {"role": "system", "content": self.system.format(**values)},
            {"role": "user", "content": self.user.format(**values)},
        ]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@lru_cache(maxsize=32)
def load_prompt(folder: Path, name: str, placeholders: frozenset[str]) -> Prompt:
    path = folder / f"{name}.md"
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError:
        raise InputError(f"prompt file {path} is missing", "set BRIEFING_PROMPTS_DIR to the prompts/ folder") from None
    if SEPARATOR not in raw:
        raise InputError(f"prompt file {path} has no '{SEPARATOR}' line", "split it into a system part and a user part")
    system, user = (part.strip() for part in raw.split(SEPARATOR, 1))
    try:
        found = _fields(system) | _fields(user)
    except ValueError as exc:
        raise InputError(f"prompt file {path} is malformed: {exc}", "escape literal braces as {{ }}") from None
    if found != set(placeholders):
        missing, unknown = sorted(set(placeholders) - found), sorted(found - set(placeholders))
        raise InputError(
            f"prompt file {path}: placeholders missing {missing}, unknown {unknown}",
            f"use exactly {sorted(placeholders)}",
        )
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]
    return Prompt(name, system, user, digest)
