"""Nothing a schema accepts is ignored.

Every key of every schema — the project file with each document type's ``meta``, the
agenda and chart blocks — is walked. Each must either change what a build produces
(the final AST and writer options of a witness document, or the findings of
``apecdocs check``) when it is set or changed in a copy of the worked example, or be
documented as printing nothing in its own schema description (which ``apecdocs schema
--markdown`` and the reference show), or be exercised by a named test. A key added to a
schema without one of these fails ``test_every_key_is_accounted_for``.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from apecdocs import Project, Target, WriteOptions, assemble
from apecdocs.plugins import new_manager
from apecdocs.schema import data_schemas, project_schema
from conftest import REPO, copy_example

# --- what each key does -------------------------------------------------------------

NOT_PRINTED = "Not printed by apecdocs"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg=="
)
# Keys whose effect other tests show (the structure of a project, the outputs' folder).
TESTED_ELSEWHERE = {
    "project": "test_loading.py",
    "documents": "test_build.py", "documents[].id": "test_build.py",
    "documents[].type": "test_plugins.py", "documents[].sources": "test_assembly.py",
    "documents[].formats": "test_build.py", "documents[].languages": "test_i18n.py",
    "documents[].meta": "test_loading.py", "languages": "test_i18n.py",
    "project.language": "test_citations.py",
    # DOCX-only (the page header and sections), shown on the DOCX itself:
    "project.short_title": "test_docx_layout.py", "documents[].short_title": "test_docx_layout.py",
    "documents[].sections": "test_docx_layout.py",
    "documents[].running_header": "test_docx_layout.py",
    "formats": "test_build.py", "output": "test_safety.py", "data": "test_loading.py",
    "styles": "test_styles.py", "fonts": "test_i18n.py", "citations": "test_citations.py",
    "monitoring": "test_completion_report.py", "apec": "test_apec.py",
    "monitoring.participants": "test_completion_report.py",
    "monitoring.evaluations": "test_completion_report.py",
    "monitoring.questionnaire": "test_completion_report.py",
    "monitoring.targets": "test_completion_report.py",
    "project.overseer": "test_completion_report.py", "project.funding": "test_completion_report.py",
    "monitoring.participants.data": "test_completion_report.py",
    "monitoring.evaluations.data": "test_completion_report.py",
    "monitoring.questionnaire.data": "test_completion_report.py",
    "documents[].meta<agenda>.data": "test_agenda.py", "documents[].meta<speakers>.data":
    "test_agenda.py", "chart:.data": "test_charts.py", "chart:.rows": "test_charts.py",
    "agenda:.days": "test_agenda.py", "agenda:.days[].sessions": "test_agenda.py",
    "agenda:.speakers": "test_agenda.py", "agenda:.speakers[].id": "test_agenda.py",
    "agenda:.rooms": "test_agenda.py", "agenda:.rooms[].id": "test_agenda.py",
    "agenda:.event": "test_agenda.py", "agenda:.days[].sessions[].parallel": "test_agenda.py",
    "agenda:.days[].sessions[].parallel[].kind": "test_agenda.py",
    "agenda:.days[].sessions[].parallel[].location": "test_agenda.py",
    "agenda:.days[].sessions[].parallel[].description": "test_agenda.py",
    "agenda:.days[].sessions[].parallel[].track": "test_agenda.py",
    "agenda:.days[].sessions[].parallel[].rapporteur": "test_agenda.py",
    "agenda:.days[].sessions[].parallel[].moderator": "test_agenda.py",
    "agenda:.days[].sessions[].parallel[].chair": "test_agenda.py",
    "agenda:.days[].sessions[].parallel[].speakers": "test_agenda.py",
    "agenda:.days[].sessions[].parallel[].room": "test_agenda.py",
    "agenda:.days[].sessions[].parallel[].title": "test_agenda.py",
    "documents[].meta<circular>.contacts": "test_quiet_gaps.py",
    "monitoring.sector_values": "test_quiet_gaps.py",
    "documents[].meta<questionnaire-report>.event": "test_completion_report.py",
    "monitoring.questionnaire.definition": "test_questionnaire.py",
    "documents[].meta<questionnaire>.definition": "test_questionnaire.py",
    "documents[].meta<questionnaire>.protect": "test_questionnaire.py",
}
# The questionnaire definition's keys (the form, its annex, the analysis) are shown key
# by key on the form and report by the questionnaire tests, not walked here again.
WALKED_ELSEWHERE = ("questionnaire:.", "test_questionnaire.py")

# Keys changed in a copy of the example: (path in the file, new value, witness). The
# witness is a document id (its final AST and options must change) or "check".
REPORT, COMPLETION, QUESTIONNAIRE = "report", "completion-report", "questionnaire-report"
CIRCULAR, AGENDA, SPEAKERS = "circular-nominations", "agenda", "speakers"
MUTATIONS: dict[str, tuple[Any, str]] = {
    "project.number": ("ECSG 03 2018", REPORT),
    "project.title": ("Another Project", COMPLETION),
    "apec.logo": ("logo.png", REPORT),
    "project.forum": ("Sub-Committee on Standards and Conformance", REPORT),
    "project.committee": ("Economic Committee", COMPLETION),
    "project.fund_account": ("APEC Support Fund", COMPLETION),
    "project.proposing_economies": (["Chile"], COMPLETION),
    "project.co_sponsoring_economies": (["Peru"], COMPLETION),
    "project.start": ("2019-02-01", COMPLETION), "project.end": ("2019-11-30", COMPLETION),
    "project.overseer.name": ("Ms Other", COMPLETION),
    "project.overseer.title": ("Director", COMPLETION),
    "project.overseer.organisation": ("Another Agency", COMPLETION),
    "project.funding.apec": (90000, COMPLETION), "project.funding.co_funding": (1, COMPLETION),
    "project.funding.currency": ("SGD", COMPLETION),
    "documents[].title": ("Another Title", REPORT),
    "documents[].toc": (False, REPORT), "documents[].toc_depth": (1, REPORT),
    "documents[].lof": (False, REPORT), "documents[].lot": (False, REPORT),
    "documents[].number_sections": (False, REPORT),
    "citations.bibliography": ("data/references.json", "check"),  # set to a missing copy below
    "citations.style": ("chicago-author-date", REPORT),
    "monitoring.workshop_days": (3, COMPLETION),
    "monitoring.developed_economies": (["Australia"], COMPLETION),
    "monitoring.sex_values": ({"female": "male"}, COMPLETION),
    "monitoring.participants.columns": ({"name": "Name"}, "check"),
    "monitoring.evaluations.columns": ({"participant": "Participant ID"}, "check"),
    "monitoring.evaluations.items": ({"objectives": "Objectives met"}, "check"),
    "monitoring.questionnaire.columns": ({"answer": "Response"}, "check"),
    "monitoring.questionnaire.questions": (["Q3"], "check"),  # the narrative cites Q5: error
    "apec.secretariat": (["APEC Secretariat", "Singapore"], REPORT),
    "labels": ({"en": {"Table": "Tab."}}, REPORT),
    "apec.travel_eligible": (["Chile", "Peru"], CIRCULAR),
    "apec.allowed_names": (["Vietnam Digital Trade Office"], "check"),  # see _mutate
    "agenda:.event.title": ("Another Workshop", AGENDA),
    "agenda:.event.venue": ("Another Hall", AGENDA), "agenda:.event.place": ("Hue", AGENDA),
    "agenda:.event.dates": ("1–2 May 2019", AGENDA),
    "agenda:.rooms[].name": ("Grand Hall", AGENDA),
    "agenda:.speakers[].name": ("Mr Someone Else", AGENDA),
    "agenda:.speakers[].title": ("Chief Economist", SPEAKERS),
    "agenda:.speakers[].organisation": ("Another Agency", AGENDA),
    "agenda:.speakers[].economy": ("Chile", AGENDA),
    "agenda:.speakers[].sex": ("female", "check"),
    "agenda:.days[].date": ("2019-09-12", AGENDA), "agenda:.days[].theme": ("New", AGENDA),
    "agenda:.days[].sessions[].start": ("08:00", AGENDA),
    "agenda:.days[].sessions[].end": ("08:45", AGENDA),
    "agenda:.days[].sessions[].title": ("Welcome desk", AGENDA),
    "agenda:.days[].sessions[].kind": ("session", AGENDA),
    "agenda:.days[].sessions[].description": ("Badges", AGENDA),
    "agenda:.days[].sessions[].room": ("room-a", AGENDA),
    "agenda:.days[].sessions[].track": ("Policy", AGENDA),
    "agenda:.days[].sessions[].location": ("Front door", AGENDA),
    "agenda:.days[].sessions[].chair": ("bui-hang", AGENDA),
    "agenda:.days[].sessions[].moderator": ("bui-hang", AGENDA),
    "agenda:.days[].sessions[].speakers": (["bui-hang"], AGENDA),
    "agenda:.days[].sessions[].rapporteur": ("bui-hang", AGENDA),
    "chart:.kind": ("line", REPORT), "chart:.x": ("share", REPORT),
    "chart:.y": ("economy", "check"),  # not numbers: an error shows y is read
    "chart:.labels": ({"share": "Share"}, REPORT),
    "chart:.xlabel": ("Economy", REPORT), "chart:.ylabel": ("Share", REPORT),
    "chart:.title": ("A title", REPORT),  # the caption, once the block has no caption=
}


def _meta_mutations() -> dict[str, tuple[Any, str]]:
    """Each document type's meta keys: the witness is the first document of that type."""
    witness = {"publication": REPORT, "agenda": AGENDA, "circular": CIRCULAR,
               "completion-report": COMPLETION, "questionnaire-report": QUESTIONNAIRE,
               "speakers": SPEAKERS}
    values = {"subtitle": "New", "forum_line": "APEC Forum", "date": "March 2020", "year": 2020,
              "publication_number": "APEC#219-CT-01.2", "isbn": "978-981-14-1234-5",
              "licence": "Licence", "disclaimer": "Views", "acronyms": None,
              "produced_by.name": "Someone", "produced_by.address": ["Street"],
              "produced_by.contact": ["Desk"], "event": "Another event",
              "kind": "other", "heading": "Another heading", "circular_number": 9,
              "place": "Hue", "dates": "1 May", "release_date": "2019-07-16",
              "deadline": "2019-08-10", "gender_max_share": 0.5,
              "meeting_document.number": "2019/SOM1/ECSG/001",
              "meeting_document.agenda_item": 7, "meeting_document.purpose": "Approval",
              "meeting_document.submitted_by": "Chile", "meeting_document.meeting": "SOM",
              "meeting_document.place": "Lima", "meeting_document.date": "May 2019",
              "meeting_document": {"number": "2019/SOM1/ECSG/001"}, "logo": "logo.png",
              "produced_by": {"name": "Someone"}, "contacts[].role": "Adviser",
              "contacts[].name": "Mr B", "contacts[].title": "Director",
              "contacts[].organisation": "Agency", "contacts[].address": "Street 1",
              "contacts[].email": "b@example.org", "contacts[].phone": "+1 234"}
    out = {}
    for name, doc in witness.items():
        for key, value in values.items():
            out[f"documents[].meta<{name}>.{key}"] = (value, "check" if key in (
                "gender_max_share",) else doc)
    out["documents[].meta<publication>.acronyms"] = (None, REPORT)  # removed below
    return out


