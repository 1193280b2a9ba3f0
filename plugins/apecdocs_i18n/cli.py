"""``apecdocs i18n``: keep the translation catalogs in step with the sources."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import click

from apecdocs import ApecdocsError, labels
from apecdocs.confine import language_tag

from .catalog import UpdateResult, catalog_path, project_languages, read, source_language, update


@click.group("i18n")
def i18n() -> None:
    """Translation catalogs (locales/<lang>/<document>.po)."""


@i18n.command("extract")
@click.argument("documents", nargs=-1)
@click.option("--lang", "languages", multiple=True,
              help="Target language(s); default: every language of the project but the source.")
@click.option("--fill", is_flag=True,
              help="Ask the translation provider plugin for untranslated segments (fuzzy).")
@click.pass_obj
def extract_command(obj: Any, documents: tuple[str, ...], languages: tuple[str, ...],
                    fill: bool) -> None:
    """Write or update the catalogs of DOCUMENTS (default: all)."""
    from . import extract  # parsing and rendering: not loaded for --help or a build

    project = obj.load()
    source = source_language(project)
    wanted = _languages(project, source, list(languages))
    unknown = [d for d in documents if d not in project.documents]
    if unknown:
        raise ApecdocsError(f"no document '{unknown[0]}'",
                            hint=f"Documents: {', '.join(project.documents)}.")
    for doc in project.documents.values():
        if documents and doc.id not in documents:
            continue
        langs = [x for x in wanted if x in doc.languages and x != source]
        skipped = [x for x in wanted if x not in doc.languages]
        if skipped and (documents or languages):
            click.echo(f"{doc.id}: not built in {', '.join(skipped)} (its languages: "
                       f"{', '.join(doc.languages)}); no catalog written")
        if not langs:
            continue
        segments = extract.extract(project, doc)
        for lang in langs:
            path = catalog_path(project, lang, doc.id)
            header = {"Project-Id-Version": f"{project.meta['number']} {doc.id}",
                      "X-Source-Language": source}
            result = update(path, segments, lang, header)
            filled = fill_catalog(project, path, source, lang) if fill else None
            _report(project, result, filled)


def _languages(project: Any, source: str, asked: list[str]) -> list[str]:
    """The target languages: those asked for, each one the project builds; else all."""
    known = project_languages(project)
    if not asked:
        langs = [x for x in known if x != source]
        if not langs:
            raise ApecdocsError("no language to translate into",
                                hint=f"List the languages in {project.file.name}: "
                                f"languages: [{source}, vi] (or a document's languages:), "
                                f"then run it again, with --lang vi for one of them.")
        return langs
    for lang in asked:
        language_tag(lang)  # before it names a folder: no '../x'
        if lang == source:
            raise ApecdocsError(f"'{lang}' is the source language of the project",
                                hint="Catalogs are for the other languages.")
        if lang not in known:
            close = difflib.get_close_matches(lang, known, n=1, cutoff=0.5) or [
                x for x in known if x.split("-")[0].lower() == lang.split("-")[0].lower()]
            mean = f"Did you mean '{close[0]}'? " if close else ""
            raise ApecdocsError(f"'{lang}' is not a language of the project",
                                hint=f"{mean}The project's languages: {', '.join(known)}. "
                                f"Add it to languages: in {project.file.name} (for the whole "
                                f"project or one document) first.")
    return list(dict.fromkeys(asked))


def fill_catalog(project: Any, path: Path, source: str, lang: str) -> int:
    """Offer the provider's translations of untranslated entries, marked fuzzy."""
    po = read(path)
    todo = [e for e in po if not e.obsolete and not e.msgstr.strip() and not e.fuzzy]
    if not todo:
        return 0
    results = project.plugins.hook.translate(segments=[e.msgid for e in todo],
                                             source_lang=source, target_lang=lang)
    if results is None:
        raise ApecdocsError("no translation provider is installed",
                            hint="--fill needs a plugin implementing the 'translate' hook; "
                            "see docs/translation.md.")
    if len(results) != len(todo):
        raise ApecdocsError(f"the translation provider returned {len(results)} results for "
                            f"{len(todo)} segments", hint="Fix the provider plugin.")
    count = 0
    for entry, text in zip(todo, results, strict=True):
        if text and text.strip():
            entry.msgstr = text.strip()
            entry.flags.append("fuzzy")
            count += 1
    po.save(str(path))
    return count


def _report(project: Any, result: UpdateResult, filled: int | None) -> None:
    shown = result.path.relative_to(project.root).as_posix()
    total = result.total
    share = f"{result.translated / total:.0%}" if total else "-"
    parts = [f"{total} segments", f"{result.new} new", f"{result.fuzzy} changed (fuzzy)",
             f"{len(result.dropped)} dropped (kept as obsolete)"]
    if result.removed:
        parts.append(f"{result.removed} untranslated removed")
    if filled is not None:
        parts.append(f"{filled} machine-translated (fuzzy)")
    click.echo(f"{shown}: {', '.join(parts)}; {result.translated}/{total} translated ({share})")
    for entry in result.dropped:
        where = ", ".join(f"{f}:{n}" for f, n in entry.occurrences[:1])
        text = entry.msgid if len(entry.msgid) < 70 else entry.msgid[:67] + "..."
        click.echo(f"  dropped: \"{text}\"" + (f" (was {where})" if where else ""))


@i18n.command("labels")
@click.option("--lang", "lang", required=True, help="The language to write the labels for.")
@click.pass_obj
def labels_command(obj: Any, lang: str) -> None:
    """Write locales/LANG/LC_MESSAGES/apecdocs.po: every word apecdocs writes, to translate.

    Words the project already has keep their text; words apecdocs ships for LANG are
    filled in; the others are left empty for a translator."""
    import polib

    project = obj.load()
    path = labels.project_catalog(project, lang)
    own = labels.project_words(project, lang)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": f"{project.meta['number']} labels",
                   "Language": labels.canonical(lang), "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit"}
    english = polib.pofile(str(labels.shipped_catalog("en")), encoding="utf-8")
    shipped = labels.catalog(labels.canonical(lang))
    todo = 0
    for entry in english:
        text = own.get(entry.msgid) or shipped.get(entry.msgid, "")
        todo += not text
        po.append(polib.POEntry(msgid=entry.msgid, msgstr=text, comment=entry.comment))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    shown = path.relative_to(project.root).as_posix()
    click.echo(f"{shown}: {len(english)} labels, {todo} to translate")
