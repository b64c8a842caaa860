"""Who says it: speaker attribution from reporting verbs in the dependency parse.

Handles "X said", "said X", "X told reporters", "X posted on X", "X wrote on Telegram", "according to X",
trailing attribution after a quote ("…," Peskov said) and "reported by RBC" / "RBC reported" (an outlet,
not a speaker). Pronouns and quote carry-over are resolved across sentences in extract.py."""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.claims.actors import roster
from briefing.claims.lexicon import NUMBER_NOUNS, SPEAKING_NOUNS
from briefing.claims.nlp import text_of

REPORTING = {
    "say",
    "said",
    "says",
    "saying",
    "tell",
    "told",
    "tells",
    "telling",
    "add",
    "added",
    "adds",
    "adding",
    "state",
    "stated",
    "states",
    "write",
    "wrote",
    "writes",
    "written",
    "writing",
    "post",
    "posted",
    "posts",
    "declare",
    "declared",
    "declares",
    "warn",
    "warned",
    "warns",
    "warning",
    "announce",
    "announced",
    "announces",
    "claim",
    "claimed",
    "claims",
    "insist",
    "insisted",
    "insists",
    "note",
    "noted",
    "notes",
    "stress",
    "stressed",
    "stresses",
    "explain",
    "explained",
    "argue",
    "argued",
    "argues",
    "assert",
    "asserted",
    "asserts",
    "asserting",
    "confirm",
    "confirmed",
    "confirms",
    "deny",
    "denied",
    "denies",
    "urge",
    "urged",
    "urges",
    "respond",
    "responded",
    "reply",
    "replied",
    "comment",
    "commented",
    "reiterate",
    "reiterated",
    "reiterates",
    "emphasise",
    "emphasised",
    "emphasize",
    "emphasized",
    "report",
    "reported",
    "reports",
    "tweeted",
    "caution",
    "cautioned",
    "accuse",
    "accused",
    "accuses",
    "dismiss",
    "dismissed",
    "acknowledge",
    "acknowledged",
    "admit",
    "admitted",
    "vow",
    "vowed",
    "vows",
    "promise",
    "promised",
    "predict",
    "predicted",
    "threaten",
    "threatened",
    "describe",
    "described",
    "call",
    "called",
    "calls",
    "insisting",
    "quoted",
    "demand",
    "demanded",
    "clarify",
    "clarified",
    "affirm",
    "affirmed",
    "reaffirm",
    "reaffirmed",
    "lament",
    "lamented",
    "maintain",
    "maintained",
    "maintains",
    "recall",
    "recalled",
    "linked",
    "links",
    "attributed",
    "attributes",
    "tweet",
    "complain",
    "complained",
    "object",
    "objected",
    "condemn",
    "condemned",
    "condemns",
    "criticise",
    "criticised",
    "criticize",
    "criticized",
    "blame",
    "blamed",
    "blames",
    "suggest",
    "suggested",
    "suggests",
    "signal",
    "signalled",
    "signaled",
    "rule",
    "ruled",
}
REPORTING |= {"answer", "answered", "answers", "assure", "assured", "assures", "remarked", "specify", "specified"}
# "expressed his intention to step down", "cited a desire to avoid a split": a stance stated
STANCE_NOUNS = {
    "intention", "intent", "hope", "hopes", "concern", "concerns", "regret", "confidence", "readiness",
    "willingness", "desire", "doubt", "doubts", "gratitude", "condolences", "support", "opposition", "belief",
}  # fmt: skip
STANCE_VERBS = {"express", "expressed", "expresses", "expressing", "cite", "cited", "cites", "citing", "voiced"}
# "…, declaring that …": the participle frames the clause as the governing subject's words
REPORTING |= {
    "declaring",
    "stating",
    "claiming",
    "noting",
    "stressing",
    "arguing",
    "emphasising",
    "emphasizing",
    "explaining",
    "affirming",
    "reaffirming",
    "reiterating",
    "announcing",
    "promising",
    "vowing",
    "urging",
    "accusing",
    "threatening",
    "suggesting",
    "predicting",
    "maintaining",
    "confirming",
    "denying",
    "cautioning",
    "acknowledging",
    "admitting",
}
# Verbs that only report when they introduce speech (that-clause, quote, colon), not as plain action verbs.
WEAK = {
    "linked",
    "links",
    "attributed",
    "attributes",
    "call",
    "called",
    "calls",
    "rule",
    "ruled",
    "describe",
    "described",
    "signal",
    "signalled",
    "signaled",
    "post",
    "posted",
    "posts",
    "promise",
    "promised",
    "note",
    "notes",
}
TOP_DEPS = {"ROOT", "parataxis", "ccomp", "conj", "advcl", "xcomp"}
PRONOUNS = {"he", "she"}
SOURCE_VERBS = {
    "reported",
    "quoted",
    "announced",
    "confirmed",
    "said",
    "stated",
    "cited",
    "noted",
    "posted",
    "published",
}
PARENTHETICAL = re.compile(
    r",\s+((?:[A-Z]\w*|officials|experts|analysts|diplomats|sources)[^,“”\"]{0,40}?)\s+"
    r"(?:say|says|said|insist|insists|insisted|argue|argues|claim|claims|believe|believes)\s*,"
)
SUBORDINATE = {"after", "before", "when", "since", "if", "until", "once", "unless"}  # not "while", "although"
REFUSING = {"refused", "refuse", "refuses", "declined", "decline", "declines", "failed", "fail", "reluctant"}
SPEAKING_ENTS = {"PERSON", "ORG", "GPE", "NORP"}
QUOTE_RX = re.compile(r"[“\"]([^“”\"]+)[”\"]|[“\"]([^“”\"]+)$|^([^“”\"]+)[”\"]")


