"""A Briefing rendered as Markdown (for the terminal and .md viewers), one self-contained HTML file, or JSON,
plus an atomic file writer.

Everything that came from an article or from the model (quotes, titles, outlets, generated sentences, actor
names...) is treated as hostile text:
  * ANSI escape sequences, other C0/C1 control characters (except newline) and bidi override characters are
    removed (clean()), so `cat brief.md` cannot recolour or rewrite the terminal;
  * in Markdown it is escaped (md_escape()) so it cannot become an image, a link, raw HTML or a heading;
  * in HTML it is escaped with html.escape, and the page carries a Content-Security-Policy that forbids
    scripts, images, fonts and any other fetch, so a missed escape still cannot load or run anything.

Citations are numbered once per brief, in order of first appearance (headline, summary, positions, key facts,
disagreements, timeline, changes); the same passage (doc_id, start, end) always gets the same number, in every
format. Quotation is marked once, by quotation marks: a sentence in “…” is the source's own words; the sides of a
disagreement and the group headings are the program's (values, outlets); text the model wrote is marked
"(model's wording)". Each source and each footnote links to the article's URL (or file), when known.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlsplit

from briefing.brief.models import NO_POSITION, Briefing, CitedText, KeyFact, Side, TimelineEvent
from briefing.errors import InputError
from briefing.models import Citation
from briefing.safe import clean, json_dumps

FORMATS = ("md", "json", "html")
GENERATED = "(model's wording)"

# --- making untrusted text safe (clean() is briefing.safe's, shared with every terminal path) ---------------

__all__ = ["FORMATS", "clean", "h", "md_escape", "render", "to_html", "to_json", "to_markdown", "write_atomic"]

_MD_ACTIVE = re.compile(r"([\\`*_\[\]()<>!])")
_MD_LINE_START = re.compile(r"^(#|[-+=|~]|\d+[.)])")
_AUTOLINK_SCHEME = re.compile(r"(?i)\b(https?|ftp)(?=://)")
_AUTOLINK_WWW = re.compile(r"(?i)\bwww\.")


def md_escape(text: str | None) -> str:
    """Untrusted text made inert and single-line for Markdown.

    Cleans it (clean()), folds all white space (newlines included) into single spaces so it cannot start a
    block (heading, list, quote, fence), backslash-escapes the characters that make links, images, raw HTML,
    code and emphasis (\\ ` * _ [ ] ( ) < > !) and a leading #, -, +, =, |, ~ or "1.", and breaks the
    "http://" / "www." that GFM-style renderers would turn into a bare autolink (http\\://, www\\.).
    Plain `cat` stays readable: only those characters gain a backslash."""
    s = " ".join(clean(text).split())
    s = _MD_ACTIVE.sub(r"\\\1", s)
    s = _AUTOLINK_SCHEME.sub(lambda m: m.group(1) + "\\", s)
    s = _AUTOLINK_WWW.sub(lambda m: m.group(0)[:3] + "\\.", s)
    return _MD_LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], s)


def h(text: str | None) -> str:
    """Untrusted text escaped for HTML text and attribute values."""
    return html.escape(clean(text), quote=True)


# --- citation numbering --------------------------------------------------------------------------------------


def _key(c: Citation) -> tuple[str, int, int]:
    return (c.doc_id, c.start, c.end)


def _timeline(b: Briefing) -> list[TimelineEvent]:
    return sorted(b.timeline, key=lambda e: e.date)  # stable: same-day events keep the producer's order


class _Notes:
    """Global citation numbers, plus (for HTML) the ids of each marker occurrence for back-links."""

    def __init__(self, b: Briefing):
        self.number: dict[tuple[str, int, int], int] = {}
        self.citations: list[Citation] = []
        for item in b.cited_items():
            for c in item.citations:
                if _key(c) not in self.number:
                    self.number[_key(c)] = len(self.citations) + 1
                    self.citations.append(c)
        self.uses: dict[int, int] = {}

    def numbers(self, cs: list[Citation]) -> list[int]:
        out: list[int] = []
        for c in cs:
            n = self.number[_key(c)]
            if n not in out:
                out.append(n)
        return out

    def use(self, n: int) -> str:
        self.uses[n] = self.uses.get(n, 0) + 1
        return f"r{n}-{self.uses[n]}"


def _window(b: Briefing) -> str:
    days = f"{b.window_days}-day window" if b.window_days != 1 else "1-day window"
    n = len(b.documents)
    extra = len({o for d in b.documents for o in d.also_reported_by})
    sources = f"{n} source{'s' if n != 1 else ''}"
    if extra:
        sources += f" (+{extra} outlet{'s' if extra != 1 else ''} with near-duplicate copies)"
    return f"{days} ending {b.date.isoformat()} · {sources}"


def _is_quoted(item: CitedText) -> bool:
    """Extractive and actually quoting something (NO_POSITION is 'extractive' by default but quotes nothing; a
    disagreement's side is the program's statement of a value, its quotes are in the notes)."""
    return item.mode == "extractive" and bool(item.citations) and not isinstance(item, Side)


def safe_url(url: str | None) -> str | None:
    """An http(s) or file URL with anything that could end a Markdown link or an HTML attribute percent-encoded;
    None for any other scheme (javascript:, data:, ...)."""
    if not url:
        return None
    url = clean(url).strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in ("http", "https", "file"):
        return None
    return quote(url, safe=":/?#@!$&+,;=%~-._") or None


def _who(item: CitedText) -> str:
    if not item.speaker:
        return ""
    return item.speaker + (f", {item.speaker_role}" if item.speaker_role else "")


def _event_label(fact: KeyFact) -> str:
    """'Attack — Ukraine · 2025-09-07', 'Statements — Vladimir Putin · 2025-09-05', 'Also reported'."""
    if not fact.event:
        return "Also reported that day"
    kind, _, place = fact.event.partition(":")
    label = "Statements" if kind == "statement" else kind.replace("_", " ").capitalize()
    if place:
        label += f" — {place.title()}"
    return label + (f" · {fact.day.isoformat()}" if fact.day else "")


def _fact_groups(b: Briefing) -> list[tuple[str, list[KeyFact]]]:
    groups: dict[tuple[str | None, date | None], list[KeyFact]] = {}
    for k in b.key_facts:
        groups.setdefault((k.event, k.day), []).append(k)
    return [(_event_label(v[0]), v) for v in groups.values()]


def _planted(n: int) -> str:
    return f"{n} planted instruction{'s' if n > 1 else ''} to a reader or a model, never used as evidence"


def _published(p: str | None) -> str:
    return p or "date unknown"


def _legend(model: str) -> str:
    """model must already be escaped for the output format."""
    return (
        "Text in quotation marks is copied verbatim from the source its number points to (the quotes are at the "
        "end); headings, values and outlet names are the program's, read from the analysed claims; text marked "
        f"{GENERATED} was written by the model ({model}) and checked against the quotes it cites."
    )


# --- Markdown -------------------------------------------------------------------------------------------------


def to_markdown(b: Briefing) -> str:
    notes = _Notes(b)

    def cited(item: CitedText, text: str | None = None, italic: bool = False) -> str:
        text = md_escape(item.text if text is None else text)
        if _is_quoted(item) and text:
            text = f"“{text}”"
        elif italic and text:
            text = f"*{text}*"
        if isinstance(item, Side) and item.outlets:
            text += " — " + md_escape(", ".join(item.outlets))
        marks = "".join(f"[{n}]" for n in notes.numbers(item.citations))
        who = f"— {md_escape(_who(item))}" if _who(item) else ""
        parts = [text, marks, who, GENERATED if item.mode == "generated" and item.citations else ""]
        return " ".join(p for p in parts if p)

    def link(text: str, url: str | None) -> str:
        u = safe_url(url)
        return f"[{text}](<{u}>)" if u else text

    meta = _window(b) + (f" · actors: {', '.join(md_escape(a) for a in b.actors)}" if b.actors else "")
    out: list[str] = [
        f"# Brief — {b.date.isoformat()}: {cited(b.headline)}",
        "",
        meta,
        "",
        f"_{_legend(md_escape(b.model))}_",
        "",
    ]

    out += ["## Summary", ""]
    out += [cited(s) for s in b.summary]
    out.append("")

    if b.positions:
        out += ["## Positions", ""]
        for p in b.positions:
            out += [f"### {md_escape(p.actor)}", ""]
            if p.has_position:
                out.append(f"Stance: {cited(p.stance)}")
            else:
                out.append(cited(p.stance, p.stance.text if p.stance.text.strip() else NO_POSITION, italic=True))
            out.append("")
            if p.key_points:
                out += [f"- {cited(k)}" for k in p.key_points]
                out.append("")

    if b.key_facts:
        out += ["## Key facts", ""]
        for label, facts in _fact_groups(b):
            out += [f"### {md_escape(label)}", ""]
            out += [f"- {cited(k)}" for k in facts]
            out.append("")

    if b.disagreements:
        out += ["## Where the sources disagree", ""]
        for d in b.disagreements:
            out.append(f"- **{md_escape(d.topic)}**")
            out += [f"  - {cited(s)}" for s in d.sides]
        out.append("")

    if b.timeline:
        out += ["## Timeline", ""]
        for e in _timeline(b):
            rel = f" (“{md_escape(e.relative)}”)" if e.relative and e.relative.strip() else ""
            out.append(f"- {e.date.isoformat()}{rel} — {cited(e)}")
        out.append("")

    for since, changes in b.change_groups():
        out += [f"## Changes since {since.isoformat()}", ""]
        for ch in changes:
            actor = f"**{md_escape(ch.actor)}**"
            if not ch.added and not ch.dropped:
                out.append(f"- {actor}: no change.")
                continue
            out.append(f"- {actor}:")
            out += [f"  - new: {cited(a)}" for a in ch.added]
            out += [f"  - no longer stated: {md_escape(d)}" for d in ch.dropped]
        out.append("")

    if b.documents:
        out += ["## Sources", ""]
        for d in b.documents:
            also = f" · also reported by {md_escape(', '.join(d.also_reported_by))}" if d.also_reported_by else ""
            also += f" · **flagged: {_planted(d.planted_instructions)}**" if d.planted_instructions else ""
            title = link(md_escape(d.title), d.url or b.links.get(d.doc_id))
            out.append(f"- {title} — {md_escape(d.source)}, {md_escape(_published(d.published))}{also}")
        out.append("")

    if notes.citations:
        out += ["## Quotes", ""]
        for n, c in enumerate(notes.citations, 1):
            out += [
                f"[{n}] “{md_escape(c.quote)}” — {link(md_escape(c.source), b.links.get(c.doc_id))}, "
                f"{md_escape(_published(c.published))} (chars {c.start}-{c.end})",
                "",
            ]

    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


# --- HTML -----------------------------------------------------------------------------------------------------

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; form-action 'none'; "
    "base-uri 'none'"
)

_STYLE = """
:root { color-scheme: light dark; --fg: #1d1d1f; --muted: #5f6368; --bg: #fdfdfc; --rule: #d9d9d6; --accent: #1a5fb4; --mark: #fff4c2; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e6e3; --muted: #a8a8a3; --bg: #181a1b; --rule: #3a3d3f; --accent: #8ab4f8; --mark: #4a4220; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.55 Georgia, "Iowan Old Style", "Times New Roman", serif; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1, h2, h3 { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; line-height: 1.25; }
h1 { font-size: 1.7rem; margin: 0 0 .5rem; }
h1 .date { display: block; font-size: .95rem; font-weight: 600; color: var(--muted); letter-spacing: .02em; margin-bottom: .25rem; }
h2 { font-size: 1.2rem; margin: 2.2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.02rem; margin: 1.3rem 0 .3rem; }
.meta, .legend, .src, .cite, .rel { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
.meta { color: var(--muted); font-size: .9rem; margin: 0; }
.legend { color: var(--muted); font-size: .82rem; margin: .35rem 0 0; }
q { quotes: "“" "”"; } .who, .outlets, .generated { color: var(--muted); font-size: .85em; font-family: system-ui, sans-serif; }
.none { color: var(--muted); font-style: italic; }
ul { padding-left: 1.3rem; } li { margin: .3rem 0; }
.stance { margin: .2rem 0 .4rem; } .stance b { font-family: system-ui, sans-serif; font-size: .85em; }
.summary p { margin: 0 0 .6rem; }
.tl { list-style: none; padding: 0; } .tl time { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85em; color: var(--muted); margin-right: .4rem; }
.rel { font-size: .8em; color: var(--muted); }
sup { line-height: 0; font-size: .7em; font-family: system-ui, sans-serif; }
sup a { text-decoration: none; color: var(--accent); }
sup a:hover, .back:hover { text-decoration: underline; }
.src { font-size: .9rem; }
.notes { list-style: none; padding: 0; }
.notes li { display: grid; grid-template-columns: 2.6rem 1fr; margin: 0 0 1rem; border-radius: 4px; padding: .2rem .3rem; }
.notes li:target { background: var(--mark); }
.notes .n { font-family: system-ui, sans-serif; font-size: .85rem; color: var(--muted); padding-top: .2rem; }
.notes blockquote { margin: 0; padding-left: .7rem; border-left: 3px solid var(--rule); white-space: pre-wrap; overflow-wrap: anywhere; }
.notes blockquote::before { content: "“"; } .notes blockquote::after { content: "”"; }
.cite { grid-column: 2; font-size: .85rem; color: var(--muted); margin: .25rem 0 0 .7rem; }
.back { color: var(--accent); text-decoration: none; margin-left: .3rem; }
@media print { body { font-size: 11pt; background: #fff; color: #000; } .back { display: none; } main { max-width: none; } }
"""  # noqa: E501


def to_html(b: Briefing) -> str:
    notes = _Notes(b)

    def marks(cs: list[Citation]) -> str:
        out = []
        for n in notes.numbers(cs):
            rid = notes.use(n)
            out.append(f'<sup><a href="#q{n}" id="{rid}">[{n}]</a></sup>')
        return "".join(out)

    def cited(item: CitedText, text: str | None = None) -> str:
        t = h(item.text if text is None else text)
        if _is_quoted(item):
            t = f"<q>{t}</q>"
        if isinstance(item, Side) and item.outlets:
            t += f' <span class="outlets">— {h(", ".join(item.outlets))}</span>'
        who = f' <span class="who">— {h(_who(item))}</span>' if _who(item) else ""
        gen = f' <span class="generated">{GENERATED}</span>' if item.mode == "generated" and item.citations else ""
        return f"<span>{t}{marks(item.citations)}{who}{gen}</span>"

    def link(text_html: str, url: str | None) -> str:
        u = safe_url(url)
        return f'<a href="{h(u)}" rel="noopener noreferrer">{text_html}</a>' if u else text_html

    title = f"Brief — {b.date.isoformat()}: {clean(b.headline.text)}"
    actors = f" · actors: {', '.join(b.actors)}" if b.actors else ""
    body: list[str] = [
        "<header>",
        f'<h1><span class="date">Brief — {b.date.isoformat()}</span>{cited(b.headline)}</h1>',
        f'<p class="meta">{h(_window(b) + actors)}</p>',
        f'<p class="legend">{_legend(h(b.model))}</p>',
        "</header>",
        '<section class="summary" id="summary"><h2>Summary</h2>',
        *[f"<p>{cited(s)}</p>" for s in b.summary],
        "</section>",
    ]

    if b.positions:
        body.append('<section id="positions"><h2>Positions</h2>')
        for p in b.positions:
            body.append(f"<h3>{h(p.actor)}</h3>")
            if p.has_position:
                body.append(f'<p class="stance"><b>Stance:</b> {cited(p.stance)}</p>')
            else:
                none = p.stance.text if p.stance.text.strip() else NO_POSITION
                body.append(f'<p class="stance none">{cited(p.stance, none)}</p>')
            if p.key_points:
                body += ["<ul>", *[f"<li>{cited(k)}</li>" for k in p.key_points], "</ul>"]
        body.append("</section>")

    if b.key_facts:
        body.append('<section id="key-facts"><h2>Key facts</h2>')
        for label, facts in _fact_groups(b):
            body += [f"<h3>{h(label)}</h3>", "<ul>", *[f"<li>{cited(k)}</li>" for k in facts], "</ul>"]
        body.append("</section>")

    if b.disagreements:
        body.append('<section id="disagreements"><h2>Where the sources disagree</h2>')
        for d in b.disagreements:
            body += [f"<h3>{h(d.topic)}</h3>", "<ul>", *[f"<li>{cited(s)}</li>" for s in d.sides], "</ul>"]
        body.append("</section>")

    if b.timeline:
        body.append('<section id="timeline"><h2>Timeline</h2><ul class="tl">')
        for e in _timeline(b):
            rel = f' <span class="rel">(“{h(e.relative)}”)</span>' if e.relative and e.relative.strip() else ""
            body.append(f'<li><time datetime="{e.date.isoformat()}">{e.date.isoformat()}</time>{rel} {cited(e)}</li>')
        body.append("</ul></section>")

    for since, changes in b.change_groups():
        body.append(f'<section class="changes"><h2>Changes since {since.isoformat()}</h2><ul>')
        for ch in changes:
            if not ch.added and not ch.dropped:
                body.append(f"<li><b>{h(ch.actor)}</b>: no change.</li>")
                continue
            items = [f"<li>new: {cited(a)}</li>" for a in ch.added] + [
                f"<li>no longer stated: {h(d)}</li>" for d in ch.dropped
            ]
            body.append(f"<li><b>{h(ch.actor)}</b>:<ul>{''.join(items)}</ul></li>")
        body.append("</ul></section>")

    if b.documents:
        body.append('<section id="sources"><h2>Sources</h2><ul class="src">')
        for d in b.documents:
            also = f" · also reported by {h(', '.join(d.also_reported_by))}" if d.also_reported_by else ""
            also += f" · <b>flagged: {_planted(d.planted_instructions)}</b>" if d.planted_instructions else ""
            title = link(f"<cite>{h(d.title)}</cite>", d.url or b.links.get(d.doc_id))
            body.append(f"<li>{title} — {h(d.source)}, {h(_published(d.published))}{also}</li>")
        body.append("</ul></section>")

    if notes.citations:
        body.append('<section id="quotes"><h2>Quotes</h2><ol class="notes">')
        for n, c in enumerate(notes.citations, 1):
            uses = notes.uses.get(n, 0)
            backs = "".join(
                f'<a class="back" href="#r{n}-{k}" title="back to the text">↩{"" if uses == 1 else k}</a>'
                for k in range(1, uses + 1)
            )
            body.append(
                f'<li id="q{n}"><span class="n">[{n}]</span><blockquote>{h(c.quote)}</blockquote>'
                f'<p class="cite">— {link(h(c.source), b.links.get(c.doc_id))}, {h(_published(c.published))} · '
                f"<cite>{h(c.title)}</cite> "
                f"(chars {c.start}-{c.end}){backs}</p></li>"
            )
        body.append("</ol></section>")

    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en">',
                "<head>",
                '<meta charset="utf-8">',
                f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
                '<meta name="referrer" content="no-referrer">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{h(title)}</title>",
                f"<style>{_STYLE}</style>",
                "</head>",
                "<body>",
                "<main>",
                *body,
                "</main>",
                "</body>",
                "</html>",
            ]
        )
        + "\n"
    )


# --- JSON, dispatch, writing ------------------------------------------------------------------------------------


def to_json(b: Briefing) -> str:
    """The Briefing as stored, with control characters and bidi overrides JSON-escaped (terminal-safe)."""
    return json_dumps(b.model_dump(mode="json"), indent=2)


def render(b: Briefing, fmt: str) -> str:
    f = (fmt or "").strip().lower()
    if f == "md":
        return to_markdown(b)
    if f == "json":
        return to_json(b)
    if f == "html":
        return to_html(b)
    raise InputError(f"unknown format {fmt!r}", "use md, json or html")


def write_atomic(path: Path, text: str) -> None:
    """Write text (UTF-8) to path so readers see the old file or the whole new one, never a partial file:
    a temp file in the same folder, fsync, os.replace, then fsync the folder. An existing file keeps its mode."""
    path = Path(path)
    parent = path.parent
    if not parent.exists():
        raise InputError(
            f"cannot write {path}: the folder {parent} does not exist", "create it first or choose another path"
        )
    if not parent.is_dir():
        raise InputError(f"cannot write {path}: {parent} is not a folder", "choose another path")
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a folder", "give a file name")
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    except OSError:
        mode = 0o644
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}", "check the folder's permissions") from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise InputError(f"cannot write {path}: {e.strerror or e}", "check the path and free disk space") from e
        raise
    try:
        dfd = os.open(parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)
