"""The reader: finds, in the retrieved evidence, the sentence that holds an answer of the kind the
question asks for (question.py), satisfying its constraints, and cuts the short answer out of it.

For each evidence sentence (spaCy: entities, lemmas, the dependency parse):
- candidates: entities of the expected labels that the question does not already name; a count must
  count the question's focus noun ("how many drones" → "157 strike and decoy drones", not "26 allies");
  "who <verb>ed" takes the subject of that verb ("26 of Ukraine's allies");
- constraints: the people, places and events the question names occur in the sentence or its
  neighbours (names compared by entity normalisation: Zelensky / Zelenskyy / Zelenskiy); the days the
  question names are the days the sentence speaks of (its own date words resolved against the
  article's date, else the last date its article mentioned before it, else the article's date); the
  question's main verb occurs (lemma or stem: begin/began, warn/warning) or the sentence is close to the
  question by the dense score.
No sentence satisfying all of that → abstain, naming what is missing. Different values from different
outlets for the same thing → every value with the outlets that report it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from briefing.claims.places import norm_place
from briefing.dates import MONTHS, WEEKDAYS, date_mentions, parse_date
from briefing.evidence import Evidence
from briefing.injection import looks_like_instruction
from briefing.naming import equivalents, holds, is_seat, speaker_fits, state_of
from briefing.question import COUNT, KIND_OF_NOUN, Question
from briefing.reports import Reports
from briefing.text import NUMBER, normalize, stem, term_matches, vocabulary
from briefing.topics import SAME_THING, Topics

NEIGHBOURS = 2
CONTINUATION = 2  # sentences after a statement that the claims credit to the same speaker, quoted with it
MONTH_WORDS = sorted(set(MONTHS) | set(WEEKDAYS), key=len, reverse=True)
MIN_COVERAGE = 0.25  # share of the question's (IDF-weighted) terms a sentence and its neighbours must cover
CONFLICT_SCORE = 0.85  # another outlet's value counts when its sentence scores this close to the best
MISFIT = 0.75  # score for a sentence whose number counts what the question's verb says (the claims' unit)
SIMILAR = 0.45  # a sentence whose chunk is this close to the question (dense score) is about it
BACKGROUND_LABELS = frozenset({"GPE", "LOC", "NORP"})  # places and peoples a story is set among; not its people
TIME_UNITS = frozenset({"second", "minute", "hour", "day", "night", "week", "month", "year"})
PERCENT_NOUNS = frozenset({"percentage", "percent", "share", "proportion"})
DURATION = re.compile(r"\b(?:seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?)\b", re.I)
DATELINE_PLACE = re.compile(r"^\s*([A-Z][A-Z’'.-]{2,}(?:\s+[A-Z][A-Z’'.-]+)?|[A-Z][a-z’'-]+(?=\s*:))\s*[,:(—–-]")
TOPICS_MISSING = 2  # a sentence in an article naming none of this many (and half) of the question's nouns misses it
PREDICATE_SIMILARITY = 0.6  # a sentence this close to the question (dense) may word the verb differently
TEMPORAL_WORDS = frozenset(
    {
        "now",
        "today",
        "tonight",
        "yesterday",
        "tomorrow",
        "soon",
        "immediately",
        "currently",
        "later",
        "earlier",
        "recently",
        "already",
        "overnight",
    }
)
TEMPORAL_PREPS = frozenset({"during", "before", "after", "until", "since", "by", "within"})


@dataclass
class Candidate:
    span: str
    value: str  # normalised, for comparing outlets
    evidence: Evidence
    score: float


@dataclass
class Reading:
    answered: bool
    span: str = ""
    chosen: list[Evidence] = field(default_factory=list)
    reason: str = ""
    conflict: list[tuple[str, list[Evidence]]] = field(default_factory=list)  # (value span, evidence giving it)
    ranked: bool = False  # chosen is the answer as it stands (a statement and the rest of its quote)


def fold(name: str) -> str:
    """Entity normalisation for comparing names: lower case, letters only, no leading 'the', no
    possessive, doubled letters collapsed, a trailing -y/-iy/-yy/-i dropped (transliteration variants)."""
    s = name.lower().replace("’", "'")
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^a-z]", "", s)
    s = re.sub(r"(.)\1+", r"\1", s)
    s = re.sub(r"(iy|yi|y|i)$", "", s)
    return s


def _name_in(name: str, text_folds: set[str], text_fold: str) -> bool:
    f = fold(name)
    if not f:
        return True
    if f in text_folds or f in text_fold:
        return True
    # a multi-word name is present when its last word is (surname, "Fico" for "Robert Fico")
    parts = [fold(p) for p in name.split() if fold(p)]
    if len(parts) > 1 and len(parts[-1]) >= 4 and parts[-1] in text_fold:
        return True
    # a long name given more or less fully ("International Association of Machinists District 751" for "...
    # Machinists and Aerospace Workers District 751"): most of its words
    long_words = [p for p in parts if len(p) >= 4]
    if len(long_words) >= 3 and 3 * sum(p in text_folds for p in long_words) >= 2 * len(long_words):
        return True
    # "Slovak" ~ "Slovakia", "Russian" ~ "Russia": a common stem of five letters or more
    return len(f) >= 5 and any(
        len(t) >= 5 and (t.startswith(f[: max(5, len(f) - 2)]) or f.startswith(t[: max(5, len(t) - 2)]))
        for t in text_folds
    )


class Context:
    """What the reader knows about the articles the evidence comes from: each sentence's neighbours
    and the days it speaks of."""

    def __init__(
        self, store, evidence: list[Evidence], embed=None, since: date | None = None, until: date | None = None
    ):
        self.embed = embed  # texts -> vectors: word meanings for Topics
        dated = [d for d in (parse_date(e.published) for e in evidence if e.published) if d]
        self.undated_base = until or (max(dated) if dated else None)
        self.topics = Topics([], None)
        self.reports = Reports(store, since, until, Evidence)
        self.sentences: dict[str, list] = {}
        doc_ids = sorted({e.doc_id for e in evidence})
        for row in store.sentences_of_docs(doc_ids):
            self.sentences.setdefault(row["doc_id"], []).append(row)
        # near-duplicate copies: a sentence only a copy has is a change made in syndication
        self.copies = {d for d in doc_ids if (store.document(d) or {"duplicate_of": None})["duplicate_of"]}

    def around(self, e: Evidence, n: int = NEIGHBOURS) -> str:
        rows = self.sentences.get(e.doc_id, [])
        i = _idx(e)
        return " ".join(r["text"] for r in rows if abs(r["idx"] - i) <= n)

    def neighbours(self, evidence: list[Evidence], known: set[str]) -> list[Evidence]:
        """The sentences right before and after the given ones, as evidence (the answer is often there:
        "Putin issued his starkest warning yet..." then "The statement, delivered at the forum in Vladivostok...")."""
        out = []
        for e in evidence:
            for r in self.sentences.get(e.doc_id, []):
                if abs(r["idx"] - _idx(e)) == 1 and r["id"] not in known and not looks_like_instruction(r["text"]):
                    known.add(r["id"])
                    out.append(
                        Evidence(
                            f"N{len(out) + 1}",
                            r["id"],
                            e.doc_id,
                            e.source,
                            e.title,
                            e.published,
                            r["start"],
                            r["end"],
                            r["text"],
                            0.0,
                            e.similarity * 0.9,
                        )
                    )
        return out

    def continuation(self, e: Evidence) -> list[Evidence]:
        """The next sentence, when the claims credit it to the same speaker as a statement: the rest of a quote
        ("That is not a peace plan. That is a surrender plan.") or what the speaker said next ("He said ...")."""
        claim = self.reports.claim_at(e)
        if claim is None or not claim.speaker:
            return []
        out: list[Evidence] = []
        rows = {r["idx"]: r for r in self.sentences.get(e.doc_id, [])}
        for i in range(_idx(e) + 1, _idx(e) + 1 + CONTINUATION):
            r = rows.get(i)
            if r is None or looks_like_instruction(r["text"]):
                break
            nxt = Evidence(
                f"N{i}", r["id"], e.doc_id, e.source, e.title, e.published, r["start"], r["end"], r["text"], 0.0, 0.0
            )
            later = self.reports.claim_at(nxt)
            if later is None or later.kind != "statement" or later.speaker != claim.speaker:
                break
            out.append(nxt)
        return out

    def article(self, e: Evidence) -> str:
        return " ".join(r["text"] for r in self.sentences.get(e.doc_id, []))

    def home(self, e: Evidence) -> str | None:
        """The place of the article's dateline ("KYIV, Sept 7 (Reuters) -", "Kyiv:"), normalised."""
        rows = self.sentences.get(e.doc_id, [])
        if not rows:
            return None
        m = DATELINE_PLACE.match(rows[0]["text"])
        if not m:
            return None
        from briefing.claims.places import norm_place

        return norm_place(m.group(1))

    def before(self, e: Evidence, n: int = NEIGHBOURS) -> str:
        i = _idx(e)
        return " ".join(r["text"] for r in self.sentences.get(e.doc_id, []) if i - n <= r["idx"] < i)

    def days(self, e: Evidence) -> set[date]:
        base = parse_date(e.published) if e.published else None
        undated = base is None
        if undated:  # an undated report's "on Sunday" is read as of the latest report (or --until)
            base = self.undated_base
            if base is None:
                return set()
        rows = self.sentences.get(e.doc_id, [])
        i = _idx(e)
        for r in sorted((r for r in rows if r["idx"] <= i), key=lambda r: -r["idx"])[:3]:
            found = _days_of(r["text"], base)
            if found:
                return found
            claim = self.reports.claim_at(e) if r["idx"] == i else None
            if claim is not None and claim.event_date is not None:
                return {claim.event_date}  # the day of the event it reports, as read at ingest
        # no day stated: news of the day of the report or of the day (or night) before
        return set() if undated else {base, base - timedelta(days=1)}


