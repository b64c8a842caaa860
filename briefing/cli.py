"""Command line: parse, hand off, print. Results on stdout, progress and errors on stderr."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Optional

import typer

# numpy's BLAS threads on top of the embedder's own thread pool and the model's threads oversubscribe
# small machines badly; one BLAS thread per worker is faster. (Set before numpy is first imported.)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from briefing.errors import BriefingError, InputError, StoreError
from briefing.redact import redact
from briefing.safe import clean_line

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Cited answers and daily briefs from news articles. Exit codes: 0 ok, 1 internal error, "
    "2 bad input, 3 store missing/corrupt, 4 store busy, 5 model/embedding endpoint failed, 6 eval thresholds missed, "
    "7 a URL or feed could not be fetched or read.",
)


def _app():
    from briefing.app import App
    from briefing.settings import load_settings

    return App(load_settings())


def _date(value: Optional[str], flag: str) -> Optional[date]:
    if value is None:
        return None
    if value.lower() in {"today", "yesterday"}:
        return date.fromordinal(date.today().toordinal() - (value.lower() == "yesterday"))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{flag} {value!r} is not a date", "use YYYY-MM-DD, today or yesterday") from None


def _stdin_text() -> str:
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"stdin is not UTF-8 text (byte {exc.start})", "convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from None


def _print_json(obj) -> None:
    from briefing.safe import json_dumps

    typer.echo(json_dumps(obj, indent=2, default=str))


def _need_store(a) -> None:
    if not a.store_exists():
        raise StoreError(
            f"no articles stored in {a.data_dir}", "run `briefing ingest PATH` first (or set BRIEFING_DATA_DIR)"
        )


@app.command()
def ingest(
    paths: list[str] = typer.Argument(
        ..., help="Files or folders (.txt, .md, .html), http(s) URLs of articles, or - for stdin."
    ),
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing if the store already has documents."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
):
    """Read articles into the store and the vector index (re-ingesting is a no-op)."""
    from briefing.ingest import ingest_bytes
    from briefing.pages import ingest_sources
    from briefing.render import progress_reporter

    a = _app()
    if if_empty and a.store_exists() and a.store.count("documents") > 0:
        typer.echo(f"store already has {a.store.count('documents')} documents; nothing to do", err=True)
        return
    if paths == ["-"]:
        data = sys.stdin.buffer.read()
        report = ingest_bytes(a, data)
    else:
        if "-" in paths:
            raise InputError("'-' (stdin) cannot be mixed with paths", "ingest stdin on its own")
        with progress_reporter() as progress:
            report = ingest_sources(a, paths, progress)
    if as_json:
        _print_json(report.__dict__)
    else:
        for line in report.rejected:
            typer.echo(f"skipped: {clean_line(line)}", err=True)
        from briefing.render import ingest_summary

        typer.echo(ingest_summary(report))
    if report.rejected:
        raise typer.Exit(report.exit_code or 2)


@app.command()
def docs(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    since: Optional[str] = typer.Option(
        None, help="Only documents published on or after this date (YYYY-MM-DD, today, yesterday)."
    ),
    until: Optional[str] = typer.Option(None, help="Only documents published on or before this date."),
    source: Optional[str] = typer.Option(
        None, help="Only documents whose source (file name, site, URL) contains this text."
    ),
):
    """List the stored documents (near-duplicates whose dates disagree are marked)."""
    from briefing.doclist import list_documents
    from briefing.render import docs_table

    a = _app()
    _need_store(a)
    rows = list_documents(a.store, _date(since, "--since"), _date(until, "--until"), source)
    if as_json:
        _print_json(rows)
    else:
        typer.echo(docs_table(rows))


@app.command()
def claims(
    doc_id: Optional[str] = typer.Argument(None, help="Document id (or a unique prefix; see `briefing docs`)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Derive the stored claims again (after an upgrade)."),
):
    """Show a document's claims (speaker, actor, event and day, numbers, per sentence), or --rebuild them all."""
    from briefing.claims.derive import derive, stored_claims
    from briefing.claims.render import render_json, render_text

    a = _app()
    _need_store(a)
    if rebuild:
        with a.write_lock():
            ids = [stored_claims(a.store, doc_id)[0]["id"]] if doc_id else [r["id"] for r in a.store.documents()]
            n = derive(a.store, ids)
        if as_json:
            _print_json({"documents": len(ids), "claims": n})
        else:
            typer.echo(f"derived {n} claims for {len(ids)} document{'s' if len(ids) != 1 else ''}")
        return
    if doc_id is None:
        raise InputError("give a document id, or --rebuild", "see `briefing docs` for the ids")
    _doc, found = stored_claims(a.store, doc_id)
    typer.echo(render_json(found) if as_json else render_text(found))