# --- walking the schemas ------------------------------------------------------------


def _walk(node: Any, path: str, out: dict[str, dict]) -> None:
    if not isinstance(node, dict):
        return
    if node.get("type") == "array" and isinstance(node.get("items"), dict) \
            and node["items"].get("properties"):
        _walk(node["items"], path + "[]", out)
        return
    for key, sub in node.get("properties", {}).items():
        here = f"{path}.{key}" if path else key
        out[here] = sub
        _walk(sub, here, out)
    for rule in node.get("allOf", []):
        name = rule.get("if", {}).get("properties", {}).get("type", {}).get("const")
        meta = rule.get("then", {}).get("properties", {}).get("meta")
        if meta:
            _walk(meta, f"{path}.meta<{name}>", out)


def all_keys() -> dict[str, dict]:
    pm = new_manager(None)
    keys: dict[str, dict] = {}
    _walk(project_schema(pm), "", keys)
    for name, schema in data_schemas(pm).items():
        _walk(schema, f"{name}:", keys)
    return keys


@functools.cache
def _schema_keys() -> dict[str, dict]:
    pm = new_manager(None)
    keys: dict[str, dict] = {}
    _walk(project_schema(pm), "", keys)
    return keys


ALL_MUTATIONS = {**{k: v for k, v in _meta_mutations().items()
                    if k in _schema_keys() and NOT_PRINTED not in _schema_keys()[k].get(
                        "description", "")}, **MUTATIONS}


