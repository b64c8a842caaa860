"""Entry point: a document's sentences → typed claims (speaker, actor, event and day, quantities, quote).

Pure: no store access. Sentences of many documents are parsed in one nlp.pipe call (batched)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Sequence

from briefing.claims.actors import Memory, Resolved, resolve, roster, tidy
from briefing.claims.events import (
    EVENT_WORDS,
    dates_of,
    event_kind,
    event_of,
    own_place,
    remarks_place,
    started_on,
    title_event_noun,
    weapons_story,
)
from briefing.claims.models import Claim
from briefing.claims.nlp import parse
from briefing.claims.organisations import Organisations, organisation_of
from briefing.claims.places import norm_place
from briefing.claims.quantities import ANAPHOR, quantities_of
from briefing.claims.speakers import attribute, quotes
from briefing.dates import parse_date

SentenceRow = tuple  # (sentence_id, text, start, end)
OPEN_QUOTES = ("“", '"')
WHOLE_ATTACK = {"drones", "missiles", "locations", "regions", "settlements"}


def _published(doc: dict) -> date | None:
    value = doc.get("published")
    if value is None or isinstance(value, date):
        return value
    return parse_date(str(value))


DATELINE = re.compile(r"^([A-Z][A-Z.'\- ]{2,30}?)(?:,|\s+[—–-]|\s*\()")


def _dateline(sentences) -> tuple[str | None, str | None]:
    """(city, country) of the dateline ("KYIV, Sept 7 (Meridian) -", "WARSAW —")."""
    for row in list(sentences)[:4]:
        m = DATELINE.match(row[1].strip())
        if m:
            city = m.group(1).strip().title()
            country = roster().country(city)
            if country:
                return city.lower(), country
            if len(m.group(1).split()) <= 3 and m.group(1).strip().isupper():
                return city.lower(), None  # a city the gazetteer does not know: still where the story is told
    return None, None


# Offices only a state has: "Interior Minister Carlo Neri" holds one even when the tagger calls "Interior" an ORG.
STATE_OFFICE = re.compile(
    r"\b(?:minister|prime minister|premier|chancellor|mayor|governor|ambassador|senator|lawmaker|president of the "
    r"(?:republic|country))\b",
    re.I,
)


def _not_state(res: Resolved, organisation: str) -> bool:
    """Does a speaker with this organisation speak for it rather than for a state? When the organisation is no
    state body (no ministry, department, service, forces... in its name) and, its name aside, nothing in the
    speaker's role or name names a state or a person the people-and-roles file knows."""
    r = roster()
    whole = f"{res.role or ''} {res.speaker or ''}"
    if r.has_role(organisation) or r.institution(organisation) or r.institution(whole) or r.find_person(whole):
        return False
    rest = whole.replace(organisation, " ")
    return r.country(rest) is None and r.institution(rest) is None and not STATE_OFFICE.search(rest)


def _story_country(title: str, sentences) -> str | None:
    """Where an article without a known dateline city is set: the one country it names, headline and text together
    ("Fire at Belgian chemical plant ..."). A story naming two countries (a war, talks abroad) has none."""
    r = roster()
    found = {
        r.country_of[m.group(0)] for t in [title, *(row[1] for row in sentences)] for m in r.country_rx.finditer(t)
    }
    return next(iter(found)) if len(found) == 1 else None


def _mentions(sdoc, memory: Memory) -> None:
    for ent in sdoc.ents:
        if ent.label_ == "PERSON":
            root = ent.root
            pre = [t for t in root.lefts if t.i < ent.start and t.dep_ in ("compound", "amod", "poss", "nmod")]
            role = sdoc[pre[0].left_edge.i : ent.start].text if pre else None
            appos = [c for c in root.children if c.dep_ == "appos"]
            if appos:
                role = sdoc[appos[0].left_edge.i : appos[0].right_edge.i + 1].text
            memory.mention(ent.text, tidy(role) if role else None)


