"""Organisations an article names, and the one a speaker speaks for: from the parse and the article's own words,
not from a list. "FNV negotiator Marleen de Vries", "Jansen, the VNO chairman", "its chairman Pieter Jansen"
(its = the organisation named before it), "according to the union FNV", "the union said" (the article's only
organisation described as a union) all name the organisation; `briefing brief --actors` matches it."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

ACRONYM = re.compile(r"^[A-Z][A-Z0-9&-]{1,9}$")
POSSESSIVE = {"its", "their"}
NOT_ORG_LABELS = {"PERSON", "GPE", "NORP", "LOC", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
NOUN_DEPS = {"compound", "appos", "poss", "nmod", "amod"}


def _is_org_token(tok) -> bool:
    """A token that names an organisation: inside an ORG entity, or an acronym the tagger left untagged."""
    if tok.ent_type_ == "ORG":
        return True
    return bool(ACRONYM.match(tok.text)) and tok.ent_type_ not in NOT_ORG_LABELS


def _entity_text(tok) -> str:
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return re.sub(r"^(?:the|The)\s+", "", ent.text).strip()
    return tok.text


def _common(tok) -> bool:
    return tok.text[:1].islower() and tok.text.isalpha() and not tok.ent_type_


@dataclass
class Organisations:
    """What one article says about organisations: their names, and the common nouns it describes each with
    ("the FNV union" → union: FNV; "the employers' group VNO" → group, employers: VNO)."""

    names: list[str] = field(default_factory=list)  # in order of first mention
    heads: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _rx: re.Pattern | None = None

    def learn(self, sdoc) -> None:
        for tok in sdoc:
            if not _is_org_token(tok):
                continue
            if tok.i == 0 and tok.text.isupper() and len(tok.text) > 3:
                continue  # a dateline city ("GHENT, Nov 3 ...")
            name = _entity_text(tok)
            if len(name) < 2 or name.lower() in ("the",) or _state_or_outlet(name):
                continue
            if name not in self.names:
                self.names.append(name)
                self._rx = None
            # the common nouns describing it: its head ("the FNV union") or its own modifiers ("the union FNV"),
            # and a possessive noun of that head ("the employers' group VNO")
            described = []
            if tok.dep_ in ("compound", "appos") and _common(tok.head):
                described.append(tok.head)
            described += [c for c in tok.children if c.dep_ in ("compound", "appos") and _common(c)]
            for noun in list(described):
                described += [c for c in noun.children if c.dep_ == "poss" and _common(c)]
            for noun in described:
                self.heads[_singular(noun.text.lower())].add(name)

    def forget(self, people: set[str]) -> None:
        """Drop names that are people's (a surname the tagger took for an organisation)."""
        keep = [n for n in self.names if n not in people and n.split()[-1] not in people]
        if keep != self.names:
            self.names, self._rx = keep, None
            for key in list(self.heads):
                self.heads[key] = {n for n in self.heads[key] if n in keep}

    def pattern(self) -> re.Pattern | None:
        if self._rx is None and self.names:
            alts = sorted(self.names, key=len, reverse=True)
            self._rx = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in alts) + r")(?![\w-])")
        return self._rx

    def named_in(self, text: str | None) -> str | None:
        """The organisation a phrase names ("FNV negotiator", "the union FNV"), if exactly one."""
        rx = self.pattern()
        if not text or rx is None:
            return None
        found = {m.group(0) for m in rx.finditer(text)}
        if not found:
            # the short form of a name the article gave in full ("Verhaegen spokesman" for Verhaegen Chemicals)
            words = {w for w in re.findall(r"[A-Z][\w&-]+", text)}
            found = {n for n in self.names if len(n.split()) > 1 and n.split()[0] in words}
        return next(iter(found)) if len(found) == 1 else None

    def described_by(self, phrase: str | None) -> str | None:
        """'the union', 'the employers' → the article's one organisation described with that noun."""
        if not phrase:
            return None
        words = re.sub(r"^(?:the|its|their)\s+", "", phrase.strip().lower()).split()
        if not words or len(words) > 2:
            return None
        orgs = self.heads.get(_singular(words[-1]))
        return next(iter(orgs)) if orgs and len(orgs) == 1 else None

    def speaking_nouns(self) -> set[str]:
        return set(self.heads)


def _state_or_outlet(name: str) -> bool:
    """A country, a state body or a news outlet the people-and-roles file knows (US, EU, Kremlin, TASS)."""
    from briefing.claims.actors import roster

    r = roster()
    return bool(r.country_rx.fullmatch(name) or r.institution(name) or r.outlet(name))


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def organisation_of(role: str | None, name: str | None, orgs: Organisations, before: str = "") -> str | None:
    """The organisation a speaker speaks for, from the role or name the article gives them: one it names
    there ("FNV negotiator", "the VNO chairman", "chairman of VNO"), 'its'/'their' + role → the organisation
    named last before it in the sentence (`before`), or a description of one ("the union")."""
    for phrase in (role, name):
        if not phrase:
            continue
        found = orgs.named_in(phrase)
        if found:
            return found
        first = phrase.strip().split()[0].lower() if phrase.strip() else ""
        if first in POSSESSIVE:
            rx = orgs.pattern()
            prior = [m.group(0) for m in rx.finditer(before)] if rx is not None else []
            if prior:
                return prior[-1]
        described = orgs.described_by(phrase)
        if described:
            return described
    return None
