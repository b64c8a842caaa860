"""Glue for `briefing eval`: load cases, run, report, compare."""

from __future__ import annotations

import json
from pathlib import Path

from briefing.cache import ResponseCache
from briefing.errors import InputError
from briefing.eval_cases import load_suite
from briefing.eval_run import check_thresholds, compare, run_suite, write_report
from briefing.settings import Settings

SHOWN = ["question_pass_rate", "fact_recall_answer", "fact_recall_with_quotes", "citation_validity", "citation_support",
         "abstention_precision", "abstention_recall", "schema_validity", "brief_check_pass_rate", "adversarial_pass_rate",
         "share_generated", "share_extractive", "share_abstained", "latency_p50_ms", "latency_p95_ms", "llm_calls"]


def run_eval(settings: Settings, cases: Path, seeds: Path | None, report_dir: Path | None, use_cache: bool) -> tuple[dict, str, list[str]]:
    from briefing.render import progress_reporter

    suite = load_suite(cases)
    seeds = seeds or cases.resolve().parent / "seeds"
    if not seeds.is_dir():
        raise InputError(f"seed articles not found at {seeds}", "pass --seeds")
    cache = ResponseCache(settings.data_dir / "eval-cache" / "llm.sqlite") if use_cache else None
    with progress_reporter() as progress:
        report = run_suite(settings, suite, seeds, cache, progress)
    report["thresholds"] = {k: v for k, v in suite.thresholds.items() if v is not None}
    missed = check_thresholds(report["metrics"], report["thresholds"])
    report["failed_thresholds"] = missed
    where = ""
    if report_dir is not None:
        j, m = write_report(report, report_dir)
        where = f"\nreport: {j}  summary: {m}"
    lines = [f"{'metric':26} {'value':>9}  threshold"]
    for k in SHOWN:
        if k in report["metrics"]:
            t = report["thresholds"].get(k)
            lines.append(f"{k:26} {str(report['metrics'][k]):>9}  {'' if t is None else '>= ' + str(t)}")
    failed = [r["id"] for r in report["cases"] + report.get("brief_checks", []) if not r["passed"]]
    lines.append(f"failed cases ({len(failed)}): {', '.join(failed) or '—'}")
    if cache:
        lines.append(f"cache: {cache.hits} hits, {cache.misses} misses · {report['seconds']} s")
    return report, "\n".join(lines) + where, missed


def compare_reports(paths: list[Path]) -> str:
    if len(paths) != 2:
        raise InputError("--compare needs exactly two reports", "briefing eval --compare A/report.json B/report.json")
    loaded = []
    for p in paths:
        p = p / "report.json" if p.is_dir() else p
        try:
            loaded.append(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"cannot read report {p}: {exc}", "give a report.json written by briefing eval --report") from None
    return compare(*loaded)