DAY_FIRST = re.compile(
    r"\b\d{1,2}(?:\s*[-–]\s*\d{1,2})?(?:st|nd|rd|th)?\s+(?:of\s+)?(?:"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\b",
    re.I,
)


def _days_of(text: str, base: date) -> set[date]:
    out = set()
    m = re.search(r"\b(earlier |later )?(this|last) week\b", text, re.I)
    if m:  # the days of that week up to the report
        monday = (
            base
            - timedelta(days=base.weekday())
            - (timedelta(days=7) if m.group(2).lower() == "last" else timedelta(0))
        )
        out |= {monday + timedelta(days=n) for n in range(7) if monday + timedelta(days=n) <= base}
    mentions = date_mentions(text, base)
    for m in DAY_FIRST.finditer(text):  # "on 7 September", "was set on 9 July": day first
        d = _day_month(m.group(0), base)
        if d is not None and not any(a <= m.start() < b for a, b, _ in mentions):
            mentions.append((m.start(), m.end(), d))
    for s, e, d in mentions:
        out.add(d)
        m = re.search(r"(\d{1,2})\s*[-–]\s*(\d{1,2})", text[s:e])
        if m:
            out.add(d - timedelta(days=int(m.group(2)) - int(m.group(1))))
    return out


def _idx(e: Evidence) -> int:
    return int(e.sentence_id.rsplit(":", 1)[1])


def _lemma_match(lemma: str, doc) -> bool:
    s = stem(lemma)
    for t in doc:
        tl = t.lemma_.lower()
        if tl == lemma or stem(t.lower_) == s or stem(tl) == s:
            return True
        if len(s) >= 5 and stem(tl).startswith(s[: max(5, len(s) - 1)]):
            return True
    return False


def _agent_ok(agent: str, doc, before: str) -> bool:
    """The question's speaker is the subject of a verb in the sentence ("Zelenskiy ... argued"), or the
    sentence's subject is a pronoun and the speaker was named just before ("He said...")."""
    a = fold(agent)
    subjects = [t for t in doc if t.dep_ in ("nsubj", "nsubjpass")]
    # "with analysts noting that...": the speaker heads a clause of its own
    subjects += [t for t in doc if any(c.dep_ == "acl" and c.pos_ == "VERB" for c in t.children)]
    for t in subjects:
        words = {fold(x.text) for x in t.subtree} | {fold(x.lemma_) for x in t.subtree}
        if a in words or any(len(a) >= 5 and w.startswith(a[:5]) for w in words if len(w) >= 5):
            return True
    # "He said...", "The Russian leader said...": a pronoun or a definite description naming no one refers
    # back to someone named just before
    anaphoric = [
        t
        for t in subjects
        if t.pos_ == "PRON"
        and t.lower_ in ("he", "she", "they", "it")
        or t.pos_ == "NOUN"
        and any(c.lower_ == "the" for c in t.children)
        and not any(x.pos_ == "PROPN" for x in t.subtree)
    ]
    if anaphoric:
        return a in fold(before.replace(" ", ""))
    # a speaker quoted with "according to X" or "X said" after the quote
    return any(
        t.dep_ == "pobj" and t.head.lower_ in ("to", "by") and a in {fold(x.text) for x in t.subtree} for t in doc
    )


def _for_subject(q: Question, claim) -> bool:
    """The sentence's doer acts for the question's subject, as the claims read it ("air defences" for Ukraine)."""
    return bool(q.subject and claim is not None and claim.actor and claim.actor == state_of(q.subject))


def _said_by(q: Question, agent: str, claim) -> bool:
    """The claim is a statement of the question's speaker: named (Zelensky / Zelenskiy) or described by role."""
    if claim is None or claim.kind != "statement" or not claim.speaker:
        return False
    speaker = claim.speaker
    if _name_in(agent, {fold(w) for w in speaker.split()}, fold(speaker.replace(" ", ""))):
        return True
    return speaker_fits(q.agent_phrase or "", agent, claim)


