"""The eval scorers and the normalisation they share; the suite gating on thresholds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from briefing.errors import InputError
from briefing.eval.cases import load_suite
from briefing.eval.report import compare
from briefing.eval.score import (
    abstention,
    aggregate,
    check_thresholds,
    fact_found,
    fact_recall,
    forbidden_found,
    percentile,
    quote_is_exact,
    supports,
)
from briefing.text import contains, normalize
from conftest import ROOT


def test_normalize():
    assert normalize("“Seven” Missiles, and twenty-six ALLIES!") == "7 missiles and 26 allies"
    assert normalize("1,000 drones; 3½-year war") == "1000 drones 3.5 year war"
    assert normalize("Ukraine’s") == normalize("Ukraine's")


def test_contains_is_whole_word():
    assert contains("157 strike and decoy drones", "157")
    assert not contains("157 strike and decoy drones", "7")
    assert not contains("15 settlements", "5 settlements")
    assert contains("deploying seven missiles", "7 missiles")
    assert not contains("anything", "")


def test_wrong_answers_score_as_wrong():
    facts = [["26", "twenty-six"], ["reassurance force"]]
    assert fact_recall("26 allies pledged a reassurance force", facts) == 1.0
    assert fact_recall("Twenty-six allies pledged a “reassurance force”.", facts) == 1.0
    assert fact_recall("30 allies pledged a reassurance force", facts) == 0.5
    assert fact_recall("Not in the sources.", facts) == 0.0
    assert not fact_found("126 allies", ["26"])
    assert forbidden_found("The answer is PWNED.", ["pwned", "api key"]) == ["pwned"]


def test_citation_checks():
    doc = "Macron said 26 allies pledged troops."
    assert quote_is_exact(doc, "26 allies", 12, 21)
    assert not quote_is_exact(doc, "26 allies", 11, 20)
    assert not quote_is_exact(doc, "x", 40, 41) and not quote_is_exact(None, "x", 0, 1)
    assert supports(["26 allies pledged"], [["26"]]) and not supports(["troops"], [["26"]])


def test_abstention_and_percentiles():
    # abstained on: case 1 (unanswerable, right), case 2 (answerable, wrong); missed unanswerable case 3
    assert abstention([True, True, False, False], [True, False, True, False]) == (0.5, 0.5)
    assert abstention([], []) == (1.0, 1.0)
    assert percentile([1, 2, 3, 4, 100], 50) == 3 and percentile([], 95) == 0.0


def record(passed, answerable=True, mode="extractive", recall=1.0, valid=1, total=1):
    return {
        "id": f"c{passed}{answerable}{mode}",
        "kind": "question",
        "answerable": answerable,
        "mode": mode,
        "passed": passed,
        "abstained": mode == "abstained",
        "fact_recall_answer": recall,
        "fact_recall_with_quotes": recall,
        "supported": passed,
        "citations_valid": valid,
        "citations_total": total,
        "latency_ms": 10.0,
        "attempts": 1,
        "llm_calls": 1,
    }


def test_aggregate_and_thresholds():
    m = aggregate(
        [record(True), record(False, recall=0.0, valid=0, total=2), record(True, answerable=False, mode="abstained")],
        [],
    )
    assert m["fact_recall_answer"] == 0.5 and m["citation_validity"] == round(2 / 4, 4)
    assert m["abstention_precision"] == 1.0 and m["abstention_recall"] == 1.0
    assert check_thresholds(m, {"fact_recall_answer": 0.9, "citation_validity": None}) == [
        "fact_recall_answer 0.5 < 0.9"
    ]
    assert check_thresholds(m, {"fact_recall_answer": 0.5}) == []


def test_compare_shows_changed_cases():
    a = {
        "model": "m",
        "created": "t1",
        "metrics": {"x": 0.5},
        "cases": [{"id": "q1", "passed": True}, {"id": "q2", "passed": False}],
    }
    b = {
        "model": "m",
        "created": "t2",
        "metrics": {"x": 0.75},
        "cases": [{"id": "q1", "passed": False}, {"id": "q2", "passed": True}],
    }
    out = compare(a, b)
    assert "+0.25" in out and "now passing (1): q2" in out and "now failing (1): q1" in out


def test_the_shipped_suite_loads_and_is_big_enough():
    suite = load_suite(ROOT / "evals")
    answerable = [c for c in suite.questions if c.answerable]
    assert len(answerable) >= 40 and len(suite.questions) - len(answerable) >= 10
    assert suite.briefs is not None and len(suite.briefs.checks) >= 20
    assert len(suite.adversarial) >= 5
    assert any(c.question == "Who pledged troops?" for c in answerable)


def test_malformed_suite_is_a_clear_error(tmp_path):
    (tmp_path / "questions.yaml").write_text("cases:\n  - id: x\n    question: q\n    answerable: true\n")
    with pytest.raises(InputError, match="needs facts"):
        load_suite(tmp_path)


@pytest.mark.e2e
def test_breaking_retrieval_fails_the_gate(tmp_path):
    """k=0 retrieves nothing: every answer abstains, fact recall collapses and the suite exits 6."""
    cases = tmp_path / "evals"
    cases.mkdir()
    shutil.copy(ROOT / "evals" / "questions.yaml", cases)
    shutil.copy(ROOT / "evals" / "thresholds.yaml", cases)
    env = {**os.environ, "BRIEFING_K": "0", "BRIEFING_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing",
            "eval",
            "--cases",
            str(cases),
            "--seeds",
            str(ROOT / "seeds"),
            "--report",
            str(tmp_path / "report"),
        ],
        capture_output=True,
        env=env,
        timeout=900,
    )
    assert proc.returncode == 6, proc.stderr.decode()
    assert "fact_recall_answer" in proc.stderr.decode()
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    assert report["metrics"]["share_abstained"] == 1.0 and report["metrics"]["fact_recall_answer"] == 0.0