def _subject_person(sdoc, memory: Memory) -> Resolved | None:
    """The person a sentence is about, when that person is its grammatical subject ("Ukraine's president
    wants ...", "Zelensky visited ..."): a later "he said" may refer to them."""
    for tok in sdoc:
        if tok.dep_ == "ROOT":
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None:
                return None
            phrase = sdoc[subj.left_edge.i : subj.right_edge.i + 1].text
            person = roster().find_person(phrase)
            if person is not None:
                return Resolved(person.name, person.role, person.actor, person=True, gender=person.gender)
            if subj.ent_type_ == "PERSON":
                return resolve(phrase, None, True, memory)
            return None
    return None


def _learn_roles(sdoc, memory: Memory) -> None:
    """'Kremlin spokesman Dmitry Peskov', 'Dmitry Peskov, the Kremlin spokesman': remember name → role."""
    for ent in sdoc.ents:
        if ent.label_ != "PERSON" or len(ent) < 1:
            continue
        root = ent.root
        role = None
        pre = [t for t in root.lefts if t.i < ent.start and t.dep_ in ("compound", "amod", "poss", "nmod")]
        if pre:
            role = sdoc[pre[0].left_edge.i : ent.start].text
        appos = [c for c in root.children if c.dep_ == "appos"]
        if appos:
            role = sdoc[appos[0].left_edge.i : appos[0].right_edge.i + 1].text
        elif root.dep_ == "appos" and root.head.i < ent.start:
            head = root.head
            role = sdoc[head.left_edge.i : head.i + 1].text
        if role:
            memory.learn(ent.text, tidy(role))


def _paragraphs(doc: dict, sentences: Sequence[SentenceRow]) -> list[int]:
    text = doc.get("text")
    para, out, prev_end = 0, [], None
    for _sid, _t, start, end in sentences:
        if prev_end is not None:
            gap = text[prev_end:start] if text else " " * max(0, start - prev_end)
            if "\n" in gap or (not text and len(gap) >= 2):
                para += 1
        out.append(para)
        prev_end = end
    return out


def _open_after(text: str, was_open: bool) -> bool:
    """Is a quotation still open at the end of this sentence?"""
    curly = text.count("“") - text.count("”")
    if curly > 0:
        return True
    if curly < 0:
        return False
    if text.count('"') % 2:
        return not was_open
    return was_open and "“" not in text and '"' not in text and "”" not in text


@dataclass
class _DocState:
    memory: Memory = field(default_factory=Memory)
    last_person: Resolved | None = None
    event_days: dict[str, date] = field(default_factory=dict)  # first day the article gives each event
    other_days: set[str] = field(default_factory=set)  # events the article also places on another day
    last_event: str | None = None
    last_day: date | None = None  # the day last given for last_event
    title_event: str | None = None
    title_kind: str | None = None  # the headline's event when it is the article's own kind (a strike, a flood)
    home_city: str | None = None
    speakers: list[Resolved] = field(default_factory=list)  # person speakers so far, in order
    recent: list[Resolved] = field(default_factory=list)  # person speakers and sentence subjects, in order
    orgs: list[Resolved] = field(default_factory=list)  # organisation speakers so far


FEMALE = {"she", "her"}
BACK_REFERENCE = {
    "statement",
    "report",
    "post",
    "message",
    "readout",
    "ministry",
    "headquarters",
    "office",
    "command",
    "staff",
    "service",
    "agency",
    "administration",
    "department",
    "military",
    "army",
}


def _pronoun(word: str | None, para_person: Resolved | None, state: "_DocState") -> Resolved | None:
    """he/she/his/her → the last person speaker of the paragraph, else of the article, else the last person
    named; 'she' skips people known to be men-or-unknown only when a woman is in view."""
    female = (word or "").lower() in FEMALE
    cands = [c for c in [para_person, *reversed(state.recent), *reversed(state.memory.mentions)] if c is not None]
    for c in cands:
        if (c.gender == "f") == female:
            return c
    return cands[0] if cands and not female else None


