"""APEC document types, front matter, economy names and checks, through public hooks.

Registered through the ``apecdocs`` entry-point group (see pyproject.toml), exactly
as a third party's plugin would be.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from apecdocs import DocumentType, Finding, Location, hookimpl, yamlcheck
from apecdocs.labels import canonical, label
from apecdocs.loader import read_yaml
from apecdocs.localize import date_text, list_text

from . import agenda as agenda_mod
from . import economies, frontmatter, style
from .agenda_schema import AGENDA_SCHEMA
from .economy_names import local_name
from .validate import isbn13_problem, project_number_problem, publication_number_problem

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"

_text = {"type": "string"}
ACRONYMS = {"type": "object", "description": "ACRONYM: expansion, one a line",
            "additionalProperties": {"type": ["string", "number"]}}
_lines = {"type": "array", "items": _text}
MEETING_DOCUMENT = {
    "type": "object", "additionalProperties": False,
    "description": "Cover block of a document circulated to a forum.",
    "properties": {"number": {"type": "string", "pattern": r"^\d{4}/[A-Za-z0-9]+/[A-Za-z0-9]+/\d+$",
                              "description": "year/meeting/forum/number, e.g. 2019/SOM3/ECSG/012"},
                   "agenda_item": {"type": ["string", "integer"]},
                   "purpose": {"enum": ["Information", "Consideration", "Approval", "Discussion"]},
                   "submitted_by": _text, "meeting": _text, "place": _text, "date": _text},
}
PUBLICATION_META = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "subtitle": _text,
        "forum_line": {"type": "string", "description": "e.g. APEC Electronic Commerce Steering Group"},
        "date": {"type": "string", "description": "Month and year on the cover, e.g. December 2019"},
        "year": {"type": "integer", "description": "Publication (copyright) year"},
        "publication_number": {"type": "string", "description": "APEC#2YY-CC-TT.N or 'to be provided'"},
        "isbn": _text,
        "produced_by": {"type": "object", "additionalProperties": False,
                        "properties": {"name": _text, "address": _lines, "contact": _lines}},
        "licence": _text, "disclaimer": _text,
        "logo": {"type": "string", "description": "Logo image in the project (none is shipped)"},
        "acronyms": {"type": "string", "description": "YAML file: acronym -> expansion"},
    },
}
AGENDA_META = {
    "type": "object", "additionalProperties": False,
    "properties": {"data": {"type": "string", "description": "Name under data: (default agenda)"},
                   "meeting_document": MEETING_DOCUMENT,
                   "gender_max_share": {"type": "number", "minimum": 0.5, "maximum": 1,
                                        "description": "Largest share of one sex among "
                                        "speakers, chairs and moderators (default 0.6); "
                                        "apecdocs check reports it"}},
}
SPEAKERS_META = {
    "type": "object", "additionalProperties": False,
    "properties": {"data": {"type": "string", "description": "Name under data: (default agenda)"},
                   "meeting_document": MEETING_DOCUMENT},
}
CIRCULAR_META = {
    "type": "object", "additionalProperties": False, "required": ["heading"],
    "properties": {
        "kind": {"enum": ["call-for-nominations", "draft-for-comment", "final-approval", "other"],
                 "description": "What the circular asks for. Not printed by apecdocs; "
                                "templates see it as document.kind."},
        "heading": {"type": "string", "description": "e.g. Call for Nominations of Speakers"},
        "circular_number": {"type": "integer"},
        "place": _text, "dates": _text,
        "release_date": {"type": "string", "format": "date"},
        "deadline": {"type": "string", "format": "date"},
        "meeting_document": MEETING_DOCUMENT,
        "contacts": {"type": "array", "description": "People to contact, printed under a "
                     "Contacts heading at the end of the circular.",
                     "items": {"type": "object", "additionalProperties": False,
                               "required": ["name"],
                               "properties": {"role": {"type": "string", "description":
                                                       "e.g. Project Overseer"},
                                              "name": _text, "title": _text,
                                              "organisation": _text, "address": _text,
                                              "email": _text, "phone": _text}}},
    },
}


@hookimpl
def config_schema() -> dict[str, Any]:
    return {"apec": {
        "type": "object", "additionalProperties": False,
        "description": "APEC settings: the Secretariat block, travel-eligible economies.",
        "properties": {
            "secretariat": {**_lines, "description": "Lines of the 'For' block on the imprint."},
            "travel_eligible": {**_lines, "description": "Economies eligible for travel funding."},
            "allowed_names": {**_lines, "description": "Official names of institutions that "
                              "contain an informal economy name (e.g. 'Hong Kong Monetary "
                              "Authority'), which the economy-name check then leaves alone; "
                              "well-known ones are built in."},
            "logo": {"type": "string"},
        },
    }}


@hookimpl
def document_types() -> list[DocumentType]:
    return [
        DocumentType("publication", "An APEC publication: cover, imprint, contents, chapters.",
                     schema=PUBLICATION_META, styles=HERE / "styles",
                     defaults={"toc": True, "toc_depth": 2, "lof": True, "lot": True,
                               "number_sections": True,
                               "sections": True, "running_header": True}),
        DocumentType("agenda", "A workshop agenda built from data/agenda.yaml.",
                     template=TEMPLATES / "agenda.md", schema=AGENDA_META, styles=HERE / "styles",
                     needs_sources=False),
        DocumentType("speakers", "The list of speakers, from the same data/agenda.yaml.",
                     template=TEMPLATES / "speakers.md", schema=SPEAKERS_META,
                     styles=HERE / "styles", needs_sources=False),
        DocumentType("circular", "A circular to the forum: nominations, comments, approval.",
                     schema=CIRCULAR_META, styles=HERE / "styles"),
    ]


def _date(value: Any, lang: str = "en") -> str:
    """A long date as APEC writes it in ``lang``: "10 September 2019", "2019年9月10日"."""
    if isinstance(value, (str, dt.date)):
        return date_text(value, lang, "long")
    return str(value)


def economy_list(names: list[str] | tuple[str, ...], lang: str = "en", short: bool = True) -> str:
    """Economies in APEC order, in ``lang``, joined as the language joins a list in
    running text, with semicolons for the list comma in English and wherever a name
    holds a comma ("Chile; Japan; and the United States", "智利、日本和美国")."""
    ordered = sorted(names, key=economies.sort_key)
    out = []
    for name in ordered:
        economy = economies.lookup(name)
        if economy is None:
            out.append(name)
            continue
        english = economy.short if short else economy.official
        if economy.code in ("USA",) and canonical(lang) == "en":
            english = "the " + english  # in running text: "Japan; and the United States"
        out.append(local_name(economy.code, canonical(lang)) or english)
    # APEC's English lists always take semicolons; other languages where a name holds
    # a comma ("Hong Kong, China")
    english = canonical(lang) == "en"
    return list_text(out, lang, separator="; " if english or any("," in n for n in out) else None)


def _apec_date(context: Any, value: Any) -> str:
    return _date(value, str(context.get("lang") or "en"))


def _apec_list(context: Any, names: Any, short: bool = True) -> str:
    return economy_list(list(names or []), str(context.get("lang") or "en"), short)


@hookimpl
def jinja_filters() -> dict[str, Any]:
    from jinja2 import pass_context  # here: asked only as templates are made (Jinja's loaded)

    return {"apec_list": pass_context(_apec_list), "apec_date": pass_context(_apec_date),
            "official": lambda n: (economies.lookup(n).official if economies.lookup(n) else n)}


def _agenda(project: Any, name: str = "agenda") -> agenda_mod.Agenda | None:
    """The validated agenda; read once per file version, though check and every
    language's template context ask for it."""
    if name not in project.data:
        return None
    path = project.data.path(name)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None  # read_yaml reports the missing file
    return _load_agenda(path, stamp)


