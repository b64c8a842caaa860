"""Page furniture: the lines of a news page that are not sentences of the article.

Two kinds:
  * lines removed from the text when it is cleaned (they carry nothing the article says, and a date in
    them must never be taken for the publication date): photo captions and credits, read times, bylines,
    share and follow prompts, cookie notices, "Advertisement", "Updated ..." stamps;
  * lines kept in the text (they structure it) but never made sentences: subheads, headlines and bare
    datelines ("VLADIVOSTOK, September 5.", "MOSCOW (Reuters) -").
Plain text and extracted HTML go through the same rules."""

from __future__ import annotations

import re

_CREDIT = (
    r"(?:photo(?:graph)?s?|picture|image|file photo|illustration|video|credit|source|foto)\s*(?:by\b|:|/|©)|"
    r"\bap photo\b|\bgetty images\b|\bvia reuters\b|\breuters/|\bafp(?:/| via)|\bepa(?:-efe)?\s*/|\bsputnik/|\btass/|"
    r"©|\(c\)\s*\d{4}"
)
_ATTRIBUTION_LINE = re.compile(r"^\s*(?i:source)\s*:\s*[A-Z]")  # a long "Source:" line names a speaker, not a photo
_READ_TIME = re.compile(r"^.{0,80}[·|•]\s*\d+\s*min(?:ute)?s?\s+read\s*$", re.I)
_AGENCIES = r"(?:AP|AFP|Reuters|Getty Images|EPA|EPA-EFE|Bloomberg|Anadolu|Xinhua|TASS|Sputnik|Shutterstock|Alamy)"
_REMOVED = [
    # a photographer's credit opening a caption: "Stephen Brashear / AP / AP Members of the union count votes ..."
    re.compile(rf"^\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){{0,3}}\s*/\s*{_AGENCIES}\b"),
    re.compile(r"^\s*today\s*:.*\d{4}\s*$", re.I),  # "Today : Sep 08, 2025"
    re.compile(r"^\s*[\w\-/]*\.(jpe?g|png|gif|webp)\)?\s*$", re.I),  # stray ".jpeg)" image remnants
    re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$"),  # markdown image lines
    # captions and credits: a line that starts with a credit, or ends with one ("... 2025. Photo: EPA / X")
    re.compile(rf"^\s*[\[(]?\s*(?:{_CREDIT})", re.I),
    re.compile(rf"(?:^|[.!?”\"]\s|\s[|–—-]\s|\()\s*(?:{_CREDIT})[^.!?]*[)\]]?\s*$", re.I),
    # read and listen times, bylines, stamps
    re.compile(r"^\s*(?:reading time\s*:?\s*)?\d+\s*(?:-\s*)?(?:min(?:ute)?s?|mins?)\.?(?:\s+read)?\s*$", re.I),
    _READ_TIME,
    re.compile(r"^\s*listen to (?:this )?(?:article|story)\b.{0,30}$", re.I),
    re.compile(
        r"^\s*(?i:by|written by|words by|author\s*:)\s+[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){0,3}"
        r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){0,3})*"
        r"(?:\s*[,|/–—-]\s*[A-Z][\w.'’&]*(?:\s+[A-Z][\w.'’&]*){0,4})?\s*$"
    ),
    re.compile(r"^\s*\(?(?:reporting|writing|editing|additional reporting) by\b.{0,200}$", re.I),
    # prompts and site chrome
    re.compile(
        r"^\s*(?:advertisement|ad|sponsored( content)?|comments?|\d+ comments?|share|tweet|copy link|print|email|"
        r"share (?:this|the) (?:article|story|page)|share on \w+(?: and \w+)?|read more|related( stories| articles)?|"
        r"most read|trending( now)?|subscribe( now)?|sign up|log ?in|skip to (?:main )?content|"
        r"accept(?: all)?(?: cookies)?|manage cookies|cookie settings)\s*:?\s*$",
        re.I,
    ),
    re.compile(
        r"^\s*(?:read more|also read|read also|see also|related|watch|more on this story)\s*:\s*.{0,200}$", re.I
    ),
    re.compile(r"^\s*(?:sign up|subscribe)\b.{0,60}\bnewsletters?\b.{0,60}$", re.I),
    re.compile(r"^\s*follow (?:us|\w+) on\b.{0,80}$", re.I),
    re.compile(r"^\s*click here\b.{0,120}$", re.I),
    re.compile(r"^.{0,200}\buses? cookies\b.{0,200}$", re.I),
    re.compile(r"^\s*(?:©|copyright\s*(?:©|\(c\)|\d{4})).{0,150}$", re.I),
]

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATELINE = [
    # "VLADIVOSTOK, September 5." · "Moscow, 5 September 2025" · "KYIV, Sept 7 (Reuters) -" · "MOSCOW (Reuters) -"
    re.compile(
        rf"^\s*[A-Z][\w.'’\- ]{{1,40}},\s*(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?"
        r"\s*(?:\([\w .]{1,30}\))?\s*[.:—–-]?\s*$",
        re.I,
    ),
    re.compile(r"^\s*[A-Z][A-Z.'’\- ]{1,40}(?:,\s*[\w.'’ ]{1,30})?\s*\([\w .]{1,30}\)\s*[—–-]?\s*$"),
    re.compile(r"^\s*[A-Z][\w.'’\- ]{1,30}:\s*$"),  # "Moscow:"
]
_END = re.compile(r"[.!?…:;\"”’')\]]\s*$")
SUBHEAD_MAX_WORDS = 14


