"""Place names as the claims layer keys them: one spelling per place, and the place a token names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

PLACE_ALIASES = {
    "kiev": "kyiv",
    "kharkov": "kharkiv",
    "odessa": "odesa",
    "dnipropetrovsk": "dnipro",
    "elysee": "paris",
    "elysee palace": "paris",
}

SCOPE_WORDS = {"capital": "capital", "country": "country", "city": "city"}


def norm_place(text: str) -> str:
    t = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    t = re.sub(r"^(the)\s+", "", t.strip().lower())
    t = re.sub(r"'s$|’s$", "", t)
    t = re.sub(r"\s+(region|oblast|province|city|district)$", "", t)
    return PLACE_ALIASES.get(t, t)


def place_of(tok, countries: Container[str]) -> str | None:
    """The place a token names (an entity, a country word from `countries`, "the Odesa region"), or None."""
    if tok.ent_type_ in ("GPE", "LOC", "FAC"):
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        return norm_place(ent.text) if ent is not None else None
    if tok.text in countries and tok.text[:1].isupper():
        return norm_place(tok.text)
    if tok.text.lower() in ("region", "oblast", "province", "district", "area"):
        # "over the Odesa region"
        for c in tok.children:
            if c.dep_ in ("compound", "amod", "poss") and c.i < tok.i:
                place = place_of(c, countries)
                if place:
                    return place
    return SCOPE_WORDS.get(tok.text.lower())
