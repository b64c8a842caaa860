"""YAML front matter, read safely: a bounded header, no anchors or aliases (an alias bomb expands a few
hundred bytes into gigabytes), plain scalars only, and every value a bounded string."""

from __future__ import annotations

import re

import yaml

MAX_HEADER_BYTES = 16_000  # a front-matter header longer than this is refused
MAX_KEYS = 50
MAX_VALUE_CHARS = 500  # every metadata value is a string of at most this many characters
_SPLIT = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:^|\r?\n)---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.S | re.M)


class FrontMatterError(ValueError):
    """A header that cannot be accepted: message and hint (documents.py makes it an InputError)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def bounded(value: object, limit: int = MAX_VALUE_CHARS) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split(raw: str, name: str) -> tuple[dict[str, str], str]:
    """(metadata, body) of a text that starts with a --- header. Metadata keys and values are bounded
    strings; FrontMatterError for a header that is too long, uses anchors/aliases or is not a mapping."""
    m = _SPLIT.match(raw)
    if m is None:
        return {}, raw
    header, body = m.group(1), m.group(2)
    if len(header.encode("utf-8")) > MAX_HEADER_BYTES:
        raise FrontMatterError(
            f"{name}: front matter is longer than {MAX_HEADER_BYTES:,} bytes", "shorten the --- header or remove it"
        )
    try:
        for event in yaml.parse(header, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise FrontMatterError(
                    f"{name}: front matter uses YAML anchors or aliases, which are not accepted",
                    "write each value out in the --- header",
                )
        data = yaml.load(header, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise FrontMatterError(
            f"{name}: front matter is not valid YAML ({type(exc).__name__})", "fix the --- header or remove it"
        ) from None
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        raise FrontMatterError(
            f"{name}: front matter is not a list of key: value lines", "fix the --- header or remove it"
        )
    if len(data) > MAX_KEYS:
        raise FrontMatterError(
            f"{name}: front matter has {len(data)} keys; at most {MAX_KEYS} are accepted", "shorten the --- header"
        )
    return {bounded(k, 100): bounded(v) for k, v in data.items() if v is not None}, body