def _definite(name: str | None, state: "_DocState") -> Resolved | None:
    """'the statement', 'the ministry', 'the headquarters' → the organisation that spoke last with that head."""
    if not name:
        return None
    words = name.lower().split()
    if not (words and words[0] == "the" and len(words) <= 3 and words[-1] in BACK_REFERENCE):
        return None
    for org in reversed(state.orgs):
        if (
            words[-1] in ("statement", "report", "post", "message", "readout")
            or words[-1] in (org.speaker or "").lower()
        ):
            return org
    return None


def attack_place(place: str | None) -> str | None:
    """Attacks are keyed by the country struck (outlets name different cities and districts of one night's
    attack; the day tells attacks apart, and each count keeps its own city as its scope). A place the
    gazetteer does not know (a district) is left to the article's attack it belongs to."""
    if place is None:
        return None
    country = roster().country(place.title()) or roster().country(place)
    return country.lower() if country else None


def _event_key(kind: str | None, place: str | None, state: _DocState, para_event: str | None) -> str | None:
    """kind:place; an event word without a place is the paragraph's or the headline's event of that kind, or
    (a meeting) one held in the dateline city, or the article's last event of that kind."""
    if kind is None:
        return None
    if place is not None:
        return f"{kind}:{place}"
    for key in (para_event, state.title_event):
        if key and key.split(":")[0] == kind:
            return key
    if (kind == "meeting" or kind not in EVENT_WORDS) and kind != "remarks" and state.home_city:
        return f"{kind}:{state.home_city}"
    if state.last_event and state.last_event.split(":")[0] == kind:
        return state.last_event
    return kind


