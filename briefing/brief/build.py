"""`brief`: the daily brief for a date — documents of the day, each actor's position, key facts,
disagreements, timeline and changes since the previous brief; saved in the store."""

from __future__ import annotations

import time
from datetime import date
from typing import TYPE_CHECKING

from briefing.brief.claimed import items_of
from briefing.brief.compare import changes
from briefing.brief.conflicts import disagreements
from briefing.brief.generate import Parts, position_model
from briefing.brief.models import Briefing, DocRef
from briefing.brief.sections import (
    events_of_day,
    headline_and_summary,
    key_facts,
    position,
    timeline,
    undated_facts,
)
from briefing.brief.select import covering_documents, latest_day, load_actors, sentences_of
from briefing.errors import InputError
from briefing.evidence import evidence_block, evidence_texts, numbered
from briefing.prompts import load_prompt

if TYPE_CHECKING:
    from briefing.app import App

LOOKBACK_DAYS = 3  # earlier reports of the same events are compared with the day's (a changed number, a date)
ASK_POINTS = 3  # asked for; the schema allows up to MAX_POINTS
PART_MAX_TOKENS = 400


def actors_key(actors: list[str]) -> str:
    return ",".join(actors)


def build_brief(
    app: App, day: date | None = None, window_days: int = 1, actor_names: list[str] | None = None, progress=None
) -> Briefing:
    """The brief is built by the program from the stored claims of the day's articles. With a model server
    (BRIEFING_LLM_BASE_URL) each position's wording may come from the model, grounding-checked against the
    statements the program chose; the embedded default makes no model call (see README: it adds no correct
    output and costs seconds)."""
    if window_days < 1 or window_days > 366:
        raise InputError("--window-days must be between 1 and 366", "use e.g. --window-days 1")
    s = app.settings
    t0 = time.perf_counter()
    store = app.store
    actors = load_actors(s.actors_file, actor_names)
    day = day or latest_day(store)
    docs = covering_documents(store, day, window_days)
    if not docs:
        raise InputError(
            f"no articles cover {day} (window {window_days} day{'s' if window_days > 1 else ''})",
            "ingest articles for that date, widen --window-days, or see `briefing docs`",
        )
    from briefing.claims.derive import derive_pending

    derive_pending(store)  # documents stored before claims existed
    copies = duplicates_of(store, docs)
    chosen = {d["id"] for d in docs + copies}
    earlier = [d for d in covering_documents(store, day, window_days + LOOKBACK_DAYS) if d["id"] not in chosen]
    earlier += [d for d in duplicates_of(store, earlier) if d["id"] not in chosen]
    all_docs = docs + copies + earlier
    sentences = sentences_of(store, all_docs)
    parts = Parts({d["id"]: d["text"] for d in all_docs})
    by_sentence = {x.sentence_id: x for x in sentences}
    outlets = {d["id"]: d["source"] for d in all_docs}
    claims = store.claims_of_docs([d["id"] for d in all_docs])
    undated = [d["id"] for d in docs if not d["published"]]  # (chosen because they speak of the window's days)
    if undated:
        from briefing.claims.derive import claims_as_of

        as_of = claims_as_of(store, undated, day)
        claims = [c for c in claims if c.doc_id not in as_of] + [c for cs in as_of.values() for c in cs]
    items = items_of(claims, by_sentence, outlets, day)
    main_ids = {d["id"] for d in docs}
    main_items = [it for it in items if it.doc_id in main_ids]
    day_items = [it for it in items if it.doc_id in chosen]
    t_claims = time.perf_counter()

    positions = [position(parts, actor, aliases, main_items, day, window_days) for actor, aliases in actors.items()]
    calls = 0
    prompt_hashes: dict[str, str] = {}
    if s.llm_base_url:
        calls, prompt_hashes = reword_positions(app, positions, parts, by_sentence, progress)
    events = events_of_day(main_items, day, window_days)
    headline, summary = headline_and_summary(parts, events, main_items)
    brief = Briefing(
        date=day,
        window_days=window_days,
        actors=list(actors),
        headline=headline,
        summary=summary,
        documents=[
            DocRef(
                doc_id=d["id"],
                title=d["title"],
                source=d["source"],
                published=d["published"],
                url=doc_url(d),
                also_reported_by=d["also_reported_by"],
                planted_instructions=d["planted_instructions"],
            )
            for d in docs
        ],
        positions=positions,
        key_facts=key_facts(parts, events, undated_facts(main_items, day, window_days)),
        disagreements=disagreements(parts, day_items, day, earlier=[it for it in items if it.doc_id not in chosen]),
        timeline=timeline(parts, main_items, day, window_days),
        links={d["id"]: u for d in all_docs if (u := doc_url(d))},
        model=app.llm.name if calls else "none (built from claims)",
        prompt_hashes=prompt_hashes,
        llm_calls=calls,
    )
    previous = store.latest_brief_before(day, actors_key(brief.actors))
    if previous is not None:
        brief.changes = changes(brief, Briefing.model_validate_json(previous["body"]))
    t1 = time.perf_counter()
    brief.timings_ms = {"claims": round((t_claims - t0) * 1000, 1), "total": round((t1 - t0) * 1000, 1)}
    store.save_brief(day, actors_key(brief.actors), brief.model_dump_json())
    return brief