@dataclass
class Attribution:
    name: str | None  # the speaker's words as written (entity or noun phrase)
    role: str | None  # appositive / title / modifiers
    is_person: bool
    pronoun: bool = False
    outlet: str | None = None  # an outlet named as the source ("according to RBC", "reported by TASS")
    verb_i: int | None = None  # token index of the reporting verb
    context: str = ""  # the whole subject phrase (for names the NER cut short and place modifiers)
    according: bool = False


def quotes(text: str) -> list[str]:
    """Quoted passages of a sentence, including a quote opened or closed at the sentence edge."""
    out = []
    for m in QUOTE_RX.finditer(text):
        seg = next(g for g in m.groups() if g)
        if len(seg.split()) >= 2:
            out.append(seg.strip(" ,"))
    return out


def _depth(tok) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:  # spaCy makes a new Token object on each .head: compare indices
        tok, d = tok.head, d + 1
    return d


def _inside_quote(doc, tok) -> bool:
    before = text_of(doc)[: tok.idx]
    opened = before.count("“") - before.count("”")
    straight = before.count('"') % 2
    return opened > 0 or straight == 1


def _entity(tok):
    if tok.ent_type_:
        for ent in tok.doc.ents:
            if ent.start <= tok.i < ent.end:
                return ent
    return None


def _subject(verb):
    """The reporting verb's subject; for "was quick to add", "…and added", "…, saying" the governing clause's."""
    t = verb
    if any(c.dep_ in ("nsubjpass", "csubjpass") for c in verb.children):
        return None  # "criticised by X": the agent, handled as a source
    if verb.dep_ == "xcomp" and verb.head.text.lower() in REFUSING:
        return None  # "refused to say", "declined to comment"
    for _ in range(4):
        subjects = [c for c in t.children if c.dep_ == "nsubj"]
        outside = [c for c in subjects if not _inside_quote(c.doc, c)]
        if subjects:
            return (outside or subjects)[-1]
        if t.dep_ == "ROOT":
            # a parse that hangs the subject on a left clause: "Peskov, asked about X, said ..."
            for c in t.lefts:
                if c.dep_ in ("ccomp", "advcl") and not _inside_quote(c.doc, c):
                    subj = next((g for g in c.children if g.dep_ == "nsubj" and g.i < c.i), None)
                    if subj is not None and subj.text.lower() not in ("who", "which", "that"):
                        return subj
            return None
        if t.head is t:
            return None
        if t.dep_ in ("xcomp", "acomp", "conj") or (t.dep_ == "advcl" and t.text.lower().endswith("ing")):
            t = t.head
            continue
        return None
    return None