def _predicate_in_text(q: Question, text: str, coverage: float) -> bool:
    """_predicate_in() by stems alone, for the neighbouring sentences (not parsed)."""
    vocab = vocabulary(text)
    return term_matches(stem(q.predicate), vocab) or (
        coverage >= 0.5 and any(term_matches(stem(o), vocab) for o in q.objects)
    )


def _doer(verb):
    """Who does what a verb says: its subject; for a participle ("Zelenskyy, speaking at...") the noun or
    the subject of the clause it belongs to."""
    for _ in range(4):
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            return subj
        if verb.dep_ in ("acl", "relcl") or verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head if verb.tag_ == "VBG" else None  # "Zelenskyy, speaking"; not "the statement, delivered"
        if verb.dep_ in ("advcl", "xcomp", "conj", "ccomp") and verb.head is not verb:
            verb = verb.head
            continue
        return None
    return None


def _someone_else(q: Question, doc) -> bool:
    """The sentence says the question's verb of somebody other than the question's subject."""
    if not (q.subject and q.predicate):
        return False
    doers = [_doer(t) for t in doc if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() == q.predicate]
    doers = [d for d in doers if d is not None and d.pos_ in ("PROPN", "NOUN")]
    if not doers:
        return False
    return not any(
        _name_in(q.subject, {fold(x.text) for x in d.subtree}, fold("".join(x.text for x in d.subtree))) for d in doers
    )


def _predicate_in(q: Question, doc, coverage: float = 1.0) -> bool:
    """The sentence speaks of what the question asks: its verb, or (for 'caught fire') the verb's object in
    a sentence that covers most of the question (an object alone, 'force', is often just the topic)."""
    return _lemma_match(q.predicate, doc) or (coverage >= 0.5 and any(_lemma_match(o, doc) for o in q.objects))


def _counted_noun(tok):
    """The noun a number counts: its head for '157 drones', the object of 'of' for '26 of the allies'."""
    out = []
    if tok.dep_ == "nummod" or tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i > tok.i:
        out += [tok.head] + [c for c in tok.head.conjuncts if c.i > tok.head.i]
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            out += [c for c in child.children if c.dep_ == "pobj"]
    # the noun phrase right after the number ("157 strike and decoy drones"), up to a verb or punctuation
    for t in tok.doc[tok.i + 1 : tok.i + 6]:
        if t.pos_ in ("VERB", "AUX", "PUNCT", "ADP", "NUM") and not (t.lower_ == "of" and t.i == tok.i + 1):
            break
        if t.pos_ in ("NOUN", "PROPN") and t not in out:
            out.append(t)
    return out


def _span_text(doc, start: int, end: int) -> str:
    return doc[start:end].text.strip(" ,;:—–-\"“”'")


def _governing_verb(tok):
    """The verb a number's phrase belongs to: 'killed' for 'two people were killed', 'injured' for '18 injured'."""
    t = tok
    for _ in range(6):
        if t is not tok and t.pos_ in ("VERB", "AUX"):
            return t
        if t.head is t:
            return None
        t = t.head
    return None


def _verb_chain(tok) -> list:
    """The number's verb and the verbs it depends on within one event ("launched ... deploying 157 drones"),
    not across coordination ("two were killed and 18 injured": 18 is not killed)."""
    verb = _governing_verb(tok)
    out = []
    while verb is not None and len(out) < 4:
        out.append(verb)
        if verb.dep_ not in ("advcl", "xcomp", "acl", "pcomp", "relcl") or verb.head is verb:
            break
        verb = verb.head if verb.head.pos_ in ("VERB", "AUX") else _governing_verb(verb.head)
    # and what they say the subject does: "26 allies pledged to deploy troops"
    return out + [c for v in out for c in v.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]


def _counts_focus(nouns, q: Question, meaning: Topics | None) -> bool:
    fstem = stem(q.focus)
    return any(stem(n.lemma_.lower()) == fstem or stem(n.lower_) == fstem for n in nouns) or (
        meaning is not None and any(meaning.same(q.focus, n.lower_) for n in nouns if n.pos_ == "NOUN")
    )  # "nations" for "countries"


def _elided(num, q: Question, meaning: Topics | None) -> bool:
    """'Two people were killed and 18 were injured': 18 counts the people of the clause it is coordinated with."""
    verb = num.head
    if num.dep_ not in ("nsubj", "nsubjpass") or verb.dep_ != "conj":
        return False
    first = verb.head
    return any(c.dep_ in ("nsubj", "nsubjpass") and _counts_focus([c], q, meaning) for c in first.children) or any(
        c.dep_ == "dobj" and _counts_focus([c], q, meaning) for c in first.children
    )


def _in_place(num, q: Question, home: str | None) -> bool:
    """A count applies where the sentence says (its own place phrase, else the article's): for a question about
    Odesa, a count 'in the capital' or 'across Ukraine' is a near miss."""
    if not q.places:
        return True
    from briefing.claims.places import norm_place
    from briefing.claims.quantities import scope_of

    scope = scope_of(num)
    if scope is None:
        return True
    wanted = {norm_place(p) for p in q.places}
    if scope in ("capital", "city"):
        return home is not None and home in wanted
    if scope == "country":
        from briefing.claims.actors import roster

        return any(roster().country_of.get(p) == p for p in q.places)  # a country asked about, not a city
    return scope in wanted


def _count_candidates(
    q: Question, doc, meaning: Topics | None = None, home: str | None = None
) -> list[tuple[str, str]]:
    out = []
    attached, modified = [], []
    modifiers = {stem(w.lower()) for w in (q.focus_text or "").split()[:-1]}  # "ballistic" of "ballistic missiles"
    for ent in doc.ents:
        # "for 11 hours", "three days": a count of a time unit is tagged as a time or date
        durations = ent.label_ in ("TIME", "DATE") and (q.focus in TIME_UNITS or q.focus == "duration")
        if ent.label_ not in COUNT and not durations:
            continue
        if q.focus == "duration" and not (durations and DURATION.search(ent.text)):
            continue  # "how long": "eight weeks", "52 days", not a date
        if q.focus in PERCENT_NOUNS and ent.label_ != "PERCENT":
            continue
        if re.fullmatch(r"(19|20)\d\d", ent.text.strip()):  # a year, not a count
            continue
        nouns = [ent.root] if durations and not ent.root.like_num else _counted_noun(ent.root)
        said_as = q.focus == "duration" or q.focus in PERCENT_NOUNS  # the entity itself is what is asked
        if q.focus and not said_as and not _counts_focus(nouns, q, meaning) and not _elided(ent.root, q, meaning):
            continue
        if not _in_place(ent.root, q, home):
            continue
        # the span: the number with the noun phrase it counts ("at least 15 settlements", "26 of Ukraine's allies")
        ends = [ent.end] + [max(t.i for t in n.subtree if t.i <= n.i) + 1 for n in nouns if n.i >= ent.start]
        start = ent.start
        while start > 0 and doc[start - 1].lower_ in (
            "at",
            "least",
            "about",
            "around",
            "nearly",
            "almost",
            "over",
            "some",
            "more",
            "than",
            "up",
            "to",
            "roughly",
            "approximately",
        ):
            start -= 1
        end = max(ends) if nouns else ent.end
        if end - start > 12:
            end = ent.end
        digits = NUMBER.findall(normalize(ent.text))  # "Twenty" → 20, "1,000" → 1000
        value = digits[0] if digits else ent.text.lower()
        span = _span_text(doc, start, end)
        out.append((span, value))
        attached.append(bool(q.predicate) and any(_lemma_match(q.predicate, [v]) for v in _verb_chain(ent.root)))
        modified.append(bool(modifiers) and modifiers <= {stem(w.lower()) for w in span.split()})
    # where some number is what the question's verb says ("two people were killed ... and more than 20 injured"),
    # the others are of another verb; where some count is of the kind asked ("four ballistic missiles"), the
    # others ("nine cruise missiles") are not
    # a sentence whose clause says what the question asks ("voted to reject") without a number of its own gives
    # only numbers of other verbs ("96 percent voted to strike"): none of them answers
    if (
        q.predicate
        and not any(attached)
        and any(
            t.dep_ in ("ROOT", "xcomp", "ccomp", "conj", "advcl")
            and t.pos_ == "VERB"
            and _lemma_match(q.predicate, [t])
            for t in doc
        )
    ):
        return []
    for keep in (attached, modified):
        if any(keep):
            out, attached, modified = (
                [x for x, k in zip(out, keep) if k],
                [a for a, k in zip(attached, keep) if k],
                [m for m, k in zip(modified, keep) if k],
            )
    return out


