"""Reading articles: files, folders or stdin → cleaned Document with id, title, source, date."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from briefing import front_matter
from briefing.dates import (
    dateline_in_year,
    find_dateline,
    first_full_date,
    latest_month_day,
    parse_date,
    wire_dateline,
)
from briefing.errors import InputError
from briefing.furniture import stamped_date, strip_furniture, without_captions

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
MAX_BYTES = 5_000_000
# A longer paragraph (line) is refused: articles are not written so, and splitting it would hold the ingest lock.
MAX_LINE_CHARS = 100_000
MONTH_DAY = "month_day"  # meta: the report's month and day ("--09-07") when the text gives no year

_META_CHARSET = re.compile(rb"<meta[^>]{0,100}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]{2,30})", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


@dataclass
class Document:
    id: str
    title: str
    source: str
    published: date | None
    text: str
    meta: dict = field(default_factory=dict)


def content_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def clean_text(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text.replace("\x1b", ""))
    text = strip_furniture("\n".join(line.rstrip() for line in text.split("\n")))
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _decode(data: bytes, name: str, encoding: str | None = None) -> str:
    if not data.strip():
        raise InputError(f"{name}: file is empty", "give a file with article text")
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: looks like a binary file, not text", "give .txt, .md or .html article files")
    if encoding is None and (m := _META_CHARSET.search(data[:4096])):
        encoding = m.group(1).decode("ascii")  # an HTML page that declares its own charset
    if encoding and encoding.lower().replace("_", "-") not in {"utf-8", "utf8"}:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            raise InputError(
                f"{name}: not valid {encoding} text (its declared charset)",
                "save it and convert it, e.g. iconv -t utf-8",
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8 text (byte {exc.start})", "convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from None


def _html_to_text(html: str, name: str, url: str | None) -> tuple[str, dict]:
    from briefing.extract import NotAnArticle, extract_html

    try:
        page = extract_html(html, name, url)
    except NotAnArticle as exc:
        raise InputError(exc.message, exc.hint) from None
    meta = {
        "title": page.title,
        "published": page.published,
        "author": page.author,
        "site_name": page.site_name,
        "url": url,
        "canonical_url": page.canonical_url,
    }
    if url:
        meta["source"] = (
            f"{page.site_name} ({page.canonical_url or url})" if page.site_name else (page.canonical_url or url)
        )
    return page.text, {k: v for k, v in meta.items() if v}


def _guess_title(text: str, fallback: str) -> str:
    """A headline-like line before the first paragraph, else the opening sentence, shortened."""
    for line in text.split("\n"):
        words = line.split()
        if len(words) > 25:
            break
        if 3 <= len(words) <= 20 and not line.rstrip().endswith((".", ":")) and not parse_date(line):
            return line.strip()
    body = " ".join(line for line in text.split("\n") if len(line.split()) > 25) or text
    first = re.split(r"(?<=[.!?])\s", body.strip(), maxsplit=1)[0]
    return (first[:97].rsplit(" ", 1)[0] + "...") if len(first) > 100 else (first or fallback)


def parse_document(
    data: bytes, name: str, suffix: str = ".txt", url: str | None = None, encoding: str | None = None
) -> Document:
    """Turn raw bytes into a cleaned Document; raise InputError with a one-line reason if unusable.
    url: where the page was fetched from (its source); encoding: the charset the server declared."""
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: larger than {MAX_BYTES // 1_000_000} MB", "split it into separate articles")
    raw = _decode(data, name, encoding)
    meta: dict = {}
    if suffix in HTML_SUFFIXES or raw.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        raw, meta = _html_to_text(raw, name, url)
    elif raw.startswith("---"):
        try:
            meta, raw = front_matter.split(raw, name)
        except front_matter.FrontMatterError as exc:
            raise InputError(exc.message, exc.hint) from None
    if not meta.get("published") and not meta.get("date") and (stamp := stamped_date(raw)):
        meta["published"] = stamp  # "Published: 5 September 2025" (the stamp line itself is furniture)
    text = clean_text(raw)
    longest = max(map(len, text.split("\n")), default=0)
    if longest > MAX_LINE_CHARS:
        raise InputError(
            f"{name}: a paragraph of {longest:,} characters (the limit is {MAX_LINE_CHARS:,}); "
            "it is not article text as written",
            "break it into paragraphs (one per line) or into separate articles",
        )
    if len(text.split()) < 5:
        raise InputError(f"{name}: no article text after cleaning", "give a file with at least a sentence of text")
    published = parse_date(str(meta["published"])) if meta.get("published") else None
    if published is None and meta.get("date"):
        published = parse_date(str(meta["date"]))
    if published is None:
        dating = clean_text(without_captions(raw))  # (a caption's date is never the article's)
        published = find_dateline(dating)
        if published is None and (month_day := wire_dateline(dating)):
            published = dateline_in_year(month_day, dating)
            if published is None:  # "KYIV, Sept 7 (Reuters) -": the year comes from the collection at ingest
                meta[MONTH_DAY] = "--%02d-%02d" % month_day
        if published is None and MONTH_DAY not in meta:
            published = first_full_date(dating)
        if published is None and (month_day := latest_month_day(dating)):
            meta[MONTH_DAY] = "--%02d-%02d" % month_day  # "in the early hours of September 7": not before it
    title = front_matter.bounded(meta.get("title") or _guess_title(text, name)).strip()
    source = front_matter.bounded(meta.get("source") or name)
    extra = {k: front_matter.bounded(v) for k, v in meta.items() if k not in {"title", "source", "published", "date"}}
    return Document(id=content_id(text), title=title, source=source, published=published, text=text, meta=extra)


def collect_paths(paths: list[Path]) -> list[Path]:
    """Expand folders into ingestible files; every named path must exist."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder", "check the path")
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
            )
            if not files:
                raise InputError(f"{path}: folder has no .txt, .md or .html files", "point at a folder of articles")
            found.extend(files)
        else:
            found.append(path)
    return found


def read_path(path: Path) -> Document:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"{path}: unsupported file type {suffix or '(none)'}", "give .txt, .md or .html files")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})", "check permissions") from None
    doc = parse_document(data, path.name, suffix)
    doc.meta.setdefault("path", str(path.resolve()))  # where it was read from: a brief links a source to its file
    return doc