def _documented_no_op(schema: dict) -> bool:
    return NOT_PRINTED in schema.get("description", "")


def _parent_tested(path: str, keys: dict[str, dict]) -> bool:
    """A key inside a mapping key the table walks as a whole (targets, column maps)."""
    return bool(re.match(r"monitoring\.(targets|participants\.columns|questionnaire\.columns)\.",
                         path))


def test_every_key_is_accounted_for():
    keys = all_keys()
    missing = [k for k in keys if k not in ALL_MUTATIONS and k not in TESTED_ELSEWHERE
               and not _documented_no_op(keys[k]) and not _parent_tested(k, keys)
               and not k.startswith(WALKED_ELSEWHERE[0])]
    assert (REPO / "tests" / WALKED_ELSEWHERE[1]).is_file()
    assert missing == []
    for path, test_file in TESTED_ELSEWHERE.items():
        assert (REPO / "tests" / test_file).is_file(), (path, test_file)
    stale = [k for k in [*MUTATIONS, *TESTED_ELSEWHERE] if k not in keys]
    assert stale == []


def test_documented_no_ops_say_where_templates_find_them():
    for path, schema in all_keys().items():
        if _documented_no_op(schema):
            name = path.split(".")[-1]
            assert f"project.{name}" in schema["description"] or name in schema["description"]