@app.command()
def rm(
    doc_ids: list[str] = typer.Argument(..., help="Ids of the documents to remove (see `briefing docs`)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Remove documents from the store and the index (sentences, chunks, vectors, claims, saved briefs citing them)."""
    from briefing.remove import remove_documents
    from briefing.render import removed_text

    a = _app()
    _need_store(a)
    removed = remove_documents(a, doc_ids)
    if as_json:
        _print_json(removed)
    else:
        typer.echo(removed_text(removed))


feeds_app = typer.Typer(help="The RSS/Atom feeds `briefing update` fetches.", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")


@feeds_app.command("add")
def feeds_add(url: str = typer.Argument(..., help="The feed's URL (RSS or Atom).")):
    """Follow a feed (fetched once to check that it is one)."""
    from briefing.feeds import add_feed
    from briefing.safe import clean

    added, title, n = add_feed(_app(), url)
    named = f" — {clean(title)}" if title else ""
    typer.echo(f"{'added' if added else 'already following'} {clean(url)}{named} ({n} items now)")


@feeds_app.command("list")
def feeds_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """List the followed feeds: when each was last checked and with what result."""
    from briefing.render import feeds_table

    a = _app()
    rows = [dict(r) for r in a.store.feeds()] if a.store_exists() else []
    if as_json:
        _print_json(rows)
    else:
        typer.echo(feeds_table(rows))


@feeds_app.command("remove")
def feeds_remove(url: str = typer.Argument(..., help="The feed's URL, as listed.")):
    """Stop following a feed (its documents stay; remove them with `briefing rm`)."""
    from briefing.feeds import remove_feed

    remove_feed(_app(), url)
    typer.echo(f"removed feed {url}")


@app.command()
def update(
    since: Optional[str] = typer.Option(
        None, help="Only items published on or after this date (YYYY-MM-DD, today, yesterday)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
):
    """Fetch every feed and ingest its new items. Quiet when nothing is new (cron); exit 7 if a feed or item failed."""
    from briefing.feeds import update as run_update
    from briefing.render import progress_reporter, update_text
    from briefing.safe import clean as safe_line

    a = _app()
    with progress_reporter() as progress:
        report = run_update(a, _date(since, "--since"), progress)
    if as_json:
        _print_json(report.__dict__)
    elif report.added:
        typer.echo(update_text(report))
    for line in report.failed:
        typer.echo(f"error: {safe_line(line)}", err=True)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


@app.command()
def ask(
    question: str = typer.Argument(..., help="The question, or - to read it from stdin."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    since: Optional[str] = typer.Option(None, help="Only articles published on or after this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, help="Only articles published on or before this date (YYYY-MM-DD)."),
    k: Optional[int] = typer.Option(None, "--k", help="Evidence sentences to retrieve, 0 to 50 (default: BRIEFING_K)."),
    generate: Optional[str] = typer.Option(
        None,
        "--generate",
        help="auto (a model words the answer only when BRIEFING_LLM_BASE_URL is set), always, or never "
        "(the reader alone). Default: BRIEFING_GENERATE.",
    ),
):
    """Answer a question with exact quotes from the stored articles, or say it is not in them."""
    from briefing.answer import ask as run_ask
    from briefing.render import answer_text

    if question == "-":
        question = _stdin_text()
    a = _app()
    lo, hi = _date(since, "--since"), _date(until, "--until")
    if lo and hi and lo > hi:
        raise InputError("--since is after --until", "swap them")
    _need_store(a)
    result = run_ask(a, question, k=k, since=lo, until=hi, generate=generate)
    if as_json:
        _print_json(result.model_dump())
    else:
        typer.echo(answer_text(result))


@app.command()
def brief(
    day: Optional[str] = typer.Option(
        None, "--date", help="The day (YYYY-MM-DD); default: the latest day that has articles."
    ),
    window_days: int = typer.Option(1, "--window-days", help="Cover the N days ending on --date."),
    actors: Optional[str] = typer.Option(
        None,
        "--actors",
        help='Comma-separated, e.g. "Russia,Ukraine,United States,European Union" (default: all in the actors file).',
    ),
    fmt: str = typer.Option("md", "--format", help="md, json or html."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write to this file (atomically) instead of stdout."),
):
    """Build the daily brief: each actor's position, key facts, disagreements, timeline, changes; every sentence
    cited."""
    from briefing.brief.build import build_brief
    from briefing.brief.render import render, write_atomic
    from briefing.render import progress_reporter

    if fmt not in {"md", "json", "html"}:
        raise InputError(f"unknown format {fmt!r}", "use md, json or html")
    a = _app()
    _need_store(a)
    names = [x.strip() for x in actors.split(",") if x.strip()] if actors is not None else None
    with progress_reporter() as progress:
        result = build_brief(a, _date(day, "--date"), window_days, names, progress)
    text = render(result, fmt)
    if out is None:
        typer.echo(text)
    else:
        write_atomic(out, text)
        typer.echo(f"wrote {out}", err=True)


briefs_app = typer.Typer(help="Saved briefs.", no_args_is_help=True)
app.add_typer(briefs_app, name="briefs")


@briefs_app.command("list")
def briefs_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """List saved briefs."""
    a = _app()
    _need_store(a)
    rows = [dict(r) for r in a.store.briefs()]
    if as_json:
        _print_json(rows)
    elif not rows:
        typer.echo("no saved briefs")
    else:
        for r in rows:
            typer.echo(clean_line(f"{r['date']}  {r['actors']}"))


@briefs_app.command("show")
def briefs_show(
    day: str = typer.Argument(..., help="The brief's date (YYYY-MM-DD)."),
    fmt: str = typer.Option("md", "--format", help="md, json or html."),
):
    """Print a saved brief."""
    from briefing.brief.build import saved_brief
    from briefing.brief.render import render

    a = _app()
    _need_store(a)
    typer.echo(render(saved_brief(a, _date(day, "--date")), fmt))


@app.command()
def logs(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    limit: int = typer.Option(20, min=1, help="How many calls, newest first."),
):
    """Show the LLM call log: model, prompt hash, tokens, attempts, latency."""
    from briefing.render import logs_table

    a = _app()
    _need_store(a)
    rows = [dict(r, error=redact(r["error"]) if r["error"] else r["error"]) for r in a.store.calls(limit)]
    if as_json:
        _print_json(rows)
    else:
        typer.echo(logs_table(rows))


@app.command()
def reindex():
    """Rebuild the Chroma index from the SQLite store (e.g. after changing the embedding model)."""
    from briefing.maintenance import reindex as run_reindex
    from briefing.render import progress_reporter

    a = _app()
    _need_store(a)
    with progress_reporter() as progress:
        n = run_reindex(a, progress)
    typer.echo(f"re-indexed {n} chunks with {a.embedder.name}")


@app.command()
def doctor(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Check that the SQLite store and the Chroma index agree, and repair what can be repaired."""
    from briefing.maintenance import doctor as run_doctor

    a = _app()
    _need_store(a)
    report = run_doctor(a)
    if as_json:
        _print_json(report)
    else:
        for key, value in report.items():
            typer.echo(f"{key}: {value}")


@app.command("eval")
def eval_cmd(
    cases: Path = typer.Option(
        Path("evals"), "--cases", help="Folder with questions.yaml, briefs.yaml, adversarial.yaml, thresholds.yaml."
    ),
    seeds: Optional[Path] = typer.Option(
        None, "--seeds", help="Articles the cases are labelled on (default: seeds/ beside the cases folder)."
    ),
    model: Optional[str] = typer.Option(
        None, "--model", help="Model name on the configured endpoint (BRIEFING_LLM_MODEL)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the whole report as JSON."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write report.json and summary.md into this folder."),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Call the model afresh instead of reusing cached responses."
    ),
    reports: Optional[tuple[Path, Path]] = typer.Option(
        None, "--compare", help="Compare two reports (report.json or their folders) and exit."
    ),
):
    """Run the eval suite on fresh stores and gate on evals/thresholds.yaml (exit 6 when a threshold is missed)."""
    from briefing.errors import ThresholdError
    from briefing.eval.report import compare
    from briefing.eval.run import run_eval
    from briefing.settings import load_settings

    if reports:
        typer.echo(compare(*reports))
        return
    overrides = {"llm_model": model} if model else {}
    result, summary, missed = run_eval(load_settings(**overrides), cases, seeds, report, not no_cache)
    if as_json:
        _print_json(result)
    else:
        typer.echo(summary)
    if missed:
        raise ThresholdError(f"eval thresholds missed: {'; '.join(missed)}", "see the report's failures")


@app.command()
def serve(
    host: str = typer.Option(
        "127.0.0.1", help="Address to listen on; 0.0.0.0 listens on every interface (set BRIEFING_API_TOKEN then)."
    ),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
):
    """Run the HTTP service: ask, briefs and documents as JSON routes; OpenAPI docs at /docs."""
    import uvicorn

    from briefing.service.app import create_app
    from briefing.settings import load_settings

    settings = load_settings()
    api = create_app(settings)
    auth = "bearer token required" if settings.api_token is not None else "no auth (BRIEFING_API_TOKEN unset)"
    typer.echo(f"serving on http://{host}:{port} (docs at /docs; {auth}); Ctrl-C stops", err=True)
    uvicorn.run(api, host=host, port=port, log_level="warning")


def _exit_at_once(rc: int) -> None:
    """`ask` has printed its answer and written everything it writes (committed): skip the interpreter's
    teardown of the vector index client and the NLP model, which takes about half a second."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(rc)


def main() -> None:
    debug = os.environ.get("BRIEFING_DEBUG", "").lower() in {"1", "true", "yes"}
    try:
        rc = app(standalone_mode=False)
        rc = rc if isinstance(rc, int) else 0
        if rc == 0 and sys.argv[1:2] == ["ask"]:
            _exit_at_once(rc)
        sys.exit(rc)
    except BriefingError as exc:
        if debug:
            raise
        typer.echo(f"error: {clean_line(exc.one_line())}", err=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors: unknown command, bad option value
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        typer.echo(f"error: {clean_line(message)} (see --help)", err=True)
        sys.exit(getattr(exc, "exit_code", 2) or 2)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: one line unless debugging
        if debug:
            raise
        first = clean_line(redact(str(exc).splitlines()[0][:200])) if str(exc) else ""
        typer.echo(
            f"error: internal error ({type(exc).__name__}: {first}); BRIEFING_DEBUG=1 shows the traceback", err=True
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