def _claims_for(doc: dict, sentences: Sequence[SentenceRow], parsed: list, title_doc) -> list[Claim]:
    published = _published(doc)
    outlet = doc.get("outlet") or doc.get("source")
    state = _DocState()
    state.memory.recent = state.recent
    state.home_city, state.memory.home = _dateline(sentences)
    if state.memory.home is None:
        state.memory.home = _story_country(str(doc.get("title") or ""), sentences)
    orgs = Organisations()
    for sdoc in ([title_doc] if title_doc is not None else []) + list(parsed):
        orgs.learn(sdoc)
    for sdoc in parsed:
        _learn_roles(sdoc, state.memory)
    orgs.forget(set(state.memory.known) | set(roster().variants))  # people the tagger called ORG
    speaking = frozenset(
        orgs.speaking_nouns()
        | {n.lower() for n in orgs.names}
        | {k.lower() for k in state.memory.known if k[:1].isupper()}
    )
    org_of: dict[str, str] = {}  # speaker → the organisation the article says they speak for
    weapons = weapons_story(([title_doc] if title_doc is not None else []) + list(parsed))
    known_title = title_doc is not None and event_kind(title_doc, weapons) is not None
    own = title_event_noun(title_doc, parsed) if title_doc is not None and not known_title else None
    nouns = frozenset([own] if own else [])
    if title_doc is not None:
        kind, place = event_of(title_doc, weapons, nouns)
        if kind == "attack":
            place = attack_place(place)
        if kind is not None and kind not in EVENT_WORDS:
            # placed by the headline, else by the lede ("flooded towns across Lombardy"), else by the dateline
            lede = parsed[0] if parsed else None
            lede_place = next((p for e in (lede.ents if lede else ()) if (p := own_place(e))), None)
            home = roster().country(state.home_city.title()) if state.home_city else None
            place = place or lede_place or (home.lower() if home else state.home_city)
            state.title_kind = kind
        state.title_event = f"{kind}:{place}" if kind and place else None
    paras = _paragraphs(doc, sentences)
    claims: list[Claim] = []
    quote_open = False
    para_speaker: Resolved | None = None
    para_person: Resolved | None = None
    para_event: str | None = None
    para_said: dict[str, date] = {}
    for n, ((sid, text, _s, _e), sdoc) in enumerate(zip(sentences, parsed)):
        new_para = n == 0 or paras[n] != paras[n - 1]
        if new_para:
            quote_open, para_speaker, para_person, para_event = False, None, None, None
            para_said = {}
        att, sources = attribute(sdoc, speaking)
        res: Resolved | None = None
        reported_by = None
        places = tuple(e.text for e in sdoc.ents if e.label_ in ("GPE", "LOC", "FAC")) + (text,)
        for src in sources:
            if src.pronoun:
                if att is None:
                    att, res = src, _pronoun(src.name, para_person, state)
                continue
            sres = _definite(src.name, state) or resolve(
                src.name, src.role, src.is_person, state.memory, src.context, places
            )
            if sres.outlet:
                reported_by = reported_by or sres.outlet
            elif att is None and sres.speaker:
                att, res = src, sres
        if att is not None and res is None:
            if att.pronoun:
                res = _pronoun(att.name, para_person, state)
            else:
                res = _definite(att.name, state) or resolve(
                    att.name, att.role, att.is_person, state.memory, att.context, places
                )
                if res.outlet:
                    reported_by, res = res.outlet, None
                elif res.speaker is None:
                    res = None
        qs = quotes(text)
        starts_quoted = text.lstrip()[:1] in OPEN_QUOTES or text.lstrip()[:1] == "”"
        if res is None and reported_by is None and (quote_open or (starts_quoted and para_speaker is not None and qs)):
            res = para_speaker
        organisation = None
        if res is not None and res.speaker:
            said_by = att if att is not None and not att.pronoun else None
            if said_by is not None:
                at = text.find(said_by.role or said_by.name or "")
                before = text[: max(at, 0)]
                if not (orgs.pattern() and orgs.pattern().search(before)) and n > 0:
                    before = sentences[n - 1][1] + " " + before  # "Its chief executive, ..." after "X said ..."
                organisation = organisation_of(said_by.role, said_by.name, orgs, before)
            if organisation is None and res.role:
                organisation = organisation_of(res.role, None, orgs)
            organisation = organisation or org_of.get(res.speaker) or org_of.get(res.speaker.split()[-1])
            if organisation and res.actor and _not_state(res, organisation):
                # a company, a union, a charity ("the Italian Red Cross", "its chief executive"): not the state
                res = Resolved(res.speaker, res.role, None, res.outlet, res.person, res.gender)
            if organisation:
                org_of.setdefault(res.speaker, organisation)
                org_of.setdefault(res.speaker.split()[-1], organisation)
        if res is not None:
            if qs:
                para_speaker = res
            if res.person:
                para_person = res
                state.last_person = res
                state.speakers.append(res)
                state.recent.append(res)
            else:
                state.orgs.append(res)
        quote_open = _open_after(text, quote_open)
        _mentions(sdoc, state.memory)
        if res is None or not res.person:
            subject = _subject_person(sdoc, state.memory)
            if subject is not None:
                state.recent.append(subject)
        verb_i = att.verb_i if att is not None else None
        event_day, said_on = dates_of(sdoc, published, verb_i)
        if res is not None and res.speaker:
            # "Tusk said on Thursday ... 'Quote,' Tusk told reporters": one occasion within a paragraph
            if said_on is not None:
                para_said[res.speaker] = said_on
            else:
                said_on = para_said.get(res.speaker)
        kind, place = event_of(sdoc, weapons, nouns)
        if kind is None and n == 0 and event_day is not None and state.title_kind and not qs:
            # the lede dates the headline's event ("Dockworkers ... walked out on Tuesday")
            kind = state.title_kind
            place = (state.title_event or "").partition(":")[2] or None
            if place is None:
                place = next((norm_place(e.text) for e in sdoc.ents if e.label_ == "GPE"), None)
        if kind is not None and kind not in EVENT_WORDS:
            event_day = started_on(text, event_day)  # "entered its second day on Wednesday": began on Tuesday
        if kind is None and res is not None:
            where = remarks_place(sdoc, verb_i)
            if where is not None:
                kind, place = "remarks", where  # "Speaking in Vladivostok, the Russian president said ..."
        if kind in ("meeting", "remarks") and event_day is None and said_on is not None:
            event_day = said_on  # "said on Friday at the forum": the statement was made at the event
        quantities = quantities_of(sdoc)
        if any(q.unit == ANAPHOR for q in quantities):
            # "The employers put the figure at 1,800": the one count the previous sentence gave
            prev = claims[-1].quantities if claims and not new_para else []
            for q in quantities:
                if q.unit == ANAPHOR and len(prev) == 1:
                    q.unit, q.counts, q.scope = prev[0].unit, prev[0].counts, prev[0].scope
            quantities = [q for q in quantities if q.unit != ANAPHOR]
        for q in quantities:
            if q.scope in ("capital", "city") and state.home_city:
                q.scope = state.home_city  # "in the capital" under a KYIV dateline
        if kind is None and any(q.counts in ("drones", "missiles") for q in quantities):
            kind = "attack"  # "air defences destroyed 48 drones over the Krasnodar region"
            if place is None:
                from briefing.claims.events import event_place

                near = next((t.i for t in sdoc if t.text.lower() in ("drones", "missiles", "drone", "missile")), None)
                place = event_place(sdoc, near) if near is not None else None
        if kind == "attack":
            place = attack_place(place)
        event = _event_key(kind, place, state, para_event)
        if kind is not None and place is None and event and event != kind:
            known = state.event_days.get(event)
            if known is not None and (
                (event_day is not None and event_day != known) or (said_on is not None and said_on < known)
            ):
                # an event of another day ("the previous record was set on 9 July"), or one that a statement
                # made before it cannot be about ("..., the ministry said on Friday" in a Saturday attack story)
                event = kind
        if event is None and (quantities or (event_day and len(sdoc) > 6)):
            if state.title_kind:  # an article of its own kind of event: that event, as the article last placed it
                last = state.last_event if (state.last_event or "").split(":")[0] == state.title_kind else None
                event = last or state.title_event or state.title_kind
            else:
                event = state.last_event or state.title_event
            known = (
                (state.event_days.get(event) or (state.last_day if event == state.last_event else None))
                if event
                else None
            )
            if known is not None and (
                (event_day is not None and event_day != known) or (said_on is not None and said_on < known)
            ):
                event = None  # a sentence about another day ("the previous record was set on 9 July")
        if event is not None and event.startswith("attack:"):
            for q in quantities:
                # counts of the whole attack (drones, missiles, places hit) apply to the country attacked
                if q.counts in WHOLE_ATTACK and q.scope in (None, "country"):
                    q.scope = event.split(":", 1)[1]
        if event is not None:
            if event_day is not None and kind is not None and place is not None:
                state.event_days.setdefault(event, event_day)  # only a sentence naming the event's place and day
                if state.event_days[event] != event_day:
                    state.other_days.add(event)
            if event != state.last_event or event_day is not None:
                state.last_day = event_day  # the day the event carried to the next sentences was last given
            state.last_event = event if ":" in event else (state.last_event or event)
            para_event = event if ":" in event else para_event
        claims.append(
            Claim(
                doc_id=str(doc.get("id", "")),
                sentence_id=sid,
                speaker=res.speaker if res else None,
                speaker_role=res.role if res else None,
                organisation=organisation,
                actor=res.actor if res else None,
                kind="statement" if res else "reported_fact",
                reported_by=reported_by,
                event=event,
                event_date=event_day,
                said_on=said_on,
                published=published,
                outlet=outlet,
                quantities=quantities,
                quote=" … ".join(qs) if (qs and res) else None,
                text=text,
            )
        )
    # backward carry: an opening quote whose attribution comes in the next sentence of the paragraph
    for n in range(len(claims) - 2, -1, -1):
        c, nxt = claims[n], claims[n + 1]
        if (
            c.speaker is None
            and c.reported_by is None
            and paras[n] == paras[n + 1]
            and nxt.speaker
            and nxt.quote
            and c.text.lstrip()[:1] in OPEN_QUOTES
            and _open_after(c.text, False)
        ):
            c.speaker, c.speaker_role, c.actor, c.kind = nxt.speaker, nxt.speaker_role, nxt.actor, "statement"
            c.organisation = nxt.organisation
            c.quote = " … ".join(quotes(c.text)) or c.text
    # an event's day, when one sentence names it, holds for the article's other sentences about it
    for c in claims:
        if c.event and c.event_date is None:
            # only when the article gives that event one day; otherwise the sentence's day is unknown
            c.event_date = state.event_days.get(c.event) if c.event not in state.other_days else None
    return claims