# --- showing the effect -------------------------------------------------------------

_yaml = YAML(typ="rt")


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """A copy of the worked example whose parsed sources and charts are kept warm: the
    copies each key makes share them, so only the changed file is read again."""
    root = tmp_path_factory.mktemp("keys") / "example"
    copy_example(root, "docs", "plugins", "locales")
    return root


@pytest.fixture(scope="module")
def baseline(example) -> dict[str, str]:
    """The example's fingerprint per witness, before any change."""
    return {witness: fingerprint(example, witness) for witness in
            (REPORT, COMPLETION, QUESTIONNAIRE, CIRCULAR, AGENDA, SPEAKERS, "check")}


def _copy(example: Path, root: Path) -> None:
    shutil.copytree(example, root, ignore=shutil.ignore_patterns(".apecdocs", "_build"))
    (root / ".apecdocs").mkdir()
    # Hard links, not a symbolic link: the build refuses symlinks in its cache folder.
    shutil.copytree(example / ".apecdocs" / "parsed", root / ".apecdocs" / "parsed",
                    copy_function=os.link)
    shutil.copytree(example / ".apecdocs" / "charts", root / ".apecdocs" / "charts")


def fingerprint(root: Path, witness: str) -> str:
    """What a build of ``witness`` would write, with the project's own path left out
    (so that copies of one project compare equal)."""
    project = Project.load(root)
    if witness == "check":
        return json.dumps(sorted(str(f) for f in project.check())).replace(str(root), "<root>")
    document = project.documents[witness]
    pieces = assemble.render_sources(project, document, "en")
    ast, _ = assemble.parse(project, document, pieces, project.cache_dir / "work" / witness)
    project.plugins.hook.transform_ast(ast=ast, project=project, document=document, lang="en")
    target = Target(witness, "en", "html")
    project.plugins.hook.finalize_ast(ast=ast, project=project, target=target)
    options = WriteOptions()
    project.plugins.hook.pandoc_options(project=project, target=target, options=options)
    text = json.dumps([ast, options.variables], default=str, sort_keys=True)
    return text.replace(str(root), "<root>")


def _set(tree: Any, parts: list[str], value: Any) -> None:
    """Set a dotted path, entering the first item of lists ("x[]")."""
    node = tree
    for i, part in enumerate(parts):
        name, is_list = part.removesuffix("[]"), part.endswith("[]")
        last = i == len(parts) - 1
        if last:
            if value is None:
                node.pop(name, None)
            else:
                node[name] = value
            return
        if name not in node:
            node[name] = [{}] if is_list else {}
        node = node[name]
        if is_list:
            node = node[0]


