"""Write an HTML page, on two cores for a long document: two halves joined.

The first half is the page (template, head, title block) with a seam after its last
block; the second is its body alone (``halves``). Pandoc numbers footnotes from 1 in
each and lists them at the end of each: the second half's notes are renumbered after
the first half's and join its list. The joined page is the one pandoc writes whole,
byte for byte (``tests/test_html_halves.py``). If anything is not as expected (pandoc
marked its notes differently, the seam is not found once), the page is written whole.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import halves, pandoc
from .model import WriteOptions

_NOTES = re.compile(r'<section id="footnotes" class="footnotes footnotes-end-of-document"'
                    r' role="doc-endnotes">\n<hr />\n<ol>\n(.*?)</ol>\n</section>\n?', re.S)
_NOTE_REF = re.compile(r'<a href="#fn(\d+)" class="footnote-ref" id="fnref(\d+)"'
                       r' role="doc-noteref"><sup>(\d+)</sup></a>')
_NOTE = re.compile(r'<li id="fn(\d+)">')
_BACK = re.compile(r'<a href="#fnref(\d+)" class="footnote-back" role="doc-backlink">')


def write_html(split: halves.Split, options: WriteOptions, tmp: Path, *,
               two_cores: bool = True) -> list[str]:
    """Write ``split`` to ``tmp`` as HTML; return pandoc's warnings."""
    if two_cores and split.cut is not None:
        second = tmp.with_name(tmp.name + ".half")
        try:
            written = halves.write_both(split, "html", tmp, second, options, _read)
            if written is not None:
                warnings, (first_page, second_page) = written
                # the second half's notes, to be found: counted where it is cut from
                notes = split.head.count(b'"t":"Note"') + split.whole.count(b'"t":"Note"',
                                                                            split.cut)
                page = join(first_page, second_page, notes)
                if page is not None:
                    tmp.write_text(page, encoding="utf-8")
                    return warnings
        except pandoc.PandocError:
            pass  # the whole page's writing says what is wrong
        finally:
            second.unlink(missing_ok=True)
    return pandoc.write(split.whole, "html", tmp, options)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def join(first: str, second: str, notes_expected: int) -> str | None:
    """The page ``first`` with the body ``second`` (holding ``notes_expected`` notes) at
    its seam; None if either is not as pandoc writes them."""
    if first.count(halves.SEAM) != 1:
        return None
    before, after = first.split(halves.SEAM)
    before = before.removesuffix("\n")
    body, found = _parts(second.removesuffix("\n"))
    notes = found.group(1) if found else None
    if len(_NOTE.findall(notes or "")) != notes_expected:  # pandoc marked them otherwise
        return None
    if notes is None:
        return before + "\n" + body + after
    ours = _NOTES.search(after)
    count = len(_NOTE.findall(ours.group(1))) if ours else 0
    body, notes = _renumbered(body, notes, count)
    if body is None:
        return None
    if ours is None:  # the first half has no notes: the second half's list (numbered from
        # 1, as the renumbering left it) ends the body
        return before + "\n" + body + "\n" + found.group(0).removesuffix("\n") + after
    joined = after[:ours.start(1)] + ours.group(1) + notes + after[ours.end(1):]
    return before + "\n" + body + joined


def _parts(second: str) -> tuple[str, re.Match | None]:
    """The second half's blocks, and its notes' section (None if it has none)."""
    found = _NOTES.search(second)
    if found is None:
        return second, None
    return second[:found.start()].removesuffix("\n"), found


def _renumbered(body: str, notes: str, after: int) -> tuple[str | None, str]:
    """Note numbers moved past the first half's ``after``; None if the references and
    the notes do not pair up one to one, in order (then the page is written whole)."""
    refs = [int(m.group(1)) for m in _NOTE_REF.finditer(body)]
    listed = [int(m.group(1)) for m in _NOTE.finditer(notes)]
    if refs != list(range(1, len(refs) + 1)) or listed != refs:
        return None, notes

    def ref(m: re.Match) -> str:
        n = int(m.group(1)) + after
        return (f'<a href="#fn{n}" class="footnote-ref" id="fnref{n}" '
                f'role="doc-noteref"><sup>{n}</sup></a>')

    body = _NOTE_REF.sub(ref, body)
    notes = _NOTE.sub(lambda m: f'<li id="fn{int(m.group(1)) + after}">', notes)
    notes = _BACK.sub(lambda m: f'<a href="#fnref{int(m.group(1)) + after}" class='
                                f'"footnote-back" role="doc-backlink">', notes)
    return body, notes