_STAMP = re.compile(
    r"^\s*(?P<kind>updated|last updated|last modified|modified|published|posted|first published)\b"
    r"\s*(?:on|at)?\s*:?(?P<rest>.*)$",
    re.I,
)
_DATE_WORDS = re.compile(
    rf"^(?:\d{{1,4}}(?:st|nd|rd|th|am|pm|h)?|{_MONTH}|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?|"
    r"am|pm|a\.m\.|p\.m\.|at|on|gmt|utc|cet|cest|msk|eet|eest|[a-z]{1,2}[sd]t|min|mins|minutes?|read)$",
    re.I,
)


def _stamp(line: str) -> re.Match | None:
    """ "Published 5 September 2025, 10:32 GMT", "Updated: Sep 8, 2025 · 4 min read": a time stamp, not a sentence."""
    m = _STAMP.match(line)
    if m is None:
        return None
    tokens = [t for t in re.split(r"[\s,·|•/:()+\-–—]+", m["rest"]) if t]
    return m if tokens and any(t[:1].isdigit() for t in tokens) and all(_DATE_WORDS.match(t) for t in tokens) else None


def stamped_date(text: str, head_lines: int = 12) -> str | None:
    """The date of a "Published ..." stamp near the top (not "Updated ..."), as written."""
    for line in text.split("\n")[:head_lines]:
        m = _stamp(line)
        if m and m["kind"].lower() in {"published", "posted", "first published"}:
            return m["rest"].strip(" :")
        if _READ_TIME.match(line) and re.search(r"\d{4}", line):
            return line  # "Global Desk Daily | World | Sep 6, 2025 · 2 min read": the byline's date
    return None


def is_removed(line: str) -> bool:
    """A line of page furniture that is dropped from the text (captions, credits, read times, bylines, prompts)."""
    if _ATTRIBUTION_LINE.match(line) and len(line.split()) >= 7:
        return False  # "Source: Paula Pinho, chief spokesperson for the European Commission, ...": who said it
    return bool(line.strip()) and (any(p.search(line) for p in _REMOVED) or _stamp(line) is not None)


def is_dateline(line: str) -> bool:
    return any(p.match(line) for p in _DATELINE)


def is_subhead(line: str) -> bool:
    """A short line that does not end like a sentence: a headline or subhead."""
    words = line.split()
    bullet = words and words[0] in {"-", "*", "•", "–", "—"}  # a list item is text, with or without a full stop
    return 0 < len(words) <= SUBHEAD_MAX_WORDS and not bullet and not _END.search(line)


def not_a_sentence(line: str) -> bool:
    """A whole line (paragraph) that is kept in the text but is not a sentence of the article."""
    return is_subhead(line) or is_dateline(line)


_CREDIT_LINE = re.compile(rf"^\s*[\[(]?\s*(?:{_CREDIT})", re.I)


def without_captions(text: str) -> str:
    """The text for finding a publication date in: also without the line just above a photo credit that stands
    on its own line (the caption it credits), so an archive photo's date is never the article's."""
    lines = text.split("\n")
    drop = set()
    for i, line in enumerate(lines):
        if _CREDIT_LINE.match(line) and len(line.split()) <= 12:
            j = i - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            if j >= 0:
                drop.add(j)
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


def strip_furniture(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not is_removed(line))