@functools.lru_cache(maxsize=8)
def _load_agenda(path: Path, stamp: int | None) -> agenda_mod.Agenda:
    return agenda_mod.load(path, read_yaml(path))


@hookimpl
def template_context(project: Any, document: Any, lang: str) -> dict[str, Any]:
    settings = project.config.get("apec", {})
    context: dict[str, Any] = {"apec": {
        "travel_eligible": settings.get("travel_eligible", []),
        "economies": [e.short for e in economies.ECONOMIES],
    }}
    if document.type in ("agenda", "circular", "speakers"):
        agenda = _agenda(project, document.meta.get("data", "agenda"))
        if agenda is not None:
            context.update(agenda_context(agenda, lang))
    return context


def agenda_context(agenda: agenda_mod.Agenda, lang: str) -> dict[str, Any]:
    """What agenda, speakers and circular templates see of the agenda."""
    return {
        "agenda": agenda,
        "agenda_people": lambda ids: agenda_mod.people(agenda, ids, lang),
        "agenda_cast": lambda session: agenda_mod.cast(agenda, session, lang),
        "agenda_place": lambda session: agenda_mod.place(agenda, session, lang),
        "agenda_title": lambda session: agenda_mod.title(session, lang),
        "agenda_pause": lambda session: session.get("kind") in agenda_mod.PAUSES,
        "speaker_rows": agenda_mod.speaker_rows(agenda, lang),
        "speaker_gender": agenda.gender(),
    }


