"""Numbers and what they count: "810 drones" launched, "747 were shot down", "15 people were injured",
"26 countries pledged", "a 23-year-old woman" (an age), each as a normalised key such as drones_launched."""

from __future__ import annotations

import re

from briefing.claims.lexicon import NOUN_OF, NOUNS, NUMBER_NOUNS, singular
from briefing.claims.models import Quantity
from briefing.claims.places import place_of
from briefing.dates import MONTHS

WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
}
WORD_NUMBERS.update(
    {
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "seventy": 70,
        "eighty": 80,
        "ninety": 90,
        "hundred": 100,
        "dozen": 12,
    }
)
SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
APPROX = {
    "about",
    "around",
    "nearly",
    "almost",
    "approximately",
    "some",
    "over",
    "more",
    "least",
    "roughly",
    "up",
    "than",
}

VERBS = {
    "launched": {"launched", "launch", "fired", "sent", "used", "deployed", "attacked", "involved", "included"},
    "downed": {
        "shot",
        "shoot",
        "shooting",
        "downed",
        "intercepted",
        "destroyed",
        "neutralised",
        "neutralized",
        "suppressed",
        "jammed",
        "repelled",
        "eliminated",
        "lost",
    },
    "injured": {"injured", "wounded", "hurt", "injuring", "wounding", "injuries"},
    "killed": {"killed", "kills", "kill", "dead", "died", "killing", "deaths", "death", "perished", "lives", "toll"},
    "pledged": {
        "pledged",
        "pledge",
        "committed",
        "promised",
        "agreed",
        "signed",
        "joined",
        "offered",
        "pledging",
        "committing",
        "ready",
        "willing",
    },
    "without_power": {"power", "electricity", "blackout", "blackouts", "de-energised", "de-energized"},
    "hit": {"hit", "hits", "struck", "damaged", "targeted"},
    "attending": {"attended", "attending", "together", "participated", "gathered", "represented", "present"},
}
VERB_OF = {w: k for k, ws in VERBS.items() for w in ws}
AGE_SUFFIXES = (
    ("-year-old", "age"),
    ("-years-old", "age"),
    ("-month-old", "age_months"),
    ("-months-old", "age_months"),
    ("-week-old", "age_weeks"),
    ("-day-old", "age_days"),
)
YEARS_OLD = re.compile(r"^(\d{1,3})-year-old$|^(\w+)-year-old$")


def number_value(tokens) -> float | None:
    words = [t.text.lower().replace(",", "") for t in tokens]
    total, cur = 0.0, None
    for w in words:
        if re.fullmatch(r"\d+(\.\d+)?", w):
            cur = float(w)
        elif w in WORD_NUMBERS:
            cur = (cur or 0) + WORD_NUMBERS[w] if w != "hundred" else (cur or 1) * 100
        elif w in SCALE:
            cur = (cur or 1) * SCALE[w]
            if SCALE[w] >= 1000:
                total, cur = total + cur, None
        elif w in ("and", "-"):
            continue
        else:
            return None
    v = total + (cur or 0)
    return v if (cur is not None or total) else None


ANAPHOR = "@previous"  # counts of a number that stands for the previous sentence's count
HARM = ("injured", "killed")
CLAUSE_VERB_DEPS = {"nsubj", "nsubjpass", "dobj"}


def _verb_of(noun) -> str | None:
    """The verb a counted noun is the subject or object of ("2,400 workers joined", "ships were waiting",
    "ships anchored offshore"), or that modifies it ("ships waiting to berth"), as a stem."""
    from briefing.text import stem

    head = None
    if noun.dep_ in CLAUSE_VERB_DEPS and noun.head.i != noun.i:
        head = noun.head
    else:
        head = next((c for c in noun.children if c.dep_ in ("acl", "relcl")), None)
    if head is None or not head.text.isalpha() or head.text.lower() in ("is", "are", "was", "were", "be", "been"):
        return None
    return stem(head.text.lower())


def _singular(word: str) -> str:
    return singular(word)