AGE = re.compile(r"\b([\w.]+)[- ](year|month|week|day)s?[- ]old\b|\baged (\d+)\b", re.I)


def _age_candidates(q: Question, doc) -> list[tuple[str, str]]:
    """'How old was the woman': 'a 32-year-old woman', 'the woman, aged 32' — an age of the person asked about."""
    out = []
    for m in AGE.finditer(doc.text):
        number = m.group(1) or m.group(3)
        digits = NUMBER.findall(normalize(number))
        if not digits:
            continue
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        if m.group(3):  # "the woman, aged 32": the noun before
            nouns = [t for t in doc[max(0, span.start - 4) : span.start] if t.pos_ in ("NOUN", "PROPN")][-1:]
        else:  # "a 32-year-old woman": the noun after
            nouns = [t for t in doc[span.end : span.end + 3] if t.pos_ in ("NOUN", "PROPN")][:1]

        def asked(n) -> bool:
            return n.lemma_.lower() == q.focus or stem(n.lower_) == stem(q.focus)

        # "Mr Ishiba, a 68-year-old centrist": the age of the one the appositive describes
        if q.focus and not any(asked(n) or (n.dep_ == "appos" and asked(n.head)) for n in nouns):
            continue
        end = nouns[0].i + 1 if nouns and nouns[0].i >= span.end else span.end
        out.append((_span_text(doc, span.start, end), digits[0]))
    return out


def _subject_of(q: Question, doc) -> list[tuple[str, str]]:
    """'who pledged troops?': the subject of the verb the question asks about."""
    if not q.predicate:
        return []
    out = []
    for t in doc:
        if t.pos_ in ("VERB", "NOUN") and (t.lemma_.lower() == q.predicate or stem(t.lower_) == stem(q.predicate)):
            while t.dep_ in ("xcomp", "conj") and not any(c.dep_ in ("nsubj", "agent") for c in t.children):
                t = t.head  # "26 of Ukraine's allies had pledged to deploy": deploy's subject is pledge's
            if t.pos_ == "NOUN" and t.dep_ == "attr" and t.head.lemma_.lower() == "be":
                t = t.head  # "The Roscongress Foundation is the organizer of the forum": who organizes it
            for c in t.children:
                if c.dep_ in ("nsubj", "agent") and c.pos_ != "PRON":
                    node = c if c.dep_ == "nsubj" else next((g for g in c.children if g.dep_ == "pobj"), None)
                    if node is None or node.pos_ == "PRON":
                        continue
                    toks = sorted(node.subtree, key=lambda x: x.i)
                    span = _span_text(doc, toks[0].i, toks[-1].i + 1)
                    if 0 < len(span.split()) <= 12:
                        out.append((span, fold(span)))
    return out


LABEL_ORDER = {"person": ("PERSON", "ORG", "GPE"), "org": ("ORG", "PERSON", "GPE", "NORP")}


def _dateline(ent) -> bool:
    """'PARIS, Sept 6 (wire) -': where the report was filed, not what it reports."""
    doc = ent.doc
    if not (len(doc) > 1 and doc[0].text.isupper() and len(doc[0].text) >= 3 and doc[1].text in (",", "(")):
        return False
    # the dateline runs from the place in capitals to its dash: "TOKYO (AP) —", "KYIV, Sept 7 (Meridian) -"
    dash = next((t.i for t in doc[:10] if t.text in ("—", "-", "–", ":")), None)
    return dash is not None and ent.end <= dash


def _entity_candidates(q: Question, doc, question_folds: set[str]) -> list[tuple[str, str, object]]:
    out = []
    order = LABEL_ORDER.get(q.kind, ())
    for ent in sorted(doc.ents, key=lambda x: order.index(x.label_) if x.label_ in order else len(order)):
        if ent.label_ not in q.labels or _dateline(ent):
            continue
        f = fold(ent.text)
        if (
            not f
            or f in question_folds
            or any(
                len(x) >= 4 and x in f or len(f) >= 5 and f.startswith(x[:5]) and x.startswith(f[:5])
                for x in question_folds
            )
        ):
            continue
        out.append((ent.text, f, ent))
    return out


def _date_candidates(q: Question, doc, base: date | None) -> list[tuple[str, str]]:
    out = []
    for ent in doc.ents:
        if ent.label_ not in q.labels or _dateline(ent):  # "DENPASAR, July 3 (Wire) -": the day it was filed
            continue
        text = ent.text
        if q.weekday and not re.search(r"(mon|tues|wednes|thurs|fri|satur|sun)day", text, re.I):
            continue
        resolved = date_mentions(text, base) if base else []
        d = resolved[0][2] if resolved else (_day_month(text, base) if base else None)
        if d is None and not re.search(r"\d|\b(" + "|".join(MONTH_WORDS) + r")", text, re.I):
            continue  # a duration or a vague time ("a day", "hours", "this week"), not a date
        span = text
        if d is not None and d.strftime("%B") not in text:
            span = f"{text} ({d:%A}, {d:%B} {d.day}, {d.year})"
        elif d is not None and not re.search(r"\b(19|20)\d\d\b", text) and not q.weekday:
            span = f"{text} ({d:%B} {d.day}, {d.year})"
        out.append((span, d.isoformat() if d else re.sub(r"[^a-z0-9]", "", text.lower())))
    if q.kind == "date" and not q.weekday and "TIME" in q.labels:
        # "now", "during the war": time expressions that are not named dates
        for t in doc:
            if t.lower_ in TEMPORAL_WORDS and t.pos_ in ("ADV", "NOUN"):
                out.append((t.text, t.lower_))
            elif t.lower_ in TEMPORAL_PREPS and t.dep_ == "prep" and any(c.dep_ == "pobj" for c in t.children):
                toks = sorted(t.subtree, key=lambda x: x.i)
                timed = any(x.ent_type_ in ("DATE", "TIME") for x in toks)
                # "by Moscow's forces", "after Putin": a doer or a name, not a time
                named = any(x.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for x in toks)
                if len(toks) <= 6 and (timed or not named and t.lower_ != "by"):
                    out.append((_span_text(doc, toks[0].i, toks[-1].i + 1), fold(doc[toks[0].i : toks[-1].i + 1].text)))
    return out