def _cue_pattern() -> re.Pattern:
    from briefing.claims.events import EVENT_WORDS
    from briefing.claims.quantities import WORD_NUMBERS
    from briefing.claims.speakers import REPORTING, STANCE_VERBS
    from briefing.dates import MONTHS, WEEKDAYS

    r = roster()
    words = (
        set(REPORTING)
        | STANCE_VERBS
        | {w for ws in EVENT_WORDS.values() for w in ws}
        | set(WORD_NUMBERS)
        | set(WEEKDAYS)
        | set(MONTHS)
        | {"according", "words", "overnight", "yesterday", "today", "tonight", "night", "morning"}
    )
    words |= {w.lower() for w in r.role_rx.pattern.split("(?:")[1].split(")")[0].split("|")}
    # an acronym may name an organisation the article describes ("the FNV union"): parse to learn what it is
    return re.compile(
        r"\d|[“”\"]|(?-i:\b[A-Z]{2,}\b)|\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")s?\b", re.I
    )


_CUES: re.Pattern | None = None


def needs_parse(text: str) -> bool:
    """Could the parse find anything in this sentence? Not without a reporting verb, event word, number, date
    word, role word or quotation mark; such sentences are reported facts with nothing more to extract."""
    global _CUES
    if _CUES is None:
        _CUES = _cue_pattern()
    return bool(_CUES.search(text))


