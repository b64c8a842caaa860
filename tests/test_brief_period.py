"""A statement dated only by a past period ("earlier this week") is of the days before the report, not its day."""

from __future__ import annotations

from datetime import date, timedelta

from briefing.brief.claimed import period_days

SUNDAY = date(2025, 9, 7)


def test_earlier_this_week_is_before_the_report():
    days = period_days("Earlier this week, Putin said foreign troops would be legitimate targets.", SUNDAY)
    assert days == {date(2025, 9, d) for d in range(1, 7)}  # Monday 1st to Saturday 6th
    assert SUNDAY not in days


def test_last_week_and_days_ago():
    assert period_days("Last week the ministry said so.", SUNDAY) == {
        date(2025, 8, 25) + timedelta(days=n) for n in range(7)
    }
    assert period_days("Two days ago he said it.", SUNDAY) == {SUNDAY - timedelta(days=n) for n in range(1, 7)}
    assert period_days("On Sunday he said it.", SUNDAY) is None


def test_a_reports_undated_sentences_are_of_the_day_it_tells_most_of():
    from briefing.brief.claimed import _doc_days
    from briefing.claims.models import Claim

    def claim(i: int, day: date | None) -> Claim:
        return Claim(doc_id="d", sentence_id=f"d:{i}", text="x", event="attack:x", event_date=day, published=SUNDAY)

    friday = date(2025, 9, 5)
    # a report of Sunday's resignation that mentions an order of Friday in passing
    assert _doc_days([claim(0, SUNDAY), claim(1, friday), claim(2, SUNDAY), claim(3, None)]) == {"d": {SUNDAY}}
    # a round-up published on Sunday of Friday's events
    assert _doc_days([claim(0, friday), claim(1, friday), claim(2, SUNDAY)]) == {"d": {friday}}