def _day_month(text: str, base: date) -> date | None:
    """'4 August', '7 September' (day first, no year): that day on or before the report (or just after it)."""
    m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]+)\b(?!\s*,?\s*\d{4})", text)  # "4-5 September": 5
    if not m or m.group(2).lower() not in MONTHS:
        return None
    try:
        d = date(base.year, MONTHS[m.group(2).lower()], int(m.group(1)))
    except ValueError:
        return None
    return d if d <= base + timedelta(days=31) else d.replace(year=d.year - 1)


def _place_candidates(q: Question, doc, question_folds: set[str], similar: bool) -> list[tuple[str, str]]:
    # a demonym ("Ukrainian") is not a place; a place named as the kind asked for ("the city of Uzhhorod") first
    ents = [c for c in _entity_candidates(q, doc, question_folds) if c[2].root.pos_ != "ADJ"]
    ents.sort(
        key=lambda c: not (q.focus and c[2].root.head.lower_ == "of" and c[2].root.head.head.lemma_.lower() == q.focus)
    )
    out = []
    for text, f, ent in ents:
        # a place answers "where"/"in which city" when it is where something happens ("in Paris", "at the forum")
        # or names the place kind asked for
        if not q.locative or _locative_ok(q, ent.root, doc, similar):
            out.append((text, f))
    if q.locative and not q.focus:
        # "where": venues that are not named places ("at a press conference", "in European capitals")
        for t in doc:
            if t.lower_ in ("in", "at", "within", "to") and t.dep_ == "prep":
                pobj = next((c for c in t.children if c.dep_ == "pobj"), None)
                if (
                    pobj is not None
                    and pobj.pos_ in ("NOUN", "PROPN")
                    and fold(pobj.text) not in question_folds
                    and (_asked(q, t.head) and t.lower_ != "to" or _where_clause(q, pobj))
                ):
                    toks = sorted(pobj.subtree, key=lambda x: x.i)
                    if len(toks) <= 8:
                        out.append((_span_text(doc, t.i, toks[-1].i + 1), fold(doc[toks[0].i : toks[-1].i + 1].text)))
    return out


def _asked(q: Question, tok) -> bool:
    s = stem(tok.lemma_.lower())
    return any(stem(x) == s for x in q.lemmas + ([q.predicate] if q.predicate else []))


def _where_clause(q: Question, tok) -> bool:
    """'Vladivostok, where the forum is held': a place the sentence says the asked-about thing happens in."""
    for clause in (c for c in tok.children if c.dep_ in ("relcl", "acl")):
        words = list(clause.subtree)
        if any(w.lower_ == "where" for w in words) and any(
            _asked(q, w) for w in words if w.pos_ in ("VERB", "NOUN", "PROPN")
        ):
            return True
    return False


def _locative_ok(q: Question, tok, doc, similar: bool = False) -> bool:
    """A place answers 'where' when it is where the asked-about thing happens: the object of in/at/...
    attached to the question's verb or to a noun the question names ("met in Uzhhorod", "a summit in
    Paris"), or the name of such a noun ("a Paris summit"). When the sentence does not hold the
    question's verb, any 'in/at' place will do."""
    if _where_clause(q, tok):
        return True
    if q.focus and tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() == q.focus:
        return _locative_ok(q, tok.head.head, doc, similar)  # "in the western Ukrainian city of Uzhhorod"
    if tok.dep_ in ("compound", "nmod", "amod", "poss"):
        return _asked(q, tok.head)
    if tok.dep_ != "pobj" or tok.head.lower_ not in ("in", "at", "near", "inside", "within", "to", "from"):
        return False
    attached = tok.head.head
    if _asked(q, attached):
        return True
    return not (q.predicate and _predicate_in(q, doc)) and similar


def _named_candidates(q: Question, doc, question_folds: set[str]) -> list[tuple[str, str]]:
    if q.focus and q.focus not in KIND_OF_NOUN and stem(q.focus) not in {stem(t.lower_) for t in doc}:
        return []  # "which air defence systems": a name is an answer only where the sentence speaks of systems
    out = [(t, f) for t, f, ent in _entity_candidates(q, doc, question_folds) if ent.label_ != "NORP"]
    if q.focus:  # a name that says what it is ("the Eastern Economic Forum" for "which forum") first
        out.sort(key=lambda c: stem(q.focus) not in {stem(w.lower()) for w in c[0].split()})
    if q.focus:
        # "which pipeline" → "the Druzhba pipeline": a proper noun naming the focus noun
        for t in doc:
            if t.lemma_.lower() == q.focus:
                names = [c for c in t.children if c.dep_ in ("compound", "amod", "poss") and c.pos_ == "PROPN"]
                if names and fold(names[0].text) not in question_folds:
                    out.append((_span_text(doc, min(c.i for c in names), t.i + 1), fold(names[0].text)))
    return out


def candidates(
    q: Question,
    doc,
    base: date | None,
    question_folds: set[str],
    similar: bool = False,
    meaning: Topics | None = None,
    home: str | None = None,
) -> list[tuple[str, str]]:
    """Answers of the kind asked for in one parsed sentence: (span, normalised value). similar: the sentence
    is close to the question by the dense score (it may word the question's verb differently); meaning: word
    vectors, for a counted noun worded otherwise ("nations" for "countries")."""
    if q.age:
        return _age_candidates(q, doc)
    if q.kind in ("count", "amount"):
        return _count_candidates(q, doc, meaning, home)
    if q.kind == "date":
        return _date_candidates(q, doc, base)
    if q.kind == "place":
        return _place_candidates(q, doc, question_folds, similar)
    if q.kind in ("person", "org"):
        subj = _subject_of(q, doc) if q.predicate else []
        ents = [(t, f) for t, f, ent in _entity_candidates(q, doc, question_folds) if not q.role or holds(q.role, ent)]
        return ents if q.role else subj + ents
    if q.kind in ("named", "ordinal"):
        if q.kind == "ordinal":
            return [(e.text, e.text.lower()) for e in doc.ents if e.label_ == "ORDINAL"]
        return _named_candidates(q, doc, question_folds)
    return []


