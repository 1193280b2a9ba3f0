"""Answers read from one returned DOCX form, control by control.

Each control is found by its tag (``apecdocs:<column>``); when a respondent's word
processor removed it, the answer's bookmark still marks where it was, and the text
typed there is read instead (a note says so). A box ticked by typing "X" beside it is
read as ticked. Anything that cannot be read is a problem naming the file and question.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from apecdocs.errors import ApecdocsError
from apecdocs.labels import label

from . import questionnaire_labels
from .questionnaire import Question, Questionnaire
from .questionnaire_docx import CHOOSE, PLACEHOLDER, TAG, W14, bookmark, option_key

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TICKS = {"x", "☒", "☑", "✓", "✔", "✗", "✘", "■", "⊠"}
_TICK = re.compile(r"(?<!\w)(x|X|☒|☑|✓|✔|✗|✘|■|⊠)(?!\w)")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Issue:
    """Something about one answer of one file: a note (read in a fallback way), a
    warning (missing required answer) or an error (the answer cannot be stored)."""

    file: Path
    question: str
    message: str
    severity: str = "error"
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.file.name}, {self.question}" if self.question else self.file.name
        text = f"{where}: {self.message}"
        return f"{text.rstrip('.')}. {self.hint}" if self.hint else text


@dataclass
class Control:
    kind: str  # checkbox | text
    checked: bool = False
    text: str = ""


@dataclass
class Reading:
    """What one form says, before it is checked against the definition."""

    file: Path
    controls: dict[str, Control] = field(default_factory=dict)
    places: dict[str, tuple[str, str]] = field(default_factory=dict)  # bookmark -> (outside, all)


class UnreadableForm(ApecdocsError):
    """The file is no DOCX form of this questionnaire; nothing is written."""


def _text(node: etree._Element) -> str:
    parts = []
    for el in node.iter(w("t"), w("tab"), w("br"), w("p")):
        if el.tag == w("t"):
            parts.append(el.text or "")
        elif el.tag == w("tab"):
            parts.append(" ")
        elif parts:
            parts.append("\n")
    return "".join(parts).strip()


def _tag(sdt: etree._Element) -> str | None:
    tag = sdt.find(f"{w('sdtPr')}/{w('tag')}")
    value = tag.get(w("val")) if tag is not None else None
    return value[len(TAG):] if value and value.startswith(TAG) else None


def _control(sdt: etree._Element, placeholders: set[str]) -> Control:
    pr = sdt.find(w("sdtPr"))
    content = sdt.find(w("sdtContent"))
    text = _text(content) if content is not None else ""
    box = pr.find(f"{{{W14}}}checkbox") if pr is not None else None
    if box is not None:
        checked = box.find(f"{{{W14}}}checked")
        value = checked.get(f"{{{W14}}}val") if checked is not None else None
        if value is None:
            return Control("checkbox", text.strip().lower() in TICKS, text)
        return Control("checkbox", value in ("1", "true", "on"), text)
    if text.startswith("☐") or text.startswith("☒"):  # a box whose w14 part was dropped
        return Control("checkbox", text.startswith("☒"), text)
    if pr is not None and pr.find(w("showingPlcHdr")) is not None or text in placeholders:
        text = ""
    return Control("text", False, text)


_CONTROL_KINDS = ("checkbox", "dropDownList", "comboBox", "text", "showingPlcHdr")


def _is_control(sdt: etree._Element) -> bool:
    """A control holding an answer, not a block that wraps paragraphs (some word
    processors wrap a control's paragraph in one when they save)."""
    pr = sdt.find(w("sdtPr"))
    if pr is not None and any(etree.QName(c).localname in _CONTROL_KINDS for c in pr):
        return True
    return sdt.find(f".//{w('sdt')}") is None


def _keys(root: etree._Element, names: dict[str, str]) -> dict[etree._Element, str]:
    """The column of each control: its tag, else the answer bookmark in or around it (a
    word processor may drop tags but keep bookmarks, sometimes moved inside)."""
    out: dict[etree._Element, str] = {}
    opened: dict[str, str] = {}
    for _event, el in etree.iterwalk(root, events=("start",)):
        if el.tag == w("bookmarkStart") and el.get(w("name")) in names:
            opened[el.get(w("id"))] = el.get(w("name"))
        elif el.tag == w("bookmarkEnd"):
            opened.pop(el.get(w("id")), None)
        elif el.tag == w("sdt"):
            key = _tag(el)
            if key is None and _is_control(el):
                inside = [b.get(w("name")) for b in el.iter(w("bookmarkStart"))
                          if b.get(w("name")) in names]
                name = inside[0] if inside else (list(opened.values())[-1] if opened else None)
                key = names.get(name) if name else None
            if key is not None and key not in out.values():
                out[el] = key
    return out


def read(path: Path, langs: list[str], keys: list[str]) -> Reading:
    """Every control and every answer place of the form at ``path``; ``keys`` are the
    columns (and option boxes) the definition expects."""
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml")
    except FileNotFoundError:
        raise UnreadableForm("file not found", file=path) from None
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise UnreadableForm(f"not a readable DOCX file ({exc})", file=path,
                             hint="Save the returned form as a Word document (.docx).") from None
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        raise UnreadableForm(f"the document part is damaged ({exc})", file=path) from None
    questionnaire_labels.register()
    placeholders = {label(PLACEHOLDER, lang) for lang in langs}
    placeholders |= {label(CHOOSE, lang) for lang in langs}
    names = {bookmark(k): k for k in keys}
    controls = _keys(root, names)
    reading = Reading(path)
    for sdt, key in controls.items():
        reading.controls[key] = _control(sdt, placeholders)
    opened: dict[str, str] = {}  # bookmark id -> name
    outside: dict[str, list[str]] = {}
    whole: dict[str, list[str]] = {}
    depth = 0  # inside a control
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if el.tag == w("sdt") and el in controls:
            depth += 1 if event == "start" else -1
        elif event == "start" and el.tag == w("bookmarkStart") and el.get(w("name")) in names:
            opened[el.get(w("id"))] = el.get(w("name"))
            outside.setdefault(el.get(w("name")), [])
            whole.setdefault(el.get(w("name")), [])
        elif event == "start" and el.tag == w("bookmarkEnd"):
            opened.pop(el.get(w("id")), None)
        elif event == "end" and el.tag in (w("t"), w("tab"), w("p")):
            piece = el.text or "" if el.tag == w("t") else (" " if el.tag == w("tab") else "\n")
            for name in opened.values():
                whole[name].append(piece)
                if not depth:
                    outside[name].append(piece)
    reading.places = {n: ("".join(outside[n]).strip(), "".join(whole[n]).strip()) for n in whole}
    if not reading.controls and not reading.places:
        raise UnreadableForm("no answers of this questionnaire in the file (no form controls "
                             "and no marked answer places)", file=path,
                             hint="Collect the forms built by 'apecdocs build questionnaire'.")
    return reading


def expected_keys(definition: Questionnaire) -> list[str]:
    """Every control the form of ``definition`` has: option boxes and answer columns."""
    keys = []
    for q in definition.questions:
        if q.kind in ("single", "multiple", "yes_no", "rating"):
            count = q.scale[1] - q.scale[0] + 1 if q.kind == "rating" else len(q.choices)
            keys += [option_key(q.id, i) for i in range(count)]
            keys += q.columns_keys()[1:]
        else:
            keys += ["economy"] if q.kind == "economy" else q.columns_keys()
    return keys


def _tick_in(text: str, label_text: str) -> bool:
    return bool(_TICK.search(text)) and not _TICK.search(label_text)


def choices(reading: Reading, q: Question, labels: list[str]) -> tuple[list[int], list[Issue]]:
    """The indexes ticked among ``labels`` (the option texts), and how they were read."""
    ticked, issues = [], []
    for i, text in enumerate(labels):
        key = option_key(q.id, i)
        control = reading.controls.get(key)
        outside, _whole = reading.places.get(bookmark(key), ("", ""))
        if control is not None and control.checked:
            ticked.append(i)
        elif _tick_in(re.sub(r"(?<!\w)[a-z]\.(?!\w)", " ", outside.replace(text, " ")), text):
            ticked.append(i)
            issues.append(Issue(reading.file, q.id, f"read the mark typed beside '{text}' as a "
                                "tick", "note"))
        elif control is None and bookmark(key) not in reading.places:
            issues.append(Issue(reading.file, q.id, f"the box of option '{text}' is gone and "
                                "its place cannot be found", "error",
                                "Ask the economy to tick it on a fresh copy of the form."))
    return ticked, issues


def text(reading: Reading, q: Question, key: str) -> tuple[str, list[Issue]]:
    """The text answer in column ``key``: its control's, else what was typed in its place."""
    control = reading.controls.get(key)
    if control is not None:
        return control.text, []
    place = reading.places.get(bookmark(key))
    if place is None:
        return "", [Issue(reading.file, q.id, f"the answer box of {key} is gone and its place "
                          "cannot be found", "error", "Type the answer into the responses file "
                          "by hand, or ask for a fresh copy of the form.")]
    typed = place[1].strip()
    if not typed:
        return "", []
    return typed, [Issue(reading.file, q.id, f"the answer box of {key} was typed over; read "
                         f"'{typed[:60]}' from its place", "note")]


def form_answers(reading: Reading, definition: Questionnaire,
                 option_text: dict[str, list[str]]) -> tuple[dict[str, str], list[Issue]]:
    """Every column's raw text from the form, before checking: options by short name."""
    raw: dict[str, str] = {}
    issues: list[Issue] = []
    for q in definition.questions:
        if q.kind in ("single", "multiple", "yes_no", "rating"):
            ticked, found = choices(reading, q, option_text[q.id])
            issues += found
            if q.kind == "rating":
                raw[q.id] = "; ".join(str(q.scale[0] + i) for i in ticked)
            else:
                raw[q.id] = "; ".join(q.choices[i].short for i in ticked)
            for key in q.columns_keys()[1:]:
                raw[key], found = text(reading, q, key)
                issues += found
        else:
            for key in (["economy"] if q.kind == "economy" else q.columns_keys()):
                raw[key], found = text(reading, q, key)
                issues += found
    return raw, issues
