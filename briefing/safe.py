"""The one output sanitiser: text that came from an article or a model, made safe to print in a terminal and
to escape into Markdown or HTML. ANSI escape sequences (CSI, OSC, DCS...), other C0/C1 control characters
(except newline) and bidi override characters are removed, and lone surrogates (undecodable bytes) become
U+FFFD, so printed text cannot recolour, retitle, rewrite or crash the terminal, nor reorder what is shown.
JSON printed to a terminal writes the same characters as \\u escapes (json_dumps)."""

from __future__ import annotations

import json
import re

_ANSI = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI ... final byte (colours, cursor moves, erase)
    # OSC ... BEL/ST (titles, hyperlinks); unterminated: to line end
    r"|(?:\x1b\]|\x9d).*?(?:\x07|\x1b\\|\x9c|(?=\n)|$)"
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f]).*?(?:\x1b\\|\x9c|(?=\n)|$)"  # DCS/SOS/PM/APC strings
    r"|\x1b[ -/]*[0-~]",  # any other two/three-byte escape
    re.DOTALL,
)
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{BIDI}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_UNSAFE = re.compile(f"[\\x7f-\\x9f{BIDI}\ud800-\udfff]")


def clean(text: str | None) -> str:
    """Text without escape sequences, control characters (except newline) or bidi overrides."""
    if not text:
        return ""
    text = _ANSI.sub("", str(text)).replace("\t", " ").replace("\r\n", "\n")
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))


def clean_line(text: str | None) -> str:
    """clean(), on one line."""
    return " ".join(clean(text).split())


def json_dumps(obj, **kwargs) -> str:
    """JSON for a terminal: C0 controls are escaped by json itself; C1 controls, bidi overrides and lone
    surrogates are written as \\u escapes too (the same value for a JSON reader)."""
    text = json.dumps(obj, ensure_ascii=False, **kwargs)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
