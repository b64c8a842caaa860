"""Grounding checks meaning, not only words: polarity in both directions, sentences cut off mid-clause,
names from different evidence sentences joined into a relation, and repeated items."""

from __future__ import annotations

import pytest

from briefing.answer import ask
from briefing.grounding import cut_off, joined_names, polarity_problems, problems, repeats
from test_answer import evidence_id

NO_DECISION = (
    "NATO representatives reiterated that no final decisions have been made, but they rejected Russia’s framing, "
    "arguing that any mission would be designed to support Ukraine’s sovereignty and recovery, not to escalate the war."
)
US = (
    "While the United States has ruled out sending ground troops, it has offered expanded air defence "
    "and intelligence support."
)
TRUMP = (
    "After the August 2025 Alaska summit with Putin, Trump voiced disappointment, lamenting, "
    '"Looks like we’ve lost India and Russia, to deepest, darkest China."'
)


@pytest.mark.parametrize(
    "answer",
    [
        "NATO representatives reiterated that final decisions have been made.",  # the drill
        "NATO representatives said that final decisions were made.",
    ],
)
def test_dropping_the_evidence_negation_is_rejected(answer):
    assert any("negates what the answer states" in p for p in problems(answer, [NO_DECISION]))


def test_adding_a_negation_the_evidence_does_not_have_is_rejected():
    evidence = "Officials said Russia will attack the convoy near Kharkiv, but not before Friday."
    found = problems("Officials said Russia will not attack the convoy near Kharkiv.", [evidence])
    assert any("negates what the cited evidence states" in p for p in found)


@pytest.mark.parametrize(
    "answer",
    [
        "NATO representatives reiterated that no final decisions have been made.",
        "NATO representatives said final decisions have not been made.",
    ],
)
def test_the_same_polarity_passes(answer):
    assert polarity_problems(answer, [NO_DECISION]) == []


def test_a_clause_the_answer_leaves_out_is_not_a_reversal():
    evidence = (
        "Putin stressed that the presence of foreign soldiers on Ukrainian soil would be viewed as direct "
        "participation in the conflict and would not go unanswered."
    )
    answer = (
        "Putin stressed that the presence of foreign soldiers on Ukrainian soil would be viewed as direct "
        "participation in the conflict."
    )
    assert problems(answer, [evidence]) == []


@pytest.mark.parametrize(
    "text,cut",
    [
        ("Russian President Vladimir Putin said any Western troops deployed to Ukraine will be treated as", True),
        ("Putin warned that troops would be targets, and", True),
        ("Putin warned that troops would be …", True),
        ("Putin warned that troops would be targets.", False),
        ("Troops will be sent, officials said", False),
    ],
)
def test_cut_off_sentences(text, cut):
    assert cut_off(text) is cut


def test_names_from_different_sentences_may_not_be_joined():
    invented = (
        "The United States has rejected the offer of sending ground troops to India and Russia, "
        "and has offered intelligence support to China."
    )
    assert joined_names(invented, [US, TRUMP])
    assert any("no single cited sentence names together" in p for p in problems(invented, [US, TRUMP]))
    assert (
        joined_names("The United States has offered expanded air defence and intelligence support.", [US, TRUMP]) == []
    )


def test_repeats():
    assert repeats(
        ["Putin warned troops will be targets.", "Putin warned that troops will be targets", "Peskov spoke."]
    ) == [(1, 0)]
    assert repeats(["Putin warned troops will be targets.", "Peskov said talks could resume."]) == []


def test_ask_does_not_pass_a_reversed_answer_as_generated(seeded, fake_model):
    question = "Have final decisions been made on the reassurance force?"
    eid = evidence_id(seeded, question, "no final decisions")
    reversed_answer = {
        "answer": "NATO representatives reiterated that final decisions have been made.",
        "citations": [eid],
    }
    fake_model.push(reversed_answer, reversed_answer)
    r = ask(seeded, question)
    assert r.mode != "generated"
    assert "final decisions have been made" not in r.answer or "no final decisions" in r.answer
