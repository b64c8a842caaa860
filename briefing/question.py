"""Question analysis: what kind of answer is asked for, what it must be about, and on which days.

- kind / labels: who → a person or organisation (PERSON, ORG, GPE, NORP), when → a date or time,
  where / "in which city" → a place (GPE, LOC, FAC), how many / how much → a count or an amount
  (CARDINAL, QUANTITY, MONEY, PERCENT), "which round" → an ordinal, "which X" → a named X,
  "what did X say" → a statement, "did/does/is..." → yes/no; everything else is open.
- strict: the reader abstains when no evidence holds an answer of that kind.
- focus: the noun the answer counts or names ("soldier" in "how many French soldiers").
- names: people, places, organisations and events the question names (the answer must be about them).
- days: dates and relative days ("on Sunday", "last week", "September 7") resolved against `base`
  (the latest publication date of the evidence, or --until).
- predicate: the question's main verb lemma (not be/do/have/say), which the answer must concern.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from briefing.dates import MONTHS, WEEKDAYS, date_mentions
from briefing.errors import InputError

PERSON_LIKE = frozenset({"PERSON", "ORG", "GPE"})
LOCATIVE_PREPS = frozenset({"in", "across", "over", "throughout", "near", "around", "at", "inside", "outside"})
PLACE = frozenset({"GPE", "LOC", "FAC"})
COUNT = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})
AMOUNT = frozenset({"MONEY", "QUANTITY", "PERCENT", "CARDINAL"})
WHEN = frozenset({"DATE", "TIME"})
NAMED = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})

# The general classes of "which X" nouns: what kind of thing each names (English category nouns).
KIND_OF_NOUN: dict[str, tuple[str, frozenset[str]]] = {}
for _kind, _labels, _nouns in (
    (
        "place",
        PLACE,
        "city town village capital country nation state region province district place location area "
        "territory oblast port airport base venue",
    ),
    (
        "person",
        frozenset({"PERSON"}),
        "person people man woman leader official minister president "
        "spokesman spokeswoman spokesperson politician diplomat commander general envoy chancellor "
        "ambassador author journalist analyst expert representative",
    ),
    (
        "org",
        frozenset({"ORG", "PERSON", "NORP", "GPE"}),
        "company firm organisation organization agency ministry party "
        "group publication newspaper outlet broadcaster channel bank institution",
    ),
    ("named", frozenset({"EVENT", "ORG", "FAC"}), "event occasion gathering ceremony"),
    ("amount", frozenset({"PERCENT"}), "percentage percent share proportion"),
    ("date", WHEN, "date day year month week time"),
    ("ordinal", frozenset({"ORDINAL"}), "round edition stage phase wave tranche"),
):
    for _n in _nouns.split():
        KIND_OF_NOUN[_n] = (_kind, _labels)

LIGHT_VERBS = frozenset(
    {
        "be",
        "do",
        "have",
        "say",
        "tell",
        "make",
        "get",
        "go",
        "take",
        "give",
        "happen",
        "report",
        # verbs about the reports themselves, not about the events
        "agree",
        "disagree",
        "differ",
        "conflict",
        "contradict",
        "mention",
        "describe",
    }
)
_ABOUT_REPORTS = re.compile(
    r"^(do|does|did) (the )?(reports|sources|articles|outlets|accounts) (agree|differ|disagree|conflict)", re.I
)
_SAY = re.compile(
    r"\bwhat (?:did|does|do|has|have|had|will|would)\b.*\b(say|said|warn|tell|told|claim|announce|argue|"
    r"state|declare|insist|suggest|mean|describe|call|accuse|threaten|promise|pledge|write|add)\w*\b",
    re.I,
)
_SPEAKER = re.compile(
    r"\b(?:did|does|do|has|have|had|will|would)\s+(.+?)\s+(?:say|call|tell|warn|claim|announce|argue|state|declare|"
    r"insist|suggest|mean|describe|characteri[sz]e|accuse|threaten|promise|pledge|write|add|respond|react|reply)\b",
    re.I,
)
_YESNO = re.compile(r"^(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could|should|may|might)\b", re.I)
_LAST_WEEK = re.compile(r"\b(last|this|past|previous) week\b", re.I)


@dataclass
class Question:
    text: str
    kind: str  # person, org, place, date, count, amount, ordinal, named, statement, yesno, open
    labels: frozenset[str] = frozenset()
    strict: bool = False
    focus: str | None = None  # lemma
    focus_text: str | None = None
    names: list[tuple[str, str]] = field(default_factory=list)  # (text, label)
    days: set[date] = field(default_factory=set)  # days the answer's event happened on
    published: set[date] = field(default_factory=set)  # "according to the report dated 7 September": publication days
    day_text: str | None = None
    predicate: str | None = None
    predicate_text: str | None = None
    subject: str | None = None  # who does what the predicate says ("Putin" in "where was Putin speaking")
    objects: list[str] = field(default_factory=list)  # lemmas of the predicate's common-noun objects ("caught fire")
    agent: str | None = None  # for "what did X say" / "how did X respond": X's head word (X must be the speaker)
    agent_phrase: str | None = None  # X in full ("the bloc's top diplomat"): a speaker described by role
    about_reports: bool = False  # "do the reports agree on where...": every outlet's value is asked for
    locative: bool = False  # "where", "in which city": the place where something happens
    weekday: bool = False  # "which day of the week"
    age: bool = False  # "how old": an age ("a 32-year-old"), of the person the question names ("the woman")
    lemmas: list[str] = field(default_factory=list)  # content lemmas of the question
    topics: list[str] = field(default_factory=list)  # common nouns the answer must be about ("steel", "transit")
    asked: str | None = None  # the thing an open question asks for: "rating" in "what was his approval rating"
    governments: list[str] = field(default_factory=list)  # places standing for a government ("has Washington offered")
    places: list[str] = field(default_factory=list)  # where what is asked happened ("injured in Odesa")
    verbs: list[str] = field(default_factory=list)  # lemmas of its content verbs (not be/do/have/say...)
    role: str | None = None  # "who is Slovakia's foreign minister": the office the answer must hold

    def describe(self) -> str:
        """What kind of answer is asked for, in words ("a number of French soldiers")."""
        what = {
            "person": "who",
            "org": "which organisation",
            "place": "a place",
            "date": "a date",
            "count": "a number",
            "amount": "an amount",
            "ordinal": "which one (first, second...)",
            "named": f"which {self.focus_text or 'one'}",
            "statement": "what was said",
            "yesno": "whether it happened",
            "open": "an answer",
        }[self.kind]
        if self.role:
            what = f"who is {self.role}"
        elif self.age:
            what = f"the age of the {self.focus_text}" if self.focus_text else "an age"
        elif self.kind in ("count", "amount") and self.focus_text:
            what += f" of {self.focus_text}"
        elif self.kind in ("place", "person", "org") and self.focus_text:
            what = f"which {self.focus_text}"
        elif self.kind == "ordinal" and self.focus_text:
            what = f"which {self.focus_text}"
        if self.day_text:
            what += f" {self.day_text}"
        return what


def check_readable(question: str) -> None:
    """The embedder and the NLP model read English: a question mostly in another script cannot be
    matched against the articles, so it gets a clear error instead of a false 'not in the sources'."""
    letters = [c for c in question if c.isalpha()]
    if not letters:
        raise InputError("the question has no words", 'ask in words, e.g. briefing ask "who pledged troops?"')
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    if latin / len(letters) < 0.5:
        scripts = {
            unicodedata.name(c, "?").split()[0].title()
            for c in letters
            if not unicodedata.name(c, "").startswith("LATIN")
        }
        raise InputError(
            f"the question is written in {', '.join(sorted(scripts)[:2])} script, which the English models "
            "here cannot read",
            "ask in English",
        )


def analyse(question: str, base: date | None = None) -> Question:
    from briefing import nlp

    doc = nlp.parse(question)
    q = question.strip()
    low = q.lower()
    out = Question(text=q, kind="open")
    out.names = [
        (e.text, e.label_)
        for e in doc.ents
        if e.label_ in NAMED
        and e.text.lower() not in ("who", "whom", "whose", "which", "what", "where", "when")
        and not _is_day(e.text)  # "the September 7 attack": a day (days below), not a name the articles must hold
    ]
    # a place that acts ("has Washington offered", "Moscow's demands") stands for its government
    out.governments = [
        e.text for e in doc.ents if e.label_ == "GPE" and e.root.dep_ in ("nsubj", "nsubjpass", "poss", "agent")
    ]
    out.places = [
        e.text for e in doc.ents if e.label_ in PLACE and e.root.dep_ == "pobj" and e.root.head.lower_ in LOCATIVE_PREPS
    ]
    out.lemmas = [
        t.lemma_.lower()
        for t in doc
        if t.is_alpha and not t.is_stop and t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM")
    ]
    out.verbs = [t.lemma_.lower() for t in doc if t.pos_ == "VERB" and t.lemma_.lower() not in LIGHT_VERBS]
    _kind(doc, low, out)
    out.topics = _topics(doc, out)
    if out.kind == "open":
        out.asked = _asked(doc)
    m = re.match(r"^who (?:is|was|are|were) (?:currently |now )?(.+?)\??$", q, re.I)
    if out.kind == "person" and m and not re.search(r"\b(?:who|that|which)\b", m.group(1)):
        out.role = m.group(1).strip()
    out.locative = out.kind == "place" and bool(re.search(r"\bwhere\b|^(in|at|from|to|near) (which|what)\b", low))
    _predicate(doc, out)
    if out.kind in ("statement", "yesno"):
        out.agent, out.agent_phrase = _agent(doc)
    _days(q, base, out)
    return out


def _is_day(text: str) -> bool:
    words = re.findall(r"[a-z]+", text.lower())
    return bool(re.search(r"\d", text)) and any(w in MONTHS or w in WEEKDAYS for w in words)


def _noun_after(doc, i: int):
    """The first noun at or after token i, skipping adjectives and determiners ("many French soldiers" → soldiers)."""
    for t in doc[i:]:
        if t.pos_ in ("NOUN", "PROPN") and t.ent_type_ not in ("NORP",):
            # a compound ("air defence systems"): take the head of the compound
            while t.dep_ == "compound" and t.head.i > t.i:
                t = t.head
            return t
        if t.pos_ in ("VERB", "AUX") or t.text in "?,":
            return None
    return None


def _set(out: Question, kind: str, labels: frozenset[str], strict: bool, focus=None) -> None:
    out.kind, out.labels, out.strict = kind, labels, strict
    if focus is not None:
        out.focus = focus.lemma_.lower()
        out.focus_text = " ".join(
            t.text
            for t in focus.subtree
            if t.i == focus.i
            or (
                t.i < focus.i
                and t.dep_ in ("amod", "compound", "nmod")
                and t.lower_ not in ("many", "much", "which", "what")
            )
        )


def _kind(doc, low: str, out: Question) -> None:
    toks = [t.lower_ for t in doc]
    if re.search(r"\bhow old\b", low):
        # whose age: the subject of the question ("how old was the woman killed...")
        subj = next((t for t in doc if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN")), None)
        out.age = True
        _set(out, "count", COUNT | WHEN, True, subj)
        return
    if re.search(r"\bhow (many|much)\b", low):
        i = toks.index("many") if "many" in toks else toks.index("much")
        many = toks[i] == "many"
        _set(out, "count" if many else "amount", COUNT if many else AMOUNT, True, _noun_after(doc, i + 1))
        return
    if re.search(r"\bhow long\b", low) and not re.search(r"\bhow long (?:is|was) the\b\s+\w+\s*\?", low):
        _set(out, "count", frozenset({"DATE", "TIME"}), True)  # "how long did the strike last": a duration
        out.focus, out.focus_text = "duration", "time"
        return
    if re.search(r"\b(on )?(what|which) (date|day)\b|\bwhat day of the week\b", low):
        out.weekday = "week" in low
        _set(out, "date", frozenset({"DATE"}), True)
        return
    m = re.search(r"\b(which|what)\s+(\w+)", low)
    if m and m.group(2) not in (
        "did",
        "does",
        "do",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "kind",
        "type",
        "sort",
        "form",
        "happened",
        "happens",
    ):
        idx = next((t.i for t in doc if t.lower_ == m.group(1) and t.idx >= m.start(1)), None)
        noun = _noun_after(doc, idx + 1) if idx is not None else None
        if noun is not None:
            kind, labels = KIND_OF_NOUN.get(noun.lemma_.lower(), KIND_OF_NOUN.get(noun.lower_, ("named", NAMED)))
            if kind == "named" and m.group(1) == "what":  # "what right", "what support": a description, not a name
                return
            _set(out, kind, labels, True, noun)
            return
    if low.startswith(("whose", "who", "by whom", "with whom", "to whom", "for whom")) or re.search(
        r"\b(with|to|by|for) whom\b", low
    ):
        _set(out, "person", PERSON_LIKE, True)
        return
    about_reports = out.about_reports = bool(_ABOUT_REPORTS.match(low))
    # the question word is the first wh-word: "what was his rating when he resigned" asks what, not when
    wh = re.search(r"\b(who|whom|whose|what|which|where|when|how)\b", low)
    asks = wh.group(1) if wh and not _YESNO.match(low) else None
    if re.search(r"\bwhere\b", low) and (about_reports or asks == "where"):
        _set(out, "place", PLACE, True)
        return
    if re.search(r"\bwhen\b", low) and (about_reports or asks == "when"):
        _set(out, "date", WHEN, True)
        return
    if _SAY.search(low) or re.search(r"\bhow did .* (respond|react|reply|describe|characteri[sz]e)\b", low):
        _set(out, "statement", frozenset(), False)
        return
    if _YESNO.match(low) and not _ABOUT_REPORTS.match(low):
        _set(out, "yesno", frozenset(), False)
        return


# what an answer is, not a word it contains: "what form", "on what condition", "what was his reaction"
ABSTRACT = frozenset(
    "form condition conditions way manner means step steps measure measures action actions role position stance "
    "reason purpose goal aim message response reaction view views terms term approach plan idea point issue "
    "matter question status situation outcome result effect impact consequence".split()
)
# nouns that frame a question ("on which day", "what kind of", "the number of") rather than say what it is about
FRAME_NOUNS = frozenset(
    "day week date year month time number amount kind type sort way thing part one lot "
    "article articles report reports source sources outlet outlets account accounts".split()
)


def _topics(doc, out: Question) -> list[str]:
    """The common nouns the question is about, apart from the kind of answer it asks for: an answer sentence
    (with its neighbours) that speaks of none of several of them is a near miss."""
    seen: dict[str, None] = {}
    for t in doc:
        lemma = t.lemma_.lower()
        if t.pos_ != "NOUN" or not t.is_alpha or t.is_stop or len(lemma) < 3 or t.ent_type_:
            continue
        if lemma in FRAME_NOUNS or lemma in KIND_OF_NOUN or lemma == out.focus:
            continue
        seen.setdefault(lemma, None)
    return list(seen)


def _asked(doc) -> str | None:
    """The noun a 'what' question asks for: "what was his approval rating" → rating, "what kind of documents"
    → document, "what support has Washington offered" → support; None when it names a general class."""
    noun = None
    for t in doc:
        if t.lower_ not in ("what", "which"):
            continue
        if t.dep_ in ("attr", "nsubj") and t.head.lemma_ == "be":
            noun = next((c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN"), None)
        elif t.dep_ == "det" and t.head.pos_ == "NOUN":
            noun = t.head
        break
    if noun is not None and noun.lemma_.lower() in FRAME_NOUNS | {"name"}:
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        noun = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None) if of else None
    if noun is None:
        return None
    lemma = noun.lemma_.lower()
    return None if lemma in FRAME_NOUNS or lemma in KIND_OF_NOUN or lemma in ABSTRACT else lemma


def _predicate(doc, out: Question) -> None:
    """The verb the question asks about: the deepest content verb of the main clause ("would need to
    cover" → cover; "did Putin say ... would do" → do is light, so say is too: none)."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    chain = []
    t = root
    while t is not None:
        chain.append(t)
        if (
            any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("who", "what", "which") for c in t.children)
            and t.lemma_.lower() not in LIGHT_VERBS
        ):
            break  # "who pledged to deploy troops": the question asks who pledged
        t = next((c for c in t.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX")), None)
    # a verb that frames a clause ("want ... to take effect", "say ... would do") is the subject's attitude or
    # speech, worded otherwise by the articles: only the deepest verb of the chain, or another verb, is content
    cands = chain[-1:] + [t for t in doc if t.pos_ == "VERB" and t not in chain]
    for t in cands:
        if t is not None and t.pos_ == "VERB" and t.lemma_.lower() not in LIGHT_VERBS:
            out.predicate, out.predicate_text = t.lemma_.lower(), t.text
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PROPN"), None)
            out.subject = subj.text if subj is not None else None
            out.objects = [
                c.lemma_.lower()
                for c in t.children
                if c.dep_ in ("dobj", "attr")
                and c.pos_ == "NOUN"
                and (out.focus is None or c.lemma_.lower() != out.focus)
            ]
            return


def _agent(doc) -> tuple[str | None, str | None]:
    """The subject of the question's verb: 'Zelenskiy' in 'what did Zelenskiy tell Fico', 'government' in
    "how did India's government respond"; and its whole phrase ("India's government")."""
    for t in doc:
        if (
            t.dep_ in ("nsubj", "nsubjpass")
            and t.pos_ in ("PROPN", "NOUN")
            and (t.head.pos_ in ("VERB", "AUX") or t.head.dep_ == "ROOT")
        ):
            toks = sorted(t.subtree, key=lambda x: x.i)
            return t.text, doc[toks[0].i : toks[-1].i + 1].text
    # parsed otherwise ("what did the bloc's top diplomat call ...": call taken for a noun): the words between the
    # auxiliary and the verb of saying
    m = _SPEAKER.search(doc.text)
    if m:
        phrase = m.group(1).strip(" ,")
        return re.sub(r"[’']s$", "", phrase.split()[-1]), phrase
    return None, None


def _days(q: str, base: date | None, out: Question) -> None:
    """Dates the question names, resolved against base; 'last week' = the seven days before base."""
    if base is None:
        base = date.today()
    found = []
    mentions = date_mentions(q, base)
    # "7 September" (day first, no year): the latest such day on or before base
    for m in re.finditer(
        r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b(?!\s*,?\s*\d{4})",
        q,
        re.I,
    ):
        if any(a <= m.start() < b for a, b, _ in mentions):
            continue
        try:
            d = date(base.year, MONTHS[m.group(2).lower()], int(m.group(1)))
        except ValueError:
            continue
        mentions.append((m.start(), m.end(), d if d <= base + timedelta(days=31) else d.replace(year=d.year - 1)))
    for s, e, d in sorted(mentions):
        if re.search(
            r"\b(report|article|story|account|piece|dispatch)s?\s+(dated|published|from|of)\s*(on\s+)?$", q[:s], re.I
        ):
            out.published.add(d)
            continue
        found.append(d)
        span = q[s:e]
        # "the night of September 6-7": both days
        m = re.search(r"(\d{1,2})\s*[-–]\s*(\d{1,2})", span)
        if m:
            found.append(d - timedelta(days=int(m.group(2)) - int(m.group(1))))
        out.day_text = ("on " + span) if not span.lower().startswith(("on ", "last ", "this ")) else span
    m = _LAST_WEEK.search(q)
    if m:
        found += [base - timedelta(days=i) for i in range(0, 8)]
        out.day_text = m.group(0)
    out.days = set(found)


def month_names() -> set[str]:
    return set(MONTHS) | set(WEEKDAYS)
