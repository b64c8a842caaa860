"""Question analysis: the kind of answer asked for, its focus, the names and days it is about."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.errors import InputError
from briefing.question import analyse, check_readable

SUNDAY = date(2025, 9, 7)


@pytest.mark.parametrize(
    "question, kind, strict",
    [
        ("Who pledged troops?", "person", True),
        ("On what date did Putin issue his warning?", "date", True),
        ("When did Trump and Putin meet in Alaska?", "date", True),
        ("Where will the next Trump-Putin meeting be held?", "place", True),
        ("In which city did Zelenskyy meet Robert Fico?", "place", True),
        ("How many drones did Russia launch?", "count", True),
        ("How much money has the EU pledged?", "amount", True),
        ("Which round of EU sanctions is the new package?", "ordinal", True),
        ("Which pipeline's shipments to Slovakia were disrupted?", "named", True),
        ("Which regional official described the damage in Dnipro?", "person", True),
        ("What did Zelenskiy tell Robert Fico about Russian oil?", "statement", False),
        ("Did Putin invite Zelenskyy to Moscow?", "yesno", False),
        ("What right did Zelenskiy assert?", "open", False),
    ],
)
def test_answer_kind(question, kind, strict):
    q = analyse(question, SUNDAY)
    assert (q.kind, q.strict) == (kind, strict)


def test_count_focus_names_what_is_counted():
    q = analyse("How many French soldiers did Macron say France would send to Ukraine?", SUNDAY)
    assert q.focus == "soldier"
    assert q.describe() == "a number of French soldiers"
    assert ("Macron", "PERSON") in q.names


def test_where_questions_ask_for_the_place_of_the_event():
    q = analyse("In which city did Zelenskyy meet Slovak Prime Minister Robert Fico?", SUNDAY)
    assert q.locative and q.focus == "city" and q.predicate == "meet"
    assert not analyse("Which two countries signalled readiness to send troops?", SUNDAY).locative


def test_predicate_is_the_content_verb_and_its_subject():
    q = analyse("Who did Putin say security guarantees would need to cover?", SUNDAY)
    assert q.predicate == "cover"
    q = analyse("Where was Putin speaking when he made the warning?", SUNDAY)
    assert q.predicate == "speak" and q.subject == "Putin"


def test_statement_questions_name_the_speaker():
    assert analyse("What did Zelenskiy tell Robert Fico about Russian oil?", SUNDAY).agent == "Zelenskiy"
    assert analyse("How did India's government respond to Trump's remark?", SUNDAY).agent == "government"


@pytest.mark.parametrize(
    "question, days",
    [
        ("What happened on Sunday?", {date(2025, 9, 7)}),
        ("What happened on Friday?", {date(2025, 9, 5)}),
        ("How many drones were launched on September 7?", {date(2025, 9, 7)}),
        ("How many drones were launched on the night of September 6-7?", {date(2025, 9, 6), date(2025, 9, 7)}),
        ("How many drones were launched on 4 September 2025?", {date(2025, 9, 4)}),
    ],
)
def test_days_are_resolved_against_the_base_date(question, days):
    assert analyse(question, SUNDAY).days == days


def test_last_week_is_the_week_before_the_base_date():
    days = analyse("What did the Kremlin say last week?", SUNDAY).days
    assert min(days) == date(2025, 8, 31) and max(days) == SUNDAY


def test_a_report_date_constrains_the_publication_not_the_event():
    q = analyse("At which forum did Putin deliver the warning, according to the report dated 7 September?", SUNDAY)
    assert q.published == {SUNDAY} and not q.days


def test_a_question_the_models_cannot_read_is_bad_input():
    with pytest.raises(InputError) as err:
        check_readable("Кто обещал отправить войска?")
    assert err.value.exit_code == 2 and "Cyrillic" in err.value.message
    with pytest.raises(InputError):
        check_readable("谁承诺派兵？")
    check_readable("Qui a promis des troupes à l'Ukraine, selon Zelenskyy?")  # Latin script, accents: read


def test_the_first_question_word_sets_the_kind():
    q = analyse("What was Ishiba's approval rating when he resigned?", SUNDAY)
    assert (q.kind, q.asked) == ("open", "rating")
    assert analyse("When did Ishiba resign?", SUNDAY).kind == "date"
    assert analyse("Where did the strike begin?", SUNDAY).kind == "place"


def test_what_a_question_is_about():
    q = analyse("What did Fico and Zelenskyy agree on gas transit through Ukraine?", SUNDAY)
    assert q.topics == ["gas", "transit"]
    assert analyse("What form does the Kremlin want security guarantees to take?", SUNDAY).asked is None
    assert analyse("What kind of documents did the press secretary demand?", SUNDAY).asked == "document"
    assert analyse("What support has Washington offered?", SUNDAY).governments == ["Washington"]
    assert analyse("How many people were injured in Kyiv?", SUNDAY).governments == []


def test_a_date_the_parser_takes_for_an_event_is_a_day_not_a_name():
    q = analyse("How many locations were hit in the September 7 attack?", date(2025, 9, 8))
    assert q.names == [] and q.days == {date(2025, 9, 7)}
