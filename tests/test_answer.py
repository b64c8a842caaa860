"""The ask pipeline with a fake model: generated, re-ask, extractive fallback, abstention."""

from __future__ import annotations

import json
import re

import pytest

from briefing.answer import ABSTAIN_TEXT, ask
from briefing.errors import InputError, ModelError
from briefing.retrieval import retrieve
from servers import assert_exact_quotes

QUESTION = "Who pledged to deploy troops as a reassurance force?"


def evidence_id(app, question, phrase):
    for e in retrieve(app, question, app.settings.k):
        if phrase in e.text:
            return e.id
    raise AssertionError(f"no evidence containing {phrase!r}")


def test_grounded_answer_is_generated_with_exact_quotes(seeded, fake_model):
    eid = evidence_id(seeded, QUESTION, "26 of Ukraine")
    fake_model.push(
        {"answer": "26 of Ukraine's allies pledged to deploy troops as a reassurance force.", "citations": [eid]}
    )
    r = ask(seeded, QUESTION)
    assert r.mode == "generated" and r.answerable
    assert "26" in r.answer
    assert len(r.citations) == 1 and "26 of Ukraine’s allies" in r.citations[0].quote
    assert r.attempts == 1
    assert_exact_quotes(seeded.data_dir, r.citations + r.closest)


def test_schema_offers_only_the_ids_shown(seeded, fake_model):
    eid = evidence_id(seeded, QUESTION, "26 of Ukraine")
    fake_model.push({"answer": "26 of Ukraine's allies pledged troops.", "citations": [eid]})
    ask(seeded, QUESTION)
    schema = json.dumps(fake_model.requests[0]["response_format"])
    shown = fake_model.requests[0]["messages"][1]["content"]
    ids = re.findall(r"^(E\d+):", shown, re.M)
    assert ids and all(f'"{i}"' in schema for i in ids)
    assert f'"E{len(ids) + 1}"' not in schema


def test_invented_number_is_re_asked_then_accepted(seeded, fake_model):
    eid = evidence_id(seeded, QUESTION, "26 of Ukraine")
    fake_model.push(
        {"answer": "30 allies pledged troops.", "citations": [eid]},
        {"answer": "26 of Ukraine's allies pledged troops.", "citations": [eid]},
    )
    r = ask(seeded, QUESTION)
    assert r.mode == "generated" and r.attempts == 2
    # the re-ask told the model what was wrong
    assert "30" in fake_model.requests[1]["messages"][-1]["content"]


def test_unsupported_answers_fall_back_to_extractive_quotes(seeded, fake_model):
    eid = evidence_id(seeded, QUESTION, "26 of Ukraine")
    bad = {"answer": "Germany pledged 5000 troops.", "citations": [eid]}
    fake_model.push(bad, bad)
    r = ask(seeded, QUESTION)
    assert r.mode == "extractive" and r.answerable
    assert "Germany" not in r.answer and "5000" not in r.answer
    assert r.answer == " ".join(c.quote for c in r.citations)
    assert any("26" in c.quote for c in r.citations)
    assert r.attempts == 2 and "grounding" in r.reason
    assert_exact_quotes(seeded.data_dir, r.citations + r.closest)


def test_answer_that_is_only_an_id_is_rejected(seeded, fake_model):
    eid = evidence_id(seeded, QUESTION, "26 of Ukraine")
    fake_model.push({"answer": eid, "citations": [eid]}, {"answer": eid, "citations": [eid]})
    assert ask(seeded, QUESTION).mode == "extractive"


def test_citing_an_unshown_id_is_rejected(seeded, fake_model):
    fake_model.push(
        {"answer": "26 allies pledged troops.", "citations": ["E99"]},
        {"answer": "26 allies pledged troops.", "citations": ["E99"]},
    )
    assert ask(seeded, QUESTION).mode == "extractive"


def test_invalid_json_is_re_asked(seeded, fake_model):
    eid = evidence_id(seeded, QUESTION, "26 of Ukraine")
    fake_model.push("{not json", {"answer": "26 of Ukraine's allies pledged troops.", "citations": [eid]})
    r = ask(seeded, QUESTION)
    assert r.mode == "generated" and r.attempts == 2


def test_unanswerable_question_abstains_without_calling_the_model(seeded, fake_model):
    r = ask(seeded, "Which NATO member will command the reassurance force?")
    assert r.mode == "abstained" and not r.answerable and r.answer == ABSTAIN_TEXT
    assert r.citations == [] and r.closest
    assert fake_model.requests == []
    assert_exact_quotes(seeded.data_dir, r.citations + r.closest)


def test_unknown_name_in_question_abstains(seeded, fake_model):
    r = ask(seeded, "What did Olaf Scholz say about the reassurance force?")
    assert r.mode == "abstained" and "Scholz" in r.reason
    assert fake_model.requests == []


def test_a_negation_the_evidence_does_not_make_is_rejected(seeded, fake_model):
    eid = evidence_id(seeded, QUESTION, "26 of Ukraine")
    bad = {"answer": "26 of Ukraine's allies had not pledged to deploy troops.", "citations": [eid]}
    fake_model.push(bad, bad)
    r = ask(seeded, QUESTION)
    assert r.mode == "extractive" and "not" in r.reason


def test_an_answer_that_rewrites_the_evidence_is_rejected(seeded, fake_model):
    eid = evidence_id(seeded, QUESTION, "26 of Ukraine")
    bad = {"answer": "Ukraine's allies, 26 of them, troops deploy reassurance pledged.", "citations": [eid]}
    fake_model.push(bad, bad)
    assert ask(seeded, QUESTION).mode == "extractive"