def read(q: Question, evidence: list[Evidence], ranked: list[Evidence], coverage, ctx: Context) -> Reading:
    """ranked: the evidence by the gate's coverage (best first); coverage(text) -> (share, missing terms)."""
    from briefing import nlp

    ctx.topics = Topics(q.topics, ctx.embed)
    question_folds = {fold(n) for n, _ in q.names} | {fold(w) for w in q.text.split() if w[:1].isupper()}
    if q.focus:
        question_folds.discard(fold(q.focus))
    pool = [
        e
        for e in ranked[:16] + ctx.neighbours(ranked[:6], {e.sentence_id for e in ranked})
        if e.text.strip() != (e.title or "").strip()
    ]  # a headline is not a report of the facts
    misses: dict[str, int] = {}
    # checks on the text first (cheap), so that only the sentences that pass them are parsed
    passed: list[tuple[Evidence, float, float, str]] = []
    off_topic: set[str] = set()  # near misses: never quoted as the answer
    for e in pool:
        around = ctx.around(e)
        cov, own = coverage(around)[0], coverage(e.text)[0]
        problem = _text_problem(q, e, around, cov, ctx)
        if problem == "topics":
            off_topic.add(e.sentence_id)
        if problem:
            if problem.startswith("names:"):
                misses.setdefault(problem, 0)
            else:
                misses[problem] = misses.get(problem, 0) + 1
            continue
        passed.append((e, cov, own, around))
    agent = q.agent
    soft_pool = pool if (not q.strict and agent) else []
    parsed = {
        e.sentence_id: d
        for e, d in zip(
            soft_pool + [p[0] for p in passed],
            nlp.parse_many([e.text for e in soft_pool] + [p[0].text for p in passed]),
        )
    }
    # names that most of the evidence mentions are the background of the story ("Ukraine"), not an answer
    mentions: dict[str, int] = {}
    for d in parsed.values():
        for f in {fold(x.text) for x in d.ents if x.label_ in BACKGROUND_LABELS}:
            mentions[f] = mentions.get(f, 0) + 1
    question_folds |= {f for f, n in mentions.items() if n > max(2, len(parsed) // 2)}
    soft = [
        e
        for e in pool
        if not q.strict
        and e.sentence_id not in off_topic
        and (
            not agent
            or _agent_ok(agent, parsed[e.sentence_id], _context(ctx, e))
            or speaker_fits(q.agent_phrase or "", agent, ctx.reports.claim_at(e))
        )
    ]
    viable: list[tuple[float, Evidence, list[tuple[str, str]]]] = []
    units = ctx.reports.units(q.focus) if q.kind in ("count", "amount") and q.focus and not q.age else frozenset()
    for e, cov, own, around in passed:
        doc = parsed[e.sentence_id]
        if (
            agent
            and not _agent_ok(agent, doc, _context(ctx, e))
            and not speaker_fits(q.agent_phrase or "", agent, ctx.reports.claim_at(e))
        ):
            misses["agent"] = misses.get("agent", 0) + 1
            continue
        if q.strict and _someone_else(q, doc) and not _for_subject(q, ctx.reports.claim_at(e)):
            misses["predicate"] = misses.get("predicate", 0) + 1
            continue
        if (
            q.predicate
            and (q.strict or q.kind == "yesno")
            and not (q.kind in ("count", "amount") and q.focus)
            and not q.about_reports
            and not _predicate_in(q, doc, own)
            and not _predicate_in_text(q, around, cov)
            and e.similarity < PREDICATE_SIMILARITY
        ):
            misses["predicate"] = misses.get("predicate", 0) + 1
            continue
        base = parse_date(e.published) if e.published else None
        found = (
            candidates(q, doc, base, question_folds, e.similarity >= SIMILAR, ctx.topics, ctx.home(e))
            if q.strict
            else []
        )
        fit = 0.0
        if q.kind in ("count", "amount") and not q.age:
            found, fit = _by_claims(q, ctx.reports.quantities(e), found, e.text, units)
            found = _claimed_in_place(q, ctx.reports.quantities(e), found, ctx.home(e))
            if not found:
                misses["place" if _places(q) else "type"] = misses.get("place" if _places(q) else "type", 0) + 1
                continue
        if q.strict and not found:
            misses["type"] = misses.get("type", 0) + 1
            continue
        # a short answer is found by type, so closeness to the question (dense) ranks; a sentence quoted as
        # the answer must cover the question's own terms, so coverage ranks
        score = (
            (own + cov + 2 * e.similarity if q.strict else 3 * own + cov + e.similarity)
            + (0.5 if q.predicate and _predicate_in(q, doc) else 0.0)
            + fit
        )
        if q.kind in ("person", "org") and found and q.predicate and _subject_of(q, doc):
            score += 1.0  # the one who does what is asked ("X is the organizer of ..."), not a name nearby
        if q.kind == "named" and q.focus and found and stem(q.focus) in {stem(w.lower()) for w in found[0][0].split()}:
            score += 1.0  # names the kind of thing asked for ("the Eastern Economic Forum" for "which forum")
        viable.append((score, e, found))
    if not viable:
        return Reading(False, reason=_reason(q, misses))
    viable.sort(key=lambda v: -v[0])
    if not q.strict:  # no short answer: the best sentences that pass the checks, verbatim
        chosen = sorted(soft, key=lambda e: e.doc_id in ctx.copies)
        said = [e for e in chosen if q.kind == "statement" and agent and _said_by(q, agent, ctx.reports.claim_at(e))]
        if said:
            # "what did X say": a statement the claims credit to X ("He said ..." after X is named, a quote's
            # second sentence), the one covering the rest of the question best, with the rest of its quote
            said.sort(key=lambda e: (e.doc_id in ctx.copies, -coverage(e.text)[0]))
            return Reading(True, chosen=[said[0], *ctx.continuation(said[0])], ranked=True)
        return Reading(True, chosen=chosen)
    best_score, best, found = viable[0]
    span = found[0][0]
    reading = Reading(True, span=span, chosen=[best])
    # conflicting reports, from the claims stored at ingest: every article's value for the same quantity of the
    # same event and day (or every day articles give the same meeting), whether or not retrieval found them
    sides = _claimed_sides(q, ctx, best, found[0][1])
    if sides is not None:
        # (sides within one article are its different named sources: "the union said" / "the employers put ...")
        if len(sides) > 1:
            reading.span = sides[0].value if q.kind != "date" else span
            reading.conflict = [(side.value, side.evidence) for side in sides]
            quoted: dict[str, Evidence] = {}  # every outlet named, two sentences of each side quoted, each once
            for side in sides:
                for x in side.evidence[:2]:
                    quoted.setdefault(x.text, x)
            reading.chosen = list(quoted.values())
        return reading
    # conflicting reports: other outlets giving another value for the same thing
    # (names of people and groups are worded too differently to compare: "26 of Ukraine's allies", "26 nations")
    if q.kind in ("count", "amount", "date", "place", "ordinal"):
        if q.kind == "date" and _month_day(found[0][1]) is None:
            return reading  # "now", "during the war": not a day other reports could differ on
        values: dict[str, tuple[str, list[Evidence]]] = {found[0][1]: (span, [best])}
        best_days = ctx.days(best)
        for score, e, f in viable[1:]:
            if (not q.about_reports and score < CONFLICT_SCORE * best_score) or e.source == best.source:
                continue
            # the same event: the same days (unless the day is what is asked), the question's verb in both
            other_days = ctx.days(e)
            if q.kind != "date" and best_days and other_days and not (other_days & best_days):
                continue
            if q.predicate and not q.about_reports and not _predicate_in(q, nlp.parse(e.text)):
                continue
            v, s = f[0][1], f[0][0]
            if q.kind == "date" and _month_day(v) is None:
                continue  # "now", "by Moscow's forces": not a day another report could differ on
            if q.kind in ("count", "amount") and _counts_differ(ctx, best, found[0][1], e, v):
                continue  # the claims read the two numbers as counts of different things or days
            if q.kind in ("count", "amount"):  # "more than 800" and "some 810" agree
                v = next((x for x in values if _compatible(values[x][0], x, s, v)), v)
            if q.kind == "date":  # "September 5" in an undated report and "Friday" resolved to 2025-09-05
                v = next((x for x in values if _same_day(x, v)), v)
            if q.kind == "place":  # the same place named more or less fully ("Vladivostok", "the forum in Vladivostok")
                v = next((x for x in values if x in v or v in x), v)
            if v in values:
                if all(x.source != e.source for x in values[v][1]):
                    values[v][1].append(e)
            elif len(values) < 4:
                values[v] = (s, [e])
        if q.kind in ("count", "amount"):  # a bound ("more than 800") agrees with any value it admits: no side
            values = {v: (s, es) for v, (s, es) in values.items() if not _is_bound(s, v)}
        outlets = {x.source for _, es in values.values() for x in es}
        if len(values) > 1 and len(outlets) > 1:
            reading.conflict = list(values.values())
            reading.chosen = [x for _, es in values.values() for x in es]
    return reading


def _is_bound(span: str, value: str) -> bool:
    iv = _interval(span, value)
    return iv is not None and iv[0] != iv[1]


def _counts_differ(ctx: Context, a: Evidence, va: str, b: Evidence, vb: str) -> bool:
    """The claims read the two numbers as different quantities (drones launched, drones shot down) or as counts of
    events on different days."""
    qa = [x for x in ctx.reports.quantities(a) if f"{x.value:g}" == va]
    qb = [x for x in ctx.reports.quantities(b) if f"{x.value:g}" == vb]
    if qa and qb and not {x.unit for x in qa} & {x.unit for x in qb}:
        return True
    ca, cb = ctx.reports.claim_at(a), ctx.reports.claim_at(b)
    return bool(ca and cb and ca.event_date and cb.event_date and ca.event_date != cb.event_date)


def _claimed_sides(q: Question, ctx: Context, best: Evidence, value: str):
    """The sides of a conflict as the claims know them (reports.py); None when they do not know the value."""
    if q.kind in ("count", "amount"):
        try:
            number = float(value)
        except ValueError:
            return None
        return ctx.reports.quantity_sides(best, number, age=q.age)
    if q.kind == "date" and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        sides = ctx.reports.date_sides(best, date.fromisoformat(value))
        if sides is not None:
            for side in sides:
                d = date.fromisoformat(side.value)
                side.value = f"{d:%A}, {d:%B} {d.day}, {d.year}"
        return sides
    return None


def _places(q: Question) -> set[str]:
    return {norm_place(n) for n in q.places}


def _claimed_in_place(
    q: Question, quantities, found: list[tuple[str, str]], home: str | None = None
) -> list[tuple[str, str]]:
    """A count the claims place somewhere ('18 were injured in the capital' → Kyiv; 'across Ukraine') answers a
    question about another place ('how many were injured in Odesa') only when it is that place's (also for the
    numbers the claims add to the parse's)."""
    asked = _places(q)
    if not asked or not quantities:
        return found
    out = []
    for span, value in found:
        scopes = {norm_place(x.scope) for x in quantities if f"{x.value:g}" == value and x.scope}
        if scopes & {"capital", "city"}:  # "in the capital": the dateline's city, else a capital asked about
            capital = {norm_place(p) for p in q.places if is_seat(p)}
            scopes = (scopes - {"capital", "city"}) | ({home} if home else capital)
            if not scopes:
                continue
        if scopes and not scopes & asked:
            continue
        out.append((span, value))
    return out


def _by_claims(
    q: Question, quantities, found: list[tuple[str, str]], text: str = "", units: frozenset[str] = frozenset()
) -> tuple[list[tuple[str, str]], float]:
    """Candidates as the claims read each number: one that counts another thing than the question's noun ("810
    drones" for "how many missiles") is dropped; one whose unit names the question's verb ("18 ... injured" →
    people_injured for "how many were injured") comes first, and then one whose unit names another verb ("two
    people were killed") is dropped; numbers the span finder missed ("... and 18 were injured") are added. The
    weight: MISFIT for a sentence with a number whose unit names the question's verb, -MISFIT for one whose every
    number counts what another verb says, a verb the question does not use. units: the units the claims of the
    store use: when one of them counts the question's noun done as its verb says (missiles_downed for "how many
    missiles were shot down"), a number of another unit ("seven missiles" launched) is not an answer at all."""
    if not quantities:
        return found, 0.0
    asked = {stem(w) for w in re.findall(r"[a-z]+", q.text.lower())}
    focus = stem(q.focus) if q.focus else None

    def fits(qty) -> bool | None:
        """True: counts the question's noun, done as its verb says; False: another verb; None: unknown."""
        what = [w for w in qty.unit.split("_")[1:] if w not in ("of", "without", "per")]
        if not what:
            return None
        return any(stem(w) in asked for w in what)

    def value(qty) -> str:
        return f"{qty.value:g}"

    same = [x for x in quantities if not focus or stem(x.counts) == focus]
    if same and focus:  # another number of the sentence counts the question's noun: this one counts something else
        other = {value(x) for x in quantities if x.counts and stem(x.counts) != focus} - {value(x) for x in same}
        found = [c for c in found if c[1] not in other]
    fitting = [x for x in same if fits(x)]
    asked_unit = focus and any(
        stem(u.split("_")[0]) == focus and any(stem(w) in asked for w in u.split("_")[1:]) for u in units
    )
    if asked_unit and not fitting:
        known_else = {value(x) for x in same if fits(x) is False}
        found = [c for c in found if c[1] not in known_else]
    if not fitting:
        # every number counts what another verb says, and the sentence does not say the question's verb: a
        # sentence about something else done ("three were killed" for "how many were injured")
        done_else = [x for x in same if fits(x) is False]
        said = {stem(w) for w in re.findall(r"[a-z]+", text.lower())}
        unsaid = bool(q.verbs) and not any(stem(v) in said for v in q.verbs)
        return found, (
            -MISFIT if done_else and unsaid and {c[1] for c in found} <= {value(x) for x in done_else} else 0.0
        )
    ok = {value(x) for x in fitting}
    wrong = {value(x) for x in same if fits(x) is False} - ok
    out = [c for c in found if c[1] in ok]
    out += [(x.text, value(x)) for x in fitting if value(x) not in {c[1] for c in out}]
    return out + [c for c in found if c[1] not in ok and c[1] not in wrong], MISFIT


_BOUNDS = (
    ("more than", 1.0, float("inf")),
    ("over", 1.0, float("inf")),
    ("at least", 1.0, float("inf")),
    ("nearly", 0.85, 1.0),
    ("almost", 0.85, 1.0),
    ("up to", 0.0, 1.0),
    ("about", 0.9, 1.1),
    ("some", 0.9, 1.1),
    ("around", 0.9, 1.1),
    ("roughly", 0.9, 1.1),
    ("approximately", 0.9, 1.1),
)


def _interval(span: str, value: str) -> tuple[float, float] | None:
    try:
        v = float(value)
    except ValueError:
        return None
    low = span.lower()
    for word, lo, hi in _BOUNDS:
        if re.match(rf"{word}\b", low):
            return (v * lo + (1e-9 if word in ("more than", "over") else 0.0), v * hi)
    return (v, v)


def _month_day(value: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"\d{4}-(\d\d)-(\d\d)", value)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = re.fullmatch(r"([a-z]+?)(\d{1,2})", value)  # a folded "September 5" without a year
    if m and m.group(1) in MONTHS:
        return MONTHS[m.group(1)], int(m.group(2))
    return None


def _same_day(a: str, b: str) -> bool:
    """Two date values name the same day (a year missing on one side is no difference)."""
    if a == b:
        return True
    da, db = _month_day(a), _month_day(b)
    return da is not None and da == db


def _compatible(span_a: str, value_a: str, span_b: str, value_b: str) -> bool:
    """Two reported amounts can both be true ("more than 800" and "810")."""
    a, b = _interval(span_a, value_a), _interval(span_b, value_b)
    if a is None or b is None:
        return value_a == value_b
    return a[0] <= b[1] and b[0] <= a[1]


def _context(ctx: Context, e: Evidence) -> str:
    """What a pronoun or 'the Russian leader' in e may refer to: the sentences before it and the headline."""
    return ctx.before(e, 4) + " " + (e.title or "")


def _text_problem(q: Question, e: Evidence, around: str, cov: float, ctx: Context) -> str | None:
    """Why a sentence cannot hold the answer, judged from its text alone (None: it may)."""
    if cov < MIN_COVERAGE:
        return "coverage"
    # the names may be in the neighbouring sentences or the headline ("Putin Warns...")
    named = around + " " + (e.title or "")
    folds = {fold(w) for w in re.findall(r"[\w’'-]+", named)}
    missing = [
        n
        for n, label in q.names
        if not _name_in(n, folds, fold(named.replace(" ", ""))) and not _government_in(n, q, named)
    ]
    if missing and any(label == "NORP" for _, label in q.names):
        # a nationality ("the Ukrainian capital", "Russian oil") says which country's: the article must be about it
        whole = ctx.article(e)
        whole_folds = {fold(w) for w in re.findall(r"[\w’'-]+", whole)}
        norp = {n for n, label in q.names if label == "NORP"}
        missing = [n for n in missing if n not in norp or not _name_in(n, whole_folds, fold(whole.replace(" ", "")))]
    if missing:  # "Moscow" or "the Kremlin" for Russia, "Washington" for the United States (the roster's seats)
        missing = [
            n for n in missing if not any(_name_in(x, folds, fold(named.replace(" ", ""))) for x in equivalents(n))
        ]
    if missing:
        return "names:" + ", ".join(missing)
    if q.asked and ctx.topics.missing(e.text, named, [q.asked], at=SAME_THING) and not _states_measure(q.asked, e.text):
        return "topics"  # "what was his approval rating": a sentence with no rating cannot say
    if len(q.topics) >= TOPICS_MISSING:  # (the article may name the summit the sentence's detail belongs to)
        missing = ctx.topics.missing(e.text, ctx.article(e) + " " + (e.title or ""))
        if len(missing) >= TOPICS_MISSING and 2 * len(missing) >= len(q.topics):
            return "topics"
    if q.published and (parse_date(e.published) if e.published else None) not in q.published:
        return "days"
    if q.days and not (ctx.days(e) & q.days):
        return "days"
    return None


_PERCENT = re.compile(r"\d\s*(?:%|percent\b|per cent\b|percentage points?\b)", re.I)
_MONEY = re.compile(
    r"[$€£¥₴₽]\s*\d|\d(?:[\d.,]*)\s*(?:(?:million|billion|trillion|bn|m)\s+)?"
    r"(?:dollars|euros?|pounds|rubles|roubles|hryvnias?|yen|yuan)\b|\b(?:USD|EUR|GBP|UAH|RUB)\s*\d",
    re.I,
)
MEASURES = {
    **dict.fromkeys(("rate", "percentage", "share", "proportion", "margin"), _PERCENT),
    **dict.fromkeys(("cost", "price", "value", "budget", "worth", "fine", "salary", "wage", "fee"), _MONEY),
}


def _states_measure(asked: str, text: str) -> bool:
    """A rate is said as a percentage, a cost as money: "tariffs ... from 25% to 15%" gives the rate."""
    rx = MEASURES.get(asked)
    return bool(rx and rx.search(text))


def _government_in(name: str, q: Question, text: str) -> bool:
    """A place name standing for its government ("has Washington offered") is met by any name of that country
    ("the United States", "U.S."), from the roster of country words."""
    if name not in q.governments:
        return False
    from briefing.claims.actors import roster

    r = roster()
    country = r.country_of.get(name)
    if country is None:
        return False
    return any(r.country_of.get(m.group(0)) == country for m in r.country_rx.finditer(text))


def _reason(q: Question, misses: dict[str, int]) -> str:
    what = q.describe()
    names = [k.split(":", 1)[1] for k in misses if k.startswith("names:")]
    if misses.get("type"):
        return f"no sentence gives {what}"
    if misses.get("place"):
        where = ", ".join(q.places)
        return f"no sentence gives {what} for {where} — the numbers found are for other places"
    if misses.get("days"):
        return f"no sentence gives {what} — the evidence speaks of other days"
    if misses.get("predicate"):
        return f"no sentence says what the question asks ({q.predicate_text or q.predicate}): no sentence gives {what}"
    if names:
        return f"no sentence about {names[0]} gives {what}"
    if misses.get("topics"):
        about = list(dict.fromkeys(([q.asked] if q.asked else []) + q.topics))
        return f"no sentence speaks of {', '.join(about)} to give {what}"
    if misses.get("agent"):
        return f"no sentence reports what {q.agent} said or did about it"
    return f"no sentence covers the question well enough to give {what}"