@hookimpl
def check(project: Any, document: Any) -> list[Finding]:
    if document is None:
        return _project_findings(project)
    findings: list[Finding] = []
    meta = document.meta
    if document.type == "publication":
        year = meta.get("year") or _year(project)
        if meta.get("publication_number"):
            problem = publication_number_problem(meta["publication_number"], year)
            if problem:
                findings.append(Finding(problem, document.where("publication_number"), "error",
                                        "The Secretariat assigns it; until then write "
                                        "'to be provided'.", "apec-number"))
        if meta.get("isbn"):
            problem = isbn13_problem(meta["isbn"])
            if problem:
                findings.append(Finding(problem, document.where("isbn"), "error",
                                        "Copy the ISBN exactly as issued.", "apec-isbn"))
    if document.type in ("agenda", "speakers"):
        agenda = _agenda(project, meta.get("data", "agenda"))
        if agenda is None:
            findings.append(Finding("no agenda data: add 'agenda: data/agenda.yaml' under data:",
                                    document.where(), "error", code="agenda"))
        else:
            findings += agenda.findings
            if document.type == "agenda" and not agenda.findings:
                findings += _gender_finding(agenda, meta.get("gender_max_share", 0.6),
                                            project.data.path(meta.get("data", "agenda")))
    return findings


def _gender_finding(agenda: agenda_mod.Agenda, max_share: float, path: Path) -> list[Finding]:
    gender = agenda.gender()
    if not gender["total"]:
        return []
    shares = ", ".join(f"{sex} {share:.0%}" for sex, share in gender["shares"].items() if share)
    met = gender["largest_share"] <= max_share + 1e-9
    text = (f"speakers' gender balance: {shares} of {gender['total']} speakers and chairs — "
            f"target no sex above {max_share:.0%}: {'met' if met else 'NOT met'}")
    return [Finding(text, Location(path), "info" if met else "warning", code="agenda-gender")]


def _year(project: Any) -> int | None:
    end = project.meta.get("end")
    return end.year if isinstance(end, dt.date) else None


