"""Claims stored at ingest (one batched spaCy pipe), shown by `briefing claims DOC [--json]`, re-derived by
`briefing claims --rebuild`."""

from __future__ import annotations

import json

from briefing.claims.derive import derive_pending, extractor_version
from briefing.ingest import ingest_paths
from servers import one_line_error, run_briefing

ARTICLE = (
    "---\ntitle: Kremlin rejects plan\nsource: Test Wire\npublished: 2025-09-07\n---\n"
    "Kremlin spokesman Dmitry Peskov said on Sunday that Moscow rejects the plan.\n\n"
    '"Nobody will dictate terms to us," he told reporters.\n\n'
    "Russia launched 810 drones overnight, Ukraine's air force said.\n"
)


def test_ingest_stores_claims(app, tmp_path):
    (tmp_path / "a.md").write_text(ARTICLE)
    report = ingest_paths(app, [tmp_path / "a.md"])
    doc_id = report.added[0]["id"]
    assert report.claims == 3 and app.store.docs_without_claims() == []
    claims = app.store.claims_of_docs([doc_id])
    assert [c.speaker for c in claims] == ["Dmitry Peskov", "Dmitry Peskov", "Ukraine's air force"]
    assert [c.actor for c in claims] == ["Russia", "Russia", "Ukraine"]
    assert claims[2].quantities[0].value == 810 and claims[2].event_date.isoformat() == "2025-09-07"
    # a store whose claims another extractor version derived: listed as stale, re-derived the same
    app.store.save_claims({doc_id: claims[:1]}, "older")
    assert app.store.docs_without_claims(extractor_version()) == [doc_id]
    assert app.store.docs_without_claims() == []  # ingest does not redo them; --rebuild does
    app.store.db.execute("DELETE FROM claims_done")
    assert derive_pending(app.store) == 3 and app.store.claims_of_docs([doc_id]) == claims


def test_claims_command(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.md").write_text(ARTICLE)
    data = tmp_path / "data"
    assert run_briefing(["ingest", str(articles)], data).returncode == 0
    listed = json.loads(run_briefing(["docs", "--json"], data).stdout)
    prefix = listed[0]["id"][:8]
    shown = run_briefing(["claims", prefix, "--json"], data)
    assert shown.returncode == 0, shown.stderr.decode()
    claims = json.loads(shown.stdout)
    assert claims[1]["speaker"] == "Dmitry Peskov" and claims[1]["kind"] == "statement"
    text = run_briefing(["claims", prefix], data).stdout.decode()
    assert "speaker: Dmitry Peskov" in text and "actor: Russia" in text and "810 drones_launched" in text
    rebuilt = run_briefing(["claims", "--rebuild"], data)
    assert rebuilt.returncode == 0 and "derived 3 claims for 1 document" in rebuilt.stdout.decode()
    missing = run_briefing(["claims", "ffffffffff"], data)
    assert missing.returncode == 2 and "no stored document" in one_line_error(missing)
    none = run_briefing(["claims"], data)
    assert none.returncode == 2 and "--rebuild" in one_line_error(none)


def test_repeated_sentences_are_parsed_once_with_the_same_claims(monkeypatch):
    import briefing.claims.nlp as nlp
    from briefing.claims import extract_many
    from briefing.splitting import split_sentences

    text = ARTICLE.split("---\n", 2)[2]
    sents = [(s.idx, s.text, s.start, s.end) for s in split_sentences(text)]
    doc = {"id": "a", "published": "2025-09-07", "source": "Test Wire", "title": "", "text": text}
    alone = extract_many([(doc, sents)])[0]
    piped: list[str] = []
    pipe = nlp.load_nlp().pipe
    monkeypatch.setattr(
        type(nlp.load_nlp()), "pipe", lambda self, texts, **kw: pipe(piped.extend(texts) or texts, **kw)
    )
    both = extract_many([(doc, sents), ({**doc, "id": "b", "source": "Copy Daily"}, sents)])
    assert len(piped) == len(set(piped))  # each distinct sentence parsed once
    strip = lambda cs: [c.model_dump(exclude={"doc_id", "outlet"}) for c in cs]  # noqa: E731
    assert strip(both[0]) == strip(both[1]) == strip(alone)
