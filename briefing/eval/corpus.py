"""The labelled multi-outlet corpus (evals/multi_outlet/): attribution accuracy of the stored claims, precision
and recall of the briefs' disagreements, and the labels' brief checks, on a fresh store holding only the corpus."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from briefing.brief.build import build_brief
from briefing.brief.models import Briefing
from briefing.documents import read_path
from briefing.eval.cases import BriefSuite
from briefing.eval.checks import score_check
from briefing.text import normalize

if TYPE_CHECKING:
    from briefing.app import App


def _key(name: str | None) -> str | None:
    if name is None:
        return None
    t = re.sub(r"^(the|a|an) ", "", normalize(name))
    return re.sub(r"\b(mr|ms|mrs)\b ", "", t).strip()


def speaker_matches(pred: str | None, gold: str | None, people: dict) -> bool:
    """Name variants of one person are one speaker; an unnamed group matches when one phrase holds the other."""
    if gold is None or pred is None:
        return gold is None and pred is None
    names = {_key(gold)} | {_key(v) for v in (people.get(gold) or {}).get("variants", [])}
    p = _key(pred)
    if p in names:
        return True
    g = _key(gold)
    return gold not in people and (p in g or g in p)


def actor_matches(pred: str | None, gold: str | None, actors: dict) -> bool:
    """The actor a claim gives (a state from the roster, else the organisation the article names) against the
    label; `actors` (labels' actors: canonical → names) gives the names an organisation goes by."""
    if gold is None or pred is None:
        return gold is None and pred is None
    names = {_key(gold)} | {_key(v) for v in actors.get(gold) or []}
    return _key(pred) in names


class Corpus:
    def __init__(self, folder: Path):
        self.folder = folder
        self.labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8")) or {}
        self.files = sorted((folder / "articles").glob("*.txt"))
        self.doc_of = {p.name: read_path(p).id for p in self.files}  # file name → stored document id
        self.file_of = {v: k for k, v in self.doc_of.items()}

    def dates(self) -> list[date]:
        out = {date.fromisoformat(str(b["date"])) for b in self.labels.get("briefs") or []}
        for p in self.files:
            d = read_path(p).published
            if d:
                out.add(d)
        return sorted(out)


def _sentence_row(rows, text: str):
    want = normalize(text)
    for r in rows:
        if want in normalize(r["text"]):
            return r
    best, score = None, 0.0
    for r in rows:
        words = set(normalize(r["text"]).split())
        overlap = len(set(want.split()) & words) / max(1, len(set(want.split())))
        if overlap > score:
            best, score = r, overlap
    return best if score >= 0.8 else None


def attribution(app: App, corpus: Corpus) -> tuple[list[dict], dict[tuple[str, str], str | None]]:
    """One record per labelled sentence: the stored claim's speaker and actor against the label. Also returns
    (doc id, sentence id) → labelled actor, for checking positions."""
    people = corpus.labels.get("people") or {}
    actors = corpus.labels.get("actors") or {}
    records, gold_actor = [], {}
    for lab in corpus.labels.get("attributions") or []:
        doc_id = corpus.doc_of.get(lab["article"])
        rows = app.store.sentences_of_docs([doc_id]) if doc_id else []
        row = _sentence_row(rows, lab["text"])
        claim = None
        if row is not None:
            gold_actor[(doc_id, row["id"])] = lab.get("actor")
            claim = next((c for c in app.store.claims_of_docs([doc_id]) if str(c.sentence_id) == row["id"]), None)
        if row is None and lab.get("case") == "furniture" and lab.get("speaker") is None and lab.get("actor") is None:
            sp = ac = True  # page furniture cleaned away is nobody's words: right by construction
        else:
            sp = claim is not None and speaker_matches(claim.speaker, lab.get("speaker"), people)
            ac = claim is not None and actor_matches(claim.actor or claim.organisation, lab.get("actor"), actors)
        records.append(
            {
                "id": f"attr:{lab['article']}:{lab['text'][:40]}",
                "kind": "attribution",
                "passed": bool(sp and ac),
                "detail": "ok"
                if sp and ac
                else f"want {lab.get('speaker')}/{lab.get('actor')}, got "
                + (f"{claim.speaker}/{claim.actor}" if claim else "no claim"),
            }
        )
    return records, gold_actor


def _mentions_match(side, mentions: list[dict], corpus: Corpus) -> bool:
    for c in side.citations:
        art = corpus.file_of.get(c.doc_id)
        for m in mentions:
            if m["article"] == art and normalize(m["text"]) in normalize(c.quote):
                return True
            if m["article"] == art and normalize(c.quote) in normalize(m["text"]):
                return True
    return False


def _pair_matches(d, a: list[dict], b: list[dict], corpus: Corpus) -> bool:
    """Some side of d cites a mention of a, another side a mention of b."""
    sides = d.sides
    return any(
        _mentions_match(sides[i], a, corpus) and _mentions_match(sides[j], b, corpus)
        for i in range(len(sides))
        for j in range(len(sides))
        if i != j
    )


def disagreement_scores(briefs: list[Briefing], corpus: Corpus) -> tuple[list[dict], dict[str, float]]:
    labels = corpus.labels.get("disagreements") or {}
    real, not_flag = labels.get("real") or [], labels.get("not_flag") or []
    found, seen = [], set()
    for b in briefs:
        for d in b.disagreements:
            key = frozenset((c.doc_id, c.start) for s in d.sides for c in s.citations)
            if key not in seen:
                seen.add(key)
                found.append(d)
    records = []
    matched_found = set()
    hits = 0
    for lab in real:
        sides = lab["sides"]
        ok = False
        for n, d in enumerate(found):
            if any(
                _pair_matches(d, sides[i]["mentions"], sides[j]["mentions"], corpus)
                for i in range(len(sides))
                for j in range(i + 1, len(sides))
            ):
                ok = True
                matched_found.add(n)
        hits += ok
        records.append(
            {"id": lab["id"], "kind": "disagreement_recall", "passed": ok, "detail": "ok" if ok else "not found"}
        )
    flagged = 0
    for lab in not_flag:
        bad = [d.topic for d in found if _pair_matches(d, lab["a"]["mentions"], lab["b"]["mentions"], corpus)]
        flagged += bool(bad)
        records.append(
            {
                "id": lab["id"],
                "kind": "must_not_flag",
                "passed": not bad,
                "detail": f"flagged: {bad[0]}" if bad else "ok",
            }
        )
    for n, d in enumerate(found):
        if n not in matched_found:
            records.append(
                {"id": f"extra:{d.topic[:70]}", "kind": "disagreement_extra", "passed": False, "detail": d.topic}
            )
    metrics = {
        "disagreement_recall": hits / len(real) if real else None,
        "disagreement_precision": len(matched_found) / len(found) if found else (1.0 if not real else 0.0),
        "must_not_flag_clean": 1 - flagged / len(not_flag) if not_flag else None,
    }
    return records, metrics


def foreign_words(briefs: list[Briefing], gold_actor: dict, store) -> tuple[int, int]:
    """Of the labelled sentences quoted in positions: (how many, how many belong to another actor)."""
    rows = {}
    n = bad = 0
    for b in briefs:
        for p in b.positions:
            if not p.has_position:
                continue
            for item in [p.stance] + p.key_points:
                for c in item.citations:
                    if c.doc_id not in rows:
                        rows[c.doc_id] = {r["start"]: r["id"] for r in store.sentences_of_docs([c.doc_id])}
                    sid = rows[c.doc_id].get(c.start)
                    if (c.doc_id, sid) in gold_actor:
                        n += 1
                        bad += gold_actor[(c.doc_id, sid)] != p.actor
    return n, bad


def run_corpus(app: App, folder: Path) -> tuple[list[dict], dict[str, float | None], list[Briefing]]:
    """app: a fresh store with the corpus ingested."""
    corpus = Corpus(folder)
    records, gold_actor = attribution(app, corpus)
    attr_ok = sum(r["passed"] for r in records)
    suites = {str(s["date"]): BriefSuite.model_validate(s) for s in corpus.labels.get("briefs") or []}
    default_actors = ["Russia", "Ukraine", "United States", "European Union"]
    briefs, check_records, seconds = [], [], []
    for day in corpus.dates():
        suite = suites.get(day.isoformat())
        b = build_brief(app, day, 1, suite.actors if suite else default_actors)
        briefs.append(b)
        seconds.append(b.timings_ms.get("total", 0.0) / 1000)
        if suite:
            for check in suite.checks:
                r = score_check(b, check)
                r["id"] = f"{day.isoformat()}:{r['id']}"
                check_records.append(r)
    dis_records, dis_metrics = disagreement_scores(briefs, corpus)
    n_pos, foreign = foreign_words(briefs, gold_actor, app.store)
    metrics = {
        "attribution_accuracy": attr_ok / len(records) if records else None,
        **dis_metrics,
        "corpus_brief_check_pass_rate": (
            sum(r["passed"] for r in check_records) / len(check_records) if check_records else None
        ),
        "position_own_words": 1 - foreign / n_pos if n_pos else None,
        "corpus_brief_seconds_max": round(max(seconds), 2) if seconds else None,
    }
    return records + dis_records + check_records, metrics, briefs
