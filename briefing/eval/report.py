"""The eval report: report.json, a Markdown summary, the terminal table, and comparing two reports."""

from __future__ import annotations

import json
from pathlib import Path

from briefing.errors import InputError

SHOWN = [
    "question_pass_rate",
    "fact_recall_answer",
    "fact_recall_with_quotes",
    "citation_validity",
    "citation_support",
    "abstention_precision",
    "abstention_recall",
    "schema_validity",
    "brief_check_pass_rate",
    "adversarial_pass_rate",
    "attribution_accuracy",
    "disagreement_precision",
    "disagreement_recall",
    "must_not_flag_clean",
    "corpus_brief_check_pass_rate",
    "position_own_words",
    "corpus_brief_seconds_max",
    "other_stories_attribution_accuracy",
    "other_stories_disagreement_precision",
    "other_stories_disagreement_recall",
    "other_stories_must_not_flag_clean",
    "other_stories_corpus_brief_check_pass_rate",
    "other_stories_position_own_words",
    "share_generated",
    "share_read",
    "share_extractive",
    "share_abstained",
    "latency_p50_ms",
    "latency_p95_ms",
    "llm_calls",
]


def summary_lines(report: dict) -> list[str]:
    """The terminal table: the headline metrics against their thresholds, then the failed cases."""
    lines = [f"{'metric':26} {'value':>9}  threshold"]
    for k in SHOWN:
        if k in report["metrics"]:
            t = report["thresholds"].get(k)
            lines.append(f"{k:26} {str(report['metrics'][k]):>9}  {'' if t is None else '>= ' + str(t)}")
    failed = [r["id"] for r in report["cases"] + report.get("brief_checks", []) if not r["passed"]]
    lines.append(f"failed cases ({len(failed)}): {', '.join(failed) or '—'}")
    corpus_failed = [r["id"] for r in report.get("corpus_checks", []) if not r["passed"]]
    if report.get("corpus_checks"):
        lines.append(f"failed corpus checks ({len(corpus_failed)}): {', '.join(corpus_failed) or '—'}")
    return lines


def write_report(report: dict, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    jpath, mpath = folder / "report.json", folder / "summary.md"
    jpath.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    mpath.write_text(markdown_summary(report), encoding="utf-8")
    return jpath, mpath


def _cell(text: str, n: int = 90) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= n else text[: n - 1] + "…"


def markdown_summary(report: dict) -> str:
    m, th = report["metrics"], report.get("thresholds", {})
    lines = [
        f"# Eval report — {report['model']}",
        "",
        f"{report['created']} · {report['seconds']} s · settings {report['settings']}",
        "",
        "| metric | value | threshold |",
        "|---|---|---|",
    ]
    for k, v in m.items():
        t = th.get(k)
        lines.append(
            f"| {k} | {v} | {'' if t is None else ('≥ ' + str(t) + (' ✅' if v is not None and v >= t else ' ❌'))} |"
        )
    cases = sorted(report["cases"], key=lambda r: (r["passed"], r["kind"], r["id"]))
    lines += ["", "## Cases (failures first)", "", "| id | kind | pass | mode | answer |", "|---|---|---|---|---|"]
    for r in cases:
        lines.append(
            f"| {r['id']} | {r['kind']} | {'✅' if r['passed'] else '❌'} | {r.get('mode')} | "
            f"{_cell(r.get('answer', ''))} |"
        )
    failed = [r for r in cases if not r["passed"]]
    if failed:
        lines += ["", "## Failures in detail", ""]
        for r in failed:
            lines += [
                f"### {r['id']}",
                f"- question: {r['question']}",
                f"- mode: {r.get('mode')} — {r.get('reason', r.get('error', ''))}",
                f"- answer: {r.get('answer', '')}",
            ]
            lines += [f"- quote: “{q}”" for q in r.get("quotes", [])]
            if r.get("forbidden_found"):
                lines.append(f"- forbidden phrases present: {r['forbidden_found']}")
            lines.append("")
    if report.get("brief_checks"):
        lines += ["", "## Brief checks", "", "| id | kind | pass | detail |", "|---|---|---|---|"]
        for b in sorted(report["brief_checks"], key=lambda b: (b["passed"], b["id"])):
            lines.append(
                f"| {b['id']} | {b.get('kind')} | {'✅' if b['passed'] else '❌'} | {_cell(b.get('detail', ''))} |"
            )
    return "\n".join(lines) + "\n"


def load_report(path: Path) -> dict:
    path = path / "report.json" if path.is_dir() else path
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(
            f"cannot read report {path}: {exc}", "give a report.json written by briefing eval --report"
        ) from None


def compare(*reports: dict | Path) -> str:
    """Metrics side by side and the cases that changed, for two reports (loaded, or paths to report.json)."""
    if len(reports) != 2:
        raise InputError("--compare needs exactly two reports", "briefing eval --compare A/report.json B/report.json")
    a, b = (r if isinstance(r, dict) else load_report(Path(r)) for r in reports)
    lines = [
        f"A: {a['model']} ({a['created']})   B: {b['model']} ({b['created']})",
        "",
        f"{'metric':28} {'A':>10} {'B':>10} {'change':>10}",
    ]
    for k in dict.fromkeys(list(a["metrics"]) + list(b["metrics"])):
        va, vb = a["metrics"].get(k), b["metrics"].get(k)
        delta = f"{vb - va:+.4g}" if isinstance(va, (int, float)) and isinstance(vb, (int, float)) else ""
        lines.append(f"{k:28} {str(va):>10} {str(vb):>10} {delta:>10}")
    pa = {r["id"]: r["passed"] for r in a["cases"] + a.get("brief_checks", [])}
    pb = {r["id"]: r["passed"] for r in b["cases"] + b.get("brief_checks", [])}
    fixed = sorted(i for i in pa if i in pb and not pa[i] and pb[i])
    broke = sorted(i for i in pa if i in pb and pa[i] and not pb[i])
    lines += [
        "",
        f"now passing ({len(fixed)}): {', '.join(fixed) or '—'}",
        f"now failing ({len(broke)}): {', '.join(broke) or '—'}",
    ]
    return "\n".join(lines)