def _speaker_phrase(subj) -> tuple[str, str | None, bool]:
    """(name, role, is_person) for the subject token of a reporting verb."""
    doc = subj.doc
    skip = set()
    role_parts = []
    for c in subj.children:
        if c.dep_ == "appos":
            role_parts.append(doc[c.left_edge.i : c.right_edge.i + 1].text)
            skip.update(range(c.left_edge.i, c.right_edge.i + 1))
        elif c.dep_ in ("relcl", "acl", "punct", "cc", "conj", "advmod") or (
            c.dep_ == "prep" and c.i > subj.i and c.text.lower() not in ("of", "from", "for")
        ):
            skip.update(range(c.left_edge.i, c.right_edge.i + 1))
    ent = _entity(subj)
    if ent is None or ent.label_ != "PERSON":
        # "The defence secretary, John Healey, told ...": the person is the appositive
        for c in subj.children:
            if c.dep_ == "appos" and _entity(c) is not None and _entity(c).label_ == "PERSON":
                pent = _entity(c)
                role = doc[subj.left_edge.i : subj.i + 1].text
                return pent.text, role, True
    if ent is not None and ent.label_ == "PERSON":
        pre = [t for t in subj.subtree if t.i < ent.start and t.i not in skip and t.dep_ != "det"]
        if pre:
            role_parts.insert(0, doc[pre[0].i : ent.start].text)
        return ent.text, (", ".join(role_parts) or None), True
    # a PERSON deeper in the phrase ("Kremlin spokesman Dmitry Peskov" headed oddly)
    for t in subj.subtree:
        if t.i not in skip and t.ent_type_ == "PERSON":
            pent = _entity(t)
            rest = [x for x in subj.subtree if x.i not in skip and not (pent.start <= x.i < pent.end)]
            role = " ".join(x.text for x in rest) or None
            return pent.text, (", ".join([role] + role_parts) if role else (", ".join(role_parts) or None)), True
    toks = [t for t in subj.subtree if t.i not in skip]
    phrase = doc[toks[0].i : toks[-1].i + 1].text if toks else subj.text
    if subj.text.lower() in ("statement", "report", "post", "message", "readout", "communique", "release"):
        for c in subj.children:
            if c.dep_ in ("prep",) and c.text.lower() in ("from", "by", "of"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        return _speaker_phrase(p)
            if c.dep_ == "poss":
                return _speaker_phrase(c)
    return phrase, (", ".join(role_parts) or None), False


def _clause_ok(tok, text: str) -> bool:
    """A reporting verb that frames the sentence: the root, a parenthetical or trailing attribution, "…and
    added", "…, saying", "as X said", "was quick to add" — not a verb inside "after Putin warned that…"."""
    dep = tok.dep_
    if any(c.dep_ == "mark" and c.text.lower() in SUBORDINATE for c in tok.children):
        return False  # "two days after Putin warned that ...": background, not this sentence's attribution
    if dep in ("ROOT", "parataxis"):
        return True
    if dep == "conj" or dep == "xcomp" or dep == "acomp":
        return tok.head is not tok and _clause_ok(tok.head, text) or tok.head.dep_ in ("ROOT",)
    if dep == "ccomp":
        return (
            bool(quotes(text))
            or tok.head.dep_ == "ROOT"
            and tok.i > tok.head.i
            and any(c.dep_ == "nsubj" for c in tok.children)
            and "," in text[tok.head.idx : tok.idx]
        )
    if dep == "advcl":
        marks = {c.text.lower() for c in tok.children if c.dep_ == "mark"}
        # "…, saying", "as X said", and concessive clauses ("While the US has ruled out troops, it ...")
        return (
            tok.text.lower().endswith("ing")
            and not marks
            or bool(marks)
            and marks <= {"as", "while", "although", "though", "whereas"}
        )
    return False


def _can_speak(subj, known: frozenset[str] = frozenset()) -> bool:
    """A person, organisation, state or speaking body — not "the war" or "the attack". known: words the article
    itself names speakers with (its organisations and the nouns describing them, people's names)."""
    low = subj.text.lower()
    if known and (low in known or (low.endswith("s") and low[:-1] in known)):
        return True
    if subj.ent_type_ in SPEAKING_ENTS or low in SPEAKING_NOUNS or (low.endswith("s") and low[:-1] in SPEAKING_NOUNS):
        return True
    if any(t.ent_type_ in SPEAKING_ENTS for t in subj.subtree if t.dep_ in ("compound", "poss", "amod")):
        return True
    r = roster()
    phrase = subj.doc[subj.left_edge.i : subj.i + 1].text
    return bool(r.find_person(phrase) or r.institution(phrase) or r.country(subj.text))


def _introduces_speech(verb, text: str) -> bool:
    if any(c.dep_ in ("ccomp", "parataxis", "oprd") for c in verb.children):  # "called the strike a war crime"
        return True
    if any(c.text in (":", "“", '"') and c.i > verb.i for c in verb.children):
        return True
    return bool(quotes(text)) and verb.dep_ in ("ROOT", "parataxis", "ccomp")


def _puts_number(tok) -> bool:
    """ "The employers put the figure at 1,800": putting a number at a value reports it."""
    return (
        tok.text.lower() in ("put", "puts", "putting")
        and any(c.dep_ == "dobj" and c.text.lower() in NUMBER_NOUNS for c in tok.children)
        and any(c.dep_ == "prep" and c.text.lower() == "at" for c in tok.children)
    )


def _name_like(subj, text: str) -> bool:
    """An untagged name as the subject of a verb reporting a quote ('"...," de Vries said'): capitalised, not the
    sentence's first word, no article before it."""
    return (
        subj.i > 0
        and subj.text[:1].isupper()
        and subj.text.isalpha()
        and not subj.ent_type_
        and not any(c.dep_ == "det" for c in subj.children)
        and bool(quotes(text))
    )


def _attribution_of(node, verb_i: int, according: bool = False) -> Attribution:
    """The speaker a noun phrase names, with the phrase as its context."""
    name, role, is_person = _speaker_phrase(node)
    context = node.doc[node.left_edge.i : node.right_edge.i + 1].text
    return Attribution(name, role, is_person, verb_i=verb_i, according=according, context=context)


def _quote_lead(doc, known: frozenset[str]) -> Attribution | None:
    """'Quote from Macron: "..."', 'Quote: ...' after a named speaker's line: the lead-in names who is quoted."""
    if len(doc) < 4 or doc[0].lower_ not in ("quote", "quoting") or doc[1].lower_ != "from":
        return None
    colon = next((t.i for t in doc[2:12] if t.text == ":"), None)
    if colon is None:
        return None
    # the root of the phrase between "from" and the colon: the one noun whose head lies outside it
    subj = next((t for t in doc[2:colon] if t.is_alpha and not 2 <= t.head.i < colon), None)
    if subj is None or not _can_speak(subj, known):
        return None
    name, role, is_person = _speaker_phrase(subj)
    return Attribution(name, role, is_person, verb_i=colon, context=doc[2:colon].text)


def attribute(doc, known: frozenset[str] = frozenset()) -> tuple[Attribution | None, list[Attribution]]:
    """(speaker attribution, sources) of one parsed sentence. The speaker comes from a reporting verb's
    subject; sources are "according to X" / "reported by X" phrases (a person, body or outlet), used
    when no reporting verb names a speaker."""
    text = text_of(doc)
    best = None
    sources: list[Attribution] = []
    lead = _quote_lead(doc, known)
    if lead is not None:  # 'Quote from Macron: "..."'
        return lead, sources
    for tok in doc:
        low = tok.text.lower()
        if (
            low == "words"
            and tok.i >= 2
            and doc[tok.i - 2].text.lower() == "in"
            and doc[tok.i - 1].text.lower() in ("his", "her")
        ):
            sources.append(Attribution(doc[tok.i - 1].text, None, True, pronoun=True, verb_i=tok.i, according=True))
            continue
        if (
            low == "according"
            and tok.i + 2 < len(doc)
            and doc[tok.i + 1].text.lower() == "to"
            and doc[tok.i + 2].text.lower() in ("him", "her")
        ):
            sources.append(Attribution(doc[tok.i + 2].text, None, True, pronoun=True, verb_i=tok.i, according=True))
            continue
        if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].text.lower() == "to":
            objs = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
            if objs and not _inside_quote(doc, tok) and _can_speak(objs[0], known):
                sources.append(_attribution_of(objs[0], tok.i, according=True))
            continue
        stance = low in STANCE_VERBS and any(c.dep_ == "dobj" and c.text.lower() in STANCE_NOUNS for c in tok.children)
        if (
            (low not in REPORTING and not _puts_number(tok) and not stance)
            or tok.pos_ in ("NOUN",)
            or _inside_quote(doc, tok)
        ):
            continue
        if not _clause_ok(tok, text):
            continue
        if (
            low in WEAK
            and not _introduces_speech(tok, text)
            and not (
                low.startswith(("call", "describ", "link", "attribut"))
                and any(c.dep_ == "prep" and c.text.lower() in ("on", "for", "as", "to") for c in tok.children)
            )
            and not (low.startswith("rule") and any(c.dep_ == "prt" and c.text.lower() == "out" for c in tok.children))
        ):
            continue
        if low == "quoted":
            # "the official quoted the president as saying": the one quoted speaks; the quoter is a source
            quoted = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if (
                quoted is not None
                and any(c.dep_ == "prep" and c.text.lower() == "as" for c in tok.children)
                and _can_speak(quoted)
            ):
                cand = _attribution_of(quoted, tok.i)
                if best is None or _depth(tok) < best[1]:
                    best = (cand, _depth(tok))
                continue
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        subj = _subject(tok)
        if subj is None and agent is not None and low in SOURCE_VERBS:
            objs = [c for c in agent.children if c.dep_ == "pobj"]
            if objs and _can_speak(objs[0]):
                sources.append(_attribution_of(objs[0], tok.i, according=True))
            continue
        if subj is None or subj.dep_ == "expl" or _inside_quote(doc, subj):
            continue
        if subj.text.lower() in PRONOUNS:
            cand = Attribution(subj.text, None, True, pronoun=True, verb_i=tok.i)
        elif subj.pos_ == "PRON" or subj.text.lower() in (
            "it",
            "they",
            "we",
            "i",
            "you",
            "this",
            "that",
            "which",
            "who",
        ):
            continue
        else:
            if not (_can_speak(subj, known) or _name_like(subj, text)):
                continue
            cand = _attribution_of(subj, tok.i)
        depth = _depth(tok)
        if best is None or depth < best[1]:
            best = (cand, depth)
    found = best[0] if best else None
    if found is None and not sources:
        # a parenthetical the parser missed: "The Russian economy, officials in Moscow insist, has adapted"
        m = PARENTHETICAL.search(text)
        if m and not _inside_quote(doc, next(t for t in doc if t.idx >= m.start(1))):
            phrase = m.group(1)
            toks = [t for t in doc if m.start(1) <= t.idx < m.end(1)]
            is_person = any(t.ent_type_ == "PERSON" for t in toks)
            found = Attribution(phrase, None, is_person, verb_i=None, context=phrase)
    return found, sources