def extract_many(
    items: Iterable[tuple[dict, Sequence[SentenceRow]]], n_process: int = 1, gate: bool = True
) -> list[list[Claim]]:
    """Claims for many documents, parsing all their sentences in one batched pipe (sentences without any
    cue are only tokenized when gate is on; the claims are the same, see tests)."""
    items = list(items)
    texts: list[str] = []
    for doc, sentences in items:
        texts.append(str(doc.get("title") or ""))
        texts.extend(s[1] for s in sentences)
    needed = [needs_parse(t) for t in texts] if gate else None
    if needed is not None:  # a headline is always parsed: its event may be a word no cue names ("Floods force ...")
        pos = 0
        for _doc, sentences in items:
            needed[pos] = bool(texts[pos])
            pos += 1 + len(sentences)
    parsed = parse(texts, n_process=n_process, needed=needed) if texts else []
    out, pos = [], 0
    for doc, sentences in items:
        title_doc = parsed[pos]
        body = parsed[pos + 1 : pos + 1 + len(sentences)]
        pos += 1 + len(sentences)
        out.append(_claims_for(doc, sentences, body, title_doc if doc.get("title") else None))
    return out


def extract_claims(doc: dict, sentences: Sequence[SentenceRow], n_process: int = 1) -> list[Claim]:
    """Claims of one document. doc: {id, published (date or ISO string), source/outlet, title, text (optional:
    the full text, for paragraph breaks)}; sentences: (sentence_id, text, start, end) in document order."""
    return extract_many([(doc, sentences)], n_process=n_process)[0]


__all__ = ["extract_claims", "extract_many", "roster"]