def test_k_zero_retrieves_nothing_and_abstains(seeded, fake_model):
    r = ask(seeded, QUESTION, k=0)
    assert r.mode == "abstained"


def test_endpoint_failure_is_a_model_error_not_a_retry_loop(seeded, fake_model):
    fake_model.push(ModelError("the model endpoint timed out"))
    with pytest.raises(ModelError):
        ask(seeded, QUESTION)
    assert len(fake_model.requests) == 1
    log = seeded.store.calls()
    assert log[0]["ok"] == 0 and "timed out" in log[0]["error"]


@pytest.mark.parametrize("question", ["", "   ", "x" * 100_000])
def test_bad_questions_are_input_errors(seeded, question):
    with pytest.raises(InputError):
        ask(seeded, question)


def test_every_call_is_logged(seeded, fake_model):
    eid = evidence_id(seeded, QUESTION, "26 of Ukraine")
    fake_model.push({"answer": "26 of Ukraine's allies pledged troops.", "citations": [eid]})
    ask(seeded, QUESTION)
    row = seeded.store.calls()[0]
    assert row["task"] == "answer" and row["attempts"] == 1 and row["ok"] == 1
    assert row["prompt_tokens"] == 10 and row["completion_tokens"] == 5 and len(row["prompt_hash"]) == 12


def test_a_true_sentence_that_does_not_answer_is_rejected(seeded, fake_model):
    """Quoting a real but off-question sentence is grounded, yet not an answer: re-ask, then the best evidence."""
    shown = retrieve(seeded, QUESTION, seeded.settings.k)
    off = next(e for e in shown if "pledg" not in e.text and "reassurance" not in e.text and len(e.text.split()) > 8)
    fake_model.push({"answer": off.text, "citations": [off.id]}, {"answer": off.text, "citations": [off.id]})
    r = ask(seeded, QUESTION)
    assert r.mode == "extractive" and "address" in r.reason
    assert any("26" in c.quote for c in r.citations)


def test_a_copy_with_a_changed_number_keeps_that_sentence_as_evidence(seeded, tmp_path, fake_model):
    """A syndicated copy is one story, but the sentence it changed is its own report: it stays evidence (one side
    of a disagreement), while its identical sentences are shown once, cited from the original, with the copy's
    outlet listed."""
    from briefing.ingest import ingest_paths
    from conftest import SEEDS

    original = (SEEDS / "003_5a165c5dd833248b.txt").read_text()
    copy = tmp_path / "wire.txt"
    copy.write_text(original.replace("26 of Ukraine’s allies", "32 of Ukraine’s allies"))
    report = ingest_paths(seeded, [copy])
    assert report.added[0]["duplicate_of"]
    shown = retrieve(seeded, QUESTION, seeded.settings.k)
    changed = [e for e in shown if "32 of Ukraine" in e.text]
    assert len(changed) == 1 and changed[0].source == "wire.txt"
    kept = [e for e in shown if "26 of Ukraine" in e.text]
    assert len(kept) == 1 and kept[0].source == "003_5a165c5dd833248b.txt" and kept[0].also == []
    same = [e for e in shown if e.source == "003_5a165c5dd833248b.txt" and "wire.txt" in e.also]
    assert same, "identical sentences list the copy's outlet"
    assert len({e.text for e in shown}) == len(shown)


def test_citing_everything_to_pass_the_checks_is_rejected(seeded, fake_model):
    """Padding the citations with unrelated evidence must not launder an off-question answer."""
    shown = retrieve(seeded, QUESTION, seeded.settings.k)
    off = next(e for e in shown if "pledg" not in e.text and "reassurance" not in e.text and len(e.text.split()) > 8)
    padded = {
        "answer": off.text,
        "citations": [e.id for e in shown][:4]
        if off.id in [e.id for e in shown][:4]
        else [off.id] + [e.id for e in shown][:3],
    }
    fake_model.push(padded, padded)
    r = ask(seeded, QUESTION)
    assert r.mode == "extractive" and "cite only the evidence" in r.reason


def test_attempts_default_to_one_for_the_embedded_model_and_two_for_a_server(settings, fake_model):
    from briefing.llm import LLM, EmbeddedBackend, RemoteBackend

    embedded = EmbeddedBackend(None, threads=1, ctx=512)  # not loaded: nothing runs
    remote = RemoteBackend("http://127.0.0.1:9/v1", "m", "key", timeout=1.0, retries=0)
    assert LLM(embedded, settings).max_attempts == 1
    assert LLM(remote, settings).max_attempts == 2
    assert LLM(fake_model, settings).max_attempts == 2
    pinned = settings.model_copy(update={"llm_max_attempts": 3})
    assert LLM(embedded, pinned).max_attempts == LLM(remote, pinned).max_attempts == 3


def test_an_answer_cut_off_by_the_length_limit_is_rejected(seeded, fake_model):
    from briefing.answer import ANSWER_MAX_CHARS

    eid = evidence_id(seeded, QUESTION, "26 of Ukraine")
    sentence = next(e.text for e in retrieve(seeded, QUESTION, seeded.settings.k) if e.id == eid)
    cut = (sentence + " " + sentence)[:ANSWER_MAX_CHARS]  # every word from the evidence, stopped mid-sentence
    fake_model.push({"answer": cut, "citations": [eid]}, {"answer": sentence, "citations": [eid]})
    r = ask(seeded, QUESTION)
    assert r.mode == "generated" and r.attempts == 2 and r.answer == sentence
    assert "cut off" in fake_model.requests[1]["messages"][-1]["content"]
