"""CSL title case as pandoc's citeproc applies it, so both engines agree on titles.

Only all-lowercase ASCII words change; stop words (CSL 1.0.1's list plus name
particles) stay lower unless first, after a colon or full stop, or last; words after
"-", "/" or a dash count as new words ("E-Commerce", "Residue–Residue"); mixed-case
words such as "deepTarget" or "arXiv" are the author's and are kept.
"""

from __future__ import annotations

import re

# Title-case stop words as pandoc's citeproc has them (CSL 1.0.1's, plus name particles).
STOP_WORDS = frozenset(re.findall(r"\w+", """a an and as at but by down for from in into nor of on
onto or over so the till to up via with yet about van von de d l"""))
_BREAKS = "-/\u2013\u2014"


def title_case(segments: list[tuple[str, bool]]) -> list[str]:
    """CSL title case over text segments (``(text, protected)``), by the rules of pandoc's
    citeproc: only all-lowercase ASCII words change; stop words stay lower except first,
    after a colon or full stop, or last; words after "-", "/" or a dash count as new."""
    chunks: list[tuple[int, str, bool]] = []
    for n, (text, protected) in enumerate(segments):
        chunks += [(n, c, protected) for c in _chunks(text)]
    words = [i for i, (_, c, _) in enumerate(chunks) if c.isalnum()]
    last = words[-1] if words else -1
    out = ["" for _ in segments]
    state = "start"
    for i, (n, chunk, protected) in enumerate(chunks):
        if chunk.isalnum() and not protected:
            if i == last and state == "wordend":
                state = "last"
            chunk = _title_word(chunk, state)
        out[n] += chunk
        end = chunk[-1]
        if end in ".?!:":
            state = "sentend"
        elif end.isalnum():
            state = "wordchar"
        elif end.isspace():
            state = "sentence" if state in ("sentend", "sentence") else "wordend"
        elif end in _BREAKS:
            state = "wordend"
    return out


# The chunks title casing works on: a run of ASCII letters and digits, a run of other
# letters and digits, a run of white space, or one other character. ``\w`` less "_" is
# exactly what ``str.isalnum`` accepts, and ``\s`` what ``str.isspace`` does.
_CHUNK = re.compile(r"[A-Za-z0-9]+|(?:(?![A-Za-z0-9])[^\W_])+|\s+|.", re.DOTALL)


def _chunks(text: str) -> list[str]:
    return _CHUNK.findall(text)


def _title_word(word: str, state: str) -> str:
    # A word with a capital (the author's "NASA", "deepTarget") or with no letter to
    # change (digits; a non-ASCII word) is kept as it is.
    if not (word.isascii() and word.islower()):
        return word
    if state in ("start", "sentence") or (state == "wordend" and word not in STOP_WORDS
                                         and len(word) > 1) or (state == "last" and len(word) > 1):
        return word[:1].upper() + word[1:]
    return word