def _category(num, noun) -> str | None:
    """The verb category (launched, downed, injured, ...) near a number and its noun."""
    anchor = noun if noun is not None else num
    # a participle that modifies the counted noun says what was done to it: "out of the 805 drones launched,
    # 751 were intercepted" (805 were launched; the clause above is about the 751)
    cands = [
        c
        for n in (anchor, *anchor.conjuncts)  # "the 805 drones and 13 missiles launched"
        for c in n.children
        if c.dep_ in ("acl", "relcl") and VERB_OF.get(c.text.lower())
    ]
    if anchor.head.text.lower() == "of" and anchor.head.head.text.lower() == "out":
        # "out of the 805 drones and 13 missiles launched, 751 were intercepted": the total, worded in its phrase
        for t in anchor.doc[anchor.i : anchor.i + 8]:
            if t.is_punct:
                break
            if VERB_OF.get(t.text.lower()):
                return VERB_OF[t.text.lower()]
        return None
    t = anchor
    for _ in range(4):  # up the tree: "810 drones were launched", "killing two people"
        if t.head is t:
            break
        if t.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            break  # "Four people were killed and 23 were rescued": a clause of its own, not the first one's verb
        t = t.head
        cands.append(t)
    cands += [c for c in anchor.children] + [c for c in num.children]
    for c in list(cands):
        cands += [
            g
            for g in c.children
            if g.dep_ in ("prt", "acomp", "advmod", "pobj", "prep", "amod", "dobj", "nsubj", "nsubjpass")
        ]
    for t in cands:
        cat = VERB_OF.get(t.text.lower())
        if (
            cat == "downed"
            and t.text.lower() == "shot"
            and not any(c.text.lower() == "down" for c in t.children)
            and not (t.i + 1 < len(t.doc) and t.doc[t.i + 1].text.lower() == "down")
        ):
            cat = None
        if cat:
            return cat
    return None


SCOPE_PREPS = {"in", "across", "over", "throughout", "around", "near", "on"}
STOP_CLAUSES = {"ccomp", "relcl", "advcl", "acl", "parataxis", "xcomp", "csubj", "pcomp"}


def scope_of(num) -> str | None:
    """The place a count applies to: a place phrase on the number's own clause ("in the capital",
    "Across Ukraine, ..."), climbing through coordinated clauses but not into a reporting clause."""
    t = num
    for _ in range(8):
        # "Two people were killed and 18 were injured in the capital": a place closing coordinated clauses
        conj_preps = [g for c in t.children if c.dep_ == "conj" for g in c.children]
        for c in list(t.children) + conj_preps:
            if c.dep_ == "prep" and c.text.lower() in SCOPE_PREPS:
                for p in c.children:
                    if p.dep_ == "pobj":
                        place = place_of(p, _countries())
                        if place:
                            return place
        if t.head is t or t.dep_ in STOP_CLAUSES:
            break
        t = t.head
    # a fronted place phrase that frames the sentence: "Across Ukraine, five people were killed ..."
    doc = num.doc
    for tok in doc[: num.i]:
        if tok.text.lower() in ("in", "across", "throughout") and (tok.i == 0 or doc[tok.i - 1].is_punct):
            for p in doc[tok.i + 1 : min(num.i, tok.i + 5)]:
                if p.is_punct:
                    break
                place = place_of(p, _countries())
                if place:
                    return place
    return None