def _project_findings(project: Any) -> list[Finding]:
    findings = []
    problem = project_number_problem(project.meta["number"])
    if problem:
        findings.append(Finding(problem, project.locate("project", "number"), "error"))
    files = {p for d in project.documents.values() for p in d.sources}
    # Monitoring data is checked column by column (a wrong economy there has its own
    # message, with its column): one mistake, one message.
    monitored = {v["data"] for v in (project.config.get("monitoring") or {}).values()
                 if isinstance(v, dict) and isinstance(v.get("data"), str)}
    files |= {project.data.path(n) for n in project.data if n not in monitored
              and project.data.path(n).suffix in (".yaml", ".yml", ".csv", ".md")}
    files.add(project.file)
    allowed = tuple(project.config.get("apec", {}).get("allowed_names", []))
    for path in sorted(files):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for line, column, found, replacement in economies.find_wrong_names(text, allowed):
            findings.append(Finding(
                f"'{found}' is not the APEC name", Location(path, line, column), "error",
                f"Write '{replacement}'. If it is part of an institution's official name, list "
                "that name under apec: allowed_names: in apecdocs.yaml, or exempt the line "
                f"with a comment holding '{economies.EXEMPT_MARKER}'.", "apec-economy"))
    return findings


@hookimpl
def transform_ast(ast: dict, project: Any, document: Any, lang: str) -> None:
    meta = document.meta
    blocks: list[dict] = []
    if document.type == "publication":
        year = meta.get("year") or _year(project) or dt.date.today().year
        forum = project.meta.get("forum", "")
        info = {"title": document.title, "subtitle": meta.get("subtitle", ""),
                "forum_line": meta.get("forum_line") or (f"APEC {forum}" if forum else ""),
                "date_line": meta.get("date", str(year)), **meta}
        logo = meta.get("logo") or project.config.get("apec", {}).get("logo")
        secretariat = project.config.get("apec", {}).get("secretariat", frontmatter.SECRETARIAT)
        logo_path = str(project.resolve(logo)) if logo else None
        words = frontmatter.Words(lang, project)
        if "secretariat" not in project.config.get("apec", {}):
            secretariat = frontmatter.secretariat_lines(words)
        blocks += [frontmatter.cover(info, project.meta, logo_path),
                   frontmatter.imprint(info, project.meta, secretariat, year, words)]
        if meta.get("acronyms"):
            path = project.resolve(meta["acronyms"])
            entries = yamlcheck.check(read_yaml(path), ACRONYMS, path, 1, "acronyms file") or {}
            ast["blocks"][0:0] = frontmatter.acronyms(
                {str(k): str(v) for k, v in entries.items()}, label("Acronyms", lang, project))
    if meta.get("meeting_document"):
        block = dict(meta["meeting_document"])
        if economies.lookup(str(block.get("submitted_by", ""))):
            block["submitted_by"] = economy_list([block["submitted_by"]], lang)
        blocks.append(frontmatter.meeting_block(block, document.title,
                                                frontmatter.Words(lang, project)))
    if document.type == "circular":
        info = {**meta, "release_date_text": _date(meta["release_date"], lang)
                if meta.get("release_date") else ""}
        blocks.append(frontmatter.circular_banner(info, frontmatter.Words(lang, project)))
        if meta.get("contacts"):
            ast["blocks"] += frontmatter.contacts(meta["contacts"], frontmatter.Words(lang, project))
    ast["blocks"][0:0] = blocks


@hookimpl
def finalize_ast(ast: dict, project: Any, target: Any) -> None:
    document = project.documents[target.document]
    if document.type not in ("publication", "agenda", "circular", "speakers"):
        return
    style.layout(ast, target.format, sections=bool(document.options.get("sections")))
    if target.format == "docx" and document.type in ("publication", "circular"):
        for key in ("title", "subtitle", "date"):
            ast["meta"].pop(key, None)  # the cover or banner shows them


@hookimpl
def pandoc_options(project: Any, target: Any, options: Any) -> None:
    document = project.documents[target.document]
    if document.type not in ("publication", "agenda", "circular", "speakers"):
        return
    if document.type in ("publication", "circular"):
        options.variables["hide-title"] = True
    if target.format == "html":
        extra = (HERE / "styles" / "apec.css").read_text(encoding="utf-8")
        options.variables["css-inline"] = options.variables.get("css-inline", "") + "\n" + extra


@hookimpl
def file_schemas() -> dict[str, Any]:
    return {"agenda": AGENDA_SCHEMA}