def duplicates_of(store, docs: list[dict]) -> list[dict]:
    """The near-duplicate copies of the chosen documents: their numbers still count in disagreements."""
    chosen = {d["id"] for d in docs}
    out = []
    for r in store.documents_with_text():
        if r["duplicate_of"] in chosen:
            r["also_reported_by"] = []
            out.append(r)
    return out


def doc_url(d: dict) -> str | None:
    """The article's URL from its front matter, else its file when the source is a path."""
    import json
    from pathlib import Path

    meta = d.get("meta")
    if isinstance(meta, str):
        try:
            meta = json.loads(meta)
        except ValueError:
            meta = {}
    url = (meta or {}).get("url")
    if url and str(url).startswith(("http://", "https://")):
        return str(url)
    path = Path(str((meta or {}).get("path") or ""))
    if path.is_absolute() and path.is_file():
        return path.as_uri()
    return None


def reword_positions(app: App, positions, parts, by_sentence, progress) -> tuple[int, dict[str, str]]:
    """A model server words each position from the statements chosen for it (cited by id, grounding-checked,
    re-asked); a draft that fails keeps the program's own quoted wording."""
    prompt = load_prompt(app.settings.prompts_dir, "position", frozenset({"actor", "evidence", "max_points"}))
    calls = 0
    for n, p in enumerate(positions, 1):
        if not p.has_position:
            continue
        by_pos = {(x.doc_id, x.start): x for x in by_sentence.values()}
        cited = [c.citations[0] for c in [p.stance] + p.key_points if c.citations]
        ev = numbered([by_pos[(c.doc_id, c.start)] for c in cited if (c.doc_id, c.start) in by_pos])
        out = app.llm.structured(
            "position",
            prompt.hash,
            prompt.messages(actor=p.actor, evidence=evidence_block(ev), max_points=str(ASK_POINTS)),
            position_model([e.id for e in ev]),
            context={"evidence": evidence_texts(ev)},
            max_tokens=PART_MAX_TOKENS,
        )
        calls += out.attempts
        if out.value is not None:
            drafted = parts.position(p.actor, ev, out.value)
            p.stance, p.key_points = drafted.stance, drafted.key_points
        if progress:
            progress("brief", n, len(positions))
    return calls, {"position": prompt.hash}


def saved_brief(app: App, day: date) -> Briefing:
    row = app.store.brief(day)
    if row is None:
        raise InputError(f"no saved brief for {day}", f"build it: briefing brief --date {day}")
    return Briefing.model_validate_json(row["body"])