def quantities_of(doc) -> list[Quantity]:
    out: list[Quantity] = []
    last_noun: str | None = None
    skip_labels = {"DATE", "TIME", "ORDINAL", "MONEY", "PERCENT"}
    seen: set[int] = set()
    for tok in doc:
        if tok.i in seen:
            continue
        m = YEARS_OLD.match(tok.text.lower())
        if m:
            v = float(m.group(1)) if m.group(1) else WORD_NUMBERS.get(m.group(2))
            if v is not None:
                out.append(Quantity(value=v, unit="age", counts="age", text=tok.text))
            continue
        if tok.like_num or tok.text.lower() in WORD_NUMBERS:
            tail = doc[tok.i + 1 : tok.i + 5].text.lower().replace(" ", "")
            age = next((u for suffix, u in AGE_SUFFIXES if tail.startswith(suffix)), None)
            if age:
                value = number_value([tok])
                if value is not None:
                    out.append(Quantity(value=value, unit=age, counts=age, text=doc[tok.i : tok.i + 5].text))
                seen.add(tok.i)
                continue
        if not (tok.like_num or tok.text.lower() in WORD_NUMBERS) or tok.ent_type_ in skip_labels:
            continue
        if tok.text.lower() in ("one",) and (
            tok.dep_ not in ("nummod", "nsubj", "nsubjpass", "dobj")
            or (tok.i > 0 and doc[tok.i - 1].text.lower() in ("no", "any", "every", "each", "the", "this", "that"))
        ):
            continue
        # the whole number phrase: "1,200", "two hundred", "1.5 million"
        span = [tok]
        j = tok.i + 1
        while (
            j < len(doc) and (doc[j].like_num or doc[j].text.lower() in SCALE) and doc[j].ent_type_ not in skip_labels
        ):
            span.append(doc[j])
            j += 1
        seen.update(t.i for t in span)
        if (
            doc[j : j + 4].text.lower().replace(" ", "") in ("-year-old", "-years-old")
            or doc[j : j + 2].text.lower().replace(" ", "") == "-year"
        ):
            value = number_value(span)
            if value is not None:
                out.append(
                    Quantity(value=value, unit="age", counts="age", text=doc[span[0].i : min(len(doc), j + 4)].text)
                )
            continue
        if (
            j < len(doc)
            and doc[j].text in ("-", "–")
            or (j < len(doc) and doc[j].text.lower() in MONTHS)
            or (tok.i > 0 and doc[tok.i - 1].text.lower() in MONTHS)
        ):
            continue
        value = number_value(span)
        if value is None or (1900 <= value <= 2100 and tok.text.isdigit()):
            continue
        last = span[-1]
        noun = last.head if last.dep_ in ("nummod", "quantmod", "compound") and last.head.i != last.i else None
        if noun is None and span[0].dep_ in ("nummod",) and span[0].head.i != span[0].i:
            noun = span[0].head
        counts = NOUN_OF.get(noun.text.lower()) if noun is not None else None
        if noun is not None and noun.text.lower() in ("others", "more"):
            counts = last_noun or "people"  # "two people were killed and 20 others injured"
        if noun is not None and counts is None:
            # "810 attack drones", "13 ballistic missiles": the noun may be a compound head further right
            for t in doc[last.i + 1 : min(len(doc), last.i + 4)]:
                if t.text.lower() in NOUN_OF:
                    counts = NOUN_OF[t.text.lower()]
                    noun = t
                    break
        if noun is None:
            # "121 of the drones"
            of = next((c for c in last.children if c.dep_ == "prep" and c.text.lower() == "of"), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if pobj is not None and pobj.text.lower() in NOUN_OF:
                noun, counts = pobj, NOUN_OF[pobj.text.lower()]
        if noun is None and last.dep_ == "pobj" and last.head.text.lower() in ("at", "to", "as"):
            verb = last.head.head
            if any(c.dep_ in ("dobj", "nsubj", "nsubjpass") and c.text.lower() in NUMBER_NOUNS for c in verb.children):
                out.append(Quantity(value=value, unit=ANAPHOR, counts=ANAPHOR, text=doc[span[0].i : last.i + 1].text))
                continue  # "put the figure at 1,800": the count the previous sentence gave
        if noun is not None and noun.text.lower() in NUMBER_NOUNS:
            continue  # "a figure of 12": what it counts is not said here
        if counts is None and noun is None:
            # "of which 747 were shot down", "injuring 15": the number stands for a thing named before
            counts = last_noun
        own_unit = None
        if counts is None and noun is not None:
            # a thing no list names ("2,400 workers joined", "35 ships were waiting"): the noun and its verb
            counts = noun.text.lower()
            cat = _category(last, noun)
            if cat is None or cat in ("pledged", "attending"):  # those name what countries and leaders do
                counts = _singular(noun.text)
                verb = _verb_of(noun)
                own_unit = f"{counts}_{verb}" if verb else counts
        if counts is None:
            cat = _category(last, None)
            if cat in ("injured", "killed"):
                counts = "people"
            elif cat is None:
                continue
            else:
                counts = "items"
        cat = _category(last, noun)
        if value == 1 and cat is None and counts not in NOUNS:
            continue
        if counts == "countries" and cat is None and not any(t.text.lower() in VERBS["attending"] for t in doc):
            cat = "pledged" if any(t.text.lower() in VERBS["pledged"] for t in doc) else None
        if counts == "settlements" and any(t.text.lower() in VERBS["without_power"] for t in doc):
            cat = "without_power"
        unit = own_unit or (f"{counts}_{cat}" if cat else counts)
        prev = doc[span[0].i - 1].text.lower() if span[0].i > 0 else ""
        prev2 = doc[span[0].i - 2].text.lower() if span[0].i > 1 else ""
        approx = prev in APPROX or prev2 in ("at", "more", "over", "up")
        text_end = noun.i if noun is not None and noun.i > last.i and noun.i - last.i <= 3 else last.i
        out.append(
            Quantity(
                value=value,
                unit=unit,
                counts=counts,
                text=doc[span[0].i : text_end + 1].text,
                approx=approx,
                scope=scope_of(last),
            )
        )
        if counts in NOUNS:
            last_noun = counts
    return out


def _countries():
    from briefing.claims.actors import roster

    return roster().country_of