def _mutate(root: Path, path: str, value: Any) -> None:
    if path.startswith("agenda:."):
        file, parts = root / "data/agenda.yaml", path.removeprefix("agenda:.").split(".")
        tree = _yaml.load(file.read_text(encoding="utf-8"))
        if parts[-1] in ("room", "track", "location", "chair", "moderator", "rapporteur") \
                or path.endswith("sessions[].speakers"):
            target = tree["days"][0]["sessions"][1]  # the opening session
            target[parts[-1]] = value
        else:
            _set(tree, parts, value)
        with file.open("w", encoding="utf-8") as handle:
            _yaml.dump(tree, handle)
        return
    if path.startswith("chart:."):
        file = root / "content/report/02-overview.md"
        text = file.read_text(encoding="utf-8")
        key = path.removeprefix("chart:.")
        block = re.search(r"```\{\.chart #fig-internet-users[^\n]*\n(.*?)```", text, re.S)
        spec = _yaml.load(block.group(1))
        spec[key] = value
        from io import StringIO

        buffer = StringIO()
        _yaml.dump(spec, buffer)
        text = text[:block.start(1)] + buffer.getvalue() + text[block.end(1):]
        file.write_text(text, encoding="utf-8")
        return
    file = root / "apecdocs.yaml"
    tree = _yaml.load(file.read_text(encoding="utf-8"))
    match = re.match(r"documents\[\]\.meta<([\w-]+)>\.(.+)", path)
    if match:
        doc = next(d for d in tree["documents"] if d["type"] == match.group(1))
        _set(doc.setdefault("meta", {}), match.group(2).split("."), value)
    elif path.startswith("documents[]."):
        doc = next(d for d in tree["documents"] if d["id"] == "report")
        _set(doc, [path.removeprefix("documents[].")], value)
    elif path == "citations.bibliography":
        tree["citations"]["bibliography"] = "data/references-copy.json"
    elif path == "apec.allowed_names":
        tree["apec"]["allowed_names"] = value
        tree["project"]["overseer"]["organisation"] = "Vietnam Digital Trade Office"
    else:
        _set(tree, path.split("."), value)
    with file.open("w", encoding="utf-8") as handle:
        _yaml.dump(tree, handle)


def test_copies_of_the_example_fingerprint_alike(example, baseline, tmp_path):
    """The comparison below means something: an unchanged copy is not "changed"."""
    root = tmp_path / "same"
    _copy(example, root)
    for witness in (REPORT, AGENDA, COMPLETION, "check"):
        assert fingerprint(root, witness) == baseline[witness]


@pytest.mark.parametrize("path", sorted(ALL_MUTATIONS))
def test_setting_the_key_changes_the_output(example, baseline, tmp_path, path):
    value, witness = ALL_MUTATIONS[path]
    root = tmp_path / "p"
    _copy(example, root)
    if path == "citations.bibliography":
        (root / "data/references-copy.json").write_text("[]", encoding="utf-8")
    if path == "apec.allowed_names":  # the effect: an error before, none after
        _mutate(root, "apec.allowed_names", [])
    if "contacts[]" in path:  # a contact to change
        _mutate(root, "documents[].meta<circular>.contacts", [{"name": "Ms A"}])
    if path.endswith("logo"):
        (root / "logo.png").write_bytes(PNG)
    if path == "chart:.title":  # the title is the caption of a block without caption=
        chart = root / "content/report/02-overview.md"
        text = chart.read_text(encoding="utf-8")
        chart.write_text(re.sub(r'(\{\.chart #fig-internet-users) caption="[^"]*"', r"\1", text),
                         encoding="utf-8")
    prepared = "contacts[]" in path or path in ("citations.bibliography", "apec.allowed_names",
                                                "chart:.title")
    before = fingerprint(root, witness) if prepared else baseline[witness]
    _mutate(root, path, value)
    after = fingerprint(root, witness)
    assert before != after, f"setting {path} changed nothing in {witness}"
