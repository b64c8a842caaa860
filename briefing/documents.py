"""Reading articles: files, folders or stdin → cleaned Document with id, title, source, date."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import frontmatter

from briefing.dates import find_dateline, first_full_date, parse_date
from briefing.errors import InputError

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
MAX_BYTES = 5_000_000

# Page furniture: whole lines that are site chrome, not article text.
_FURNITURE_LINES = [
    re.compile(r"^\s*today\s*:.*\d{4}\s*$", re.I),  # "Today : Sep 08, 2025"
    re.compile(r"^\s*[\w\-/]*\.(jpe?g|png|gif|webp)\)?\s*$", re.I),  # stray ".jpeg)" image remnants
    re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$"),  # markdown image lines
    re.compile(r"^\s*(advertisement|share this article|read more|subscribe( now)?|sign up.*newsletter.*)\s*$", re.I),
]
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
    lines = [line.rstrip() for line in text.split("\n")]
    kept = [line for line in lines if not any(p.match(line) for p in _FURNITURE_LINES)]
    text = "\n".join(kept)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise InputError(f"{name}: file is empty", "give a file with article text")
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: looks like a binary file, not text", "give .txt, .md or .html article files")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8 text (byte {exc.start})", "convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from None


def _html_to_text(html: str) -> tuple[str, dict]:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    meta: dict = {}
    title_node = tree.css_first("meta[property='og:title']")
    if title_node and title_node.attributes.get("content"):
        meta["title"] = title_node.attributes["content"]
    elif (h1 := tree.css_first("h1")) is not None:
        meta["title"] = h1.text(strip=True)
    elif (t := tree.css_first("title")) is not None:
        meta["title"] = t.text(strip=True)
    for sel, attr in (
        ("meta[property='article:published_time']", "content"),
        ("time[datetime]", "datetime"),
        ("meta[name='date']", "content"),
    ):
        node = tree.css_first(sel)
        if node is not None and node.attributes.get(attr):
            meta["published"] = node.attributes[attr]
            break
    tree.strip_tags(["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg"])
    root = tree.css_first("article") or tree.body or tree.root
    blocks = []
    for node in root.css("h1, h2, h3, h4, p, li, blockquote, pre"):
        piece = node.text(separator=" ", strip=True)
        if piece:
            blocks.append(piece)
    text = "\n\n".join(blocks) if blocks else (root.text(separator="\n", strip=True) if root else "")
    return text, meta


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


def parse_document(data: bytes, name: str, suffix: str = ".txt") -> Document:
    """Turn raw bytes into a cleaned Document; raise InputError with a one-line reason if unusable."""
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: larger than {MAX_BYTES // 1_000_000} MB", "split it into separate articles")
    raw = _decode(data, name)
    meta: dict = {}
    if suffix in HTML_SUFFIXES or raw.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        raw, meta = _html_to_text(raw)
    elif raw.startswith("---"):
        try:
            post = frontmatter.loads(raw)
            meta, raw = dict(post.metadata), post.content
        except Exception as exc:  # malformed YAML header
            raise InputError(
                f"{name}: front matter is not valid YAML ({type(exc).__name__})", "fix the --- header or remove it"
            ) from None
    text = clean_text(raw)
    if len(text.split()) < 5:
        raise InputError(f"{name}: no article text after cleaning", "give a file with at least a sentence of text")
    published = parse_date(str(meta["published"])) if meta.get("published") else None
    if published is None and meta.get("date"):
        published = parse_date(str(meta["date"]))
    if published is None:
        published = find_dateline(text) or first_full_date(text)
    title = str(meta.get("title") or _guess_title(text, name)).strip()
    source = str(meta.get("source") or name)
    extra = {k: str(v) for k, v in meta.items() if k not in {"title", "source", "published", "date"}}
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
