"""The one output sanitiser: text that came from an article or a model, made safe to print in a terminal and
to escape into Markdown or HTML. ANSI escape sequences (CSI, OSC, DCS...), other C0/C1 control characters
(except newline) and bidi override characters are removed, so printed text cannot recolour, retitle or
rewrite the terminal, nor reorder what is shown."""

from __future__ import annotations

import re

_ANSI = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI ... final byte (colours, cursor moves, erase)
    # OSC ... BEL/ST (titles, hyperlinks); unterminated: to line end
    r"|(?:\x1b\]|\x9d).*?(?:\x07|\x1b\\|\x9c|(?=\n)|$)"
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f]).*?(?:\x1b\\|\x9c|(?=\n)|$)"  # DCS/SOS/PM/APC strings
    r"|\x1b[ -/]*[0-~]",  # any other two/three-byte escape
    re.DOTALL,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str | None) -> str:
    """Article-derived text without escape sequences, control characters (except newline) or bidi overrides."""
    if not text:
        return ""
    text = _ANSI.sub("", text).replace("\t", " ").replace("\r\n", "\n")
    return _CONTROL.sub("", text)
