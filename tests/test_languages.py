"""Every word apecdocs writes, in the languages of APEC economies: label catalogs,
project overrides, dates and lists, fonts for Chinese, Japanese and Thai PDFs, and the
worked example's agenda and circular in Spanish, Chinese, Japanese and Thai."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import polib
import pytest
from apecdocs_apec.plugin import economy_list
from apecdocs_i18n import script_fonts
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

from apecdocs import Project, labels
from apecdocs.builtin import typst_language
from apecdocs.localize import date_text, list_text
from conftest import copy_example, docx_text, html_text, squash, write_project

FIELD = re.compile(r"\{\w+\}")

PROJECT = """\
project:
  number: TEST 01 2024
  title: A Test Project
languages: [en, es]
formats: [html]
documents:
  - id: doc
    type: document
    title: The Test Document
    sources: [content/*.md]
"""

SOURCE = """\
{{ label("Day {n}: {date}", n=1, date="2019-09-10" | format_date) }}

{{ label("Time") }}; {{ ["Chile", "Japan", "Peru"] | format_list }}

| A | B |
|---|---|
| 1 | 2 |

: Costs {#tbl-costs}
"""


def cli(root: Path, *args: str):
    from apecdocs_i18n import register_commands

    from apecdocs.cli import cli as group

    register_commands(group)
    return CliRunner().invoke(group, ["--project", str(root), *args])


# -- the shipped catalogs --------------------------------------------------------------


@pytest.mark.parametrize("lang", labels.LANGUAGES)
def test_every_apec_language_ships_every_label(lang):
    assert labels.missing(lang) == []
    words = labels.catalog(lang)
    for msgid in labels.known():
        assert set(FIELD.findall(words[msgid])) == set(FIELD.findall(msgid)), (lang, msgid)
    if lang != "en":  # translated, not copied: most labels read differently from English
        same = [m for m in labels.known() if words[m] == m]
        assert len(same) < len(labels.known()) // 4, (lang, same)


def test_language_tags_find_their_catalog():
    assert labels.canonical("zh-TW") == labels.canonical("zh-Hant") == "zh-Hant"
    assert labels.canonical("zh") == labels.canonical("zh_CN") == "zh-Hans"
    assert labels.canonical("es-CL") == "es" and labels.canonical("tl") == "fil"
    assert labels.label("Table", "zh-TW") == "表" and labels.label("Table", "es-MX") == "Cuadro"
    assert labels.label("Table", "fr") == "Table"  # no catalog: English
    assert labels.text("Day {n}: {date}", "ja", n=2, date="2019年9月11日") == "2日目：2019年9月11日"


def test_dates_and_lists_are_written_the_way_each_language_writes_them():
    day = "2019-09-10"
    assert date_text(day, "en") == "10 September 2019"
    assert date_text(day, "es") == "10 de septiembre de 2019"
    assert date_text(day, "zh-Hans") == date_text(day, "ja") == "2019年9月10日"
    assert date_text(day, "ko") == "2019년 9월 10일"
    assert date_text(day, "th") == "10 กันยายน 2562"  # Buddhist Era, as Thai documents write
    assert date_text(day, "th", "month") == "กันยายน 2562"
    assert date_text(day, "ru") == "10 сентября 2019\u202fг."  # narrow no-break space
    assert list_text(["A", "B", "C"], "es") == "A, B y C"
    assert list_text(["A", "B", "C"], "zh-Hans") == "A、B和C"
    assert list_text(["Chile", "Hong Kong, China", "Japan"], "en", separator="; ") == \
        "Chile; Hong Kong, China; and Japan"


def test_economy_lists_use_each_languages_names_and_apec_order():
    names = ["United States", "Japan", "Chile"]
    assert economy_list(names, "en") == "Chile; Japan; and the United States"
    assert economy_list(names, "es") == "Chile, Japón y Estados Unidos"
    assert economy_list([*names, "Hong Kong, China"], "es") == \
        "Chile; Hong Kong, China; Japón y Estados Unidos"
    assert economy_list(names, "zh-Hans") == "智利、日本和美国"
    assert economy_list(names, "ja") == "チリ、日本、米国"
    assert economy_list(names, "th") == "ชิลี ญี่ปุ่น และสหรัฐอเมริกา"
    assert economy_list(["Viet Nam", "Indonesia"], "id") == "Indonesia dan Viet Nam"


def test_typst_gets_a_language_and_region_it_accepts():
    assert typst_language("zh-Hans") == ("zh", "CN")
    assert typst_language("zh-Hant") == ("zh", "TW")
    assert typst_language("th") == ("th", "")
    assert typst_language("es-CL") == ("es", "CL")


# -- a project's own words ----------------------------------------------------------------


def test_a_project_overrides_and_adds_labels_in_its_file_and_its_catalog(tmp_path):
    yaml = PROJECT + ('labels:\n  es:\n    "Day {n}: {date}": "Jornada {n} ({date})"\n'
                      '    Minutes: Acta\n')
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr in (("Time", "Horario"), ("Day {n}: {date}", "Lost to the yaml file")):
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    root = write_project(tmp_path / "p", yaml, {"content/01.md": SOURCE + '\n{{ label("Minutes") }}\n'})
    path = root / "locales/es/LC_MESSAGES/apecdocs.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    Project.load(root).build(languages=["en", "es"])
    english = squash(html_text(root / "_build/en/doc.html"))
    spanish = squash(html_text(root / "_build/es/doc.html"))
    assert "Day 1: 10 September 2019" in english and "Time; Chile, Japan, and Peru" in english
    assert "Table 1: Costs" in english and "Minutes" in english
    assert "Jornada 1 (10 de septiembre de 2019)" in spanish  # apecdocs.yaml wins
    assert "Horario; Chile, Japan y Peru" in spanish         # the project's catalog
    assert "Cuadro 1: Costs" in spanish and "Acta" in spanish  # shipped; added by the project
    # editing the project's catalog rebuilds that language only
    po[0].msgstr = "Hora exacta"
    po.save(str(path))
    report = Project.load(root).build(languages=["en", "es"])
    assert {o.target.lang: o.status for o in report.outputs} == {"en": "unchanged", "es": "built"}
    assert "Hora exacta;" in squash(html_text(root / "_build/es/doc.html"))


def test_a_language_without_labels_warns_once_naming_them(tmp_path):
    root = write_project(tmp_path / "p", PROJECT.replace("[en, es]", "[en, fr]").replace(
        "sources: [content/*.md]", "sources: [content/*.md]\n  - {id: two, type: document, "
        "title: Two, sources: [content/*.md]}"), {"content/01.md": SOURCE})
    report = Project.load(root).build(languages=["fr"])
    warnings = [w for o in report.outputs for w in o.warnings]
    assert len(warnings) == 1, warnings  # two documents, one warning
    assert "no 'fr' version" in warnings[0] and "labels: fr:" in warnings[0]
    for used in ("'Time'", "'Table'", "'Day {n}: {date}'"):  # the words this build wrote
        assert used in warnings[0]
    assert "'Contents'" not in warnings[0]  # no contents in these documents
    findings = [f for f in Project.load(root).check() if f.code == "i18n-labels"]
    assert len(findings) == 1 and findings[0].severity == "warning"
    # the project's catalog, written for a translator, silences it once filled in
    assert cli(root, "i18n", "labels", "--lang", "fr").exit_code == 0
    path = root / "locales/fr/LC_MESSAGES/apecdocs.po"
    po = polib.pofile(str(path))
    assert len(po) == len(labels.known()) and not any(e.msgstr for e in po)
    for entry in po:
        entry.msgstr = entry.msgid.replace("Table", "Tableau")
    po.save(str(path))
    report = Project.load(root).build(languages=["fr"], documents=["doc"])
    assert not [w for o in report.outputs for w in o.warnings]
    assert "Tableau 1: Costs" in squash(html_text(root / "_build/fr/doc.html"))


def test_a_language_with_shipped_labels_does_not_warn(tmp_path):
    root = write_project(tmp_path / "p", PROJECT.replace("[en, es]", "[en, ko]"),
                         {"content/01.md": SOURCE})
    report = Project.load(root).build(languages=["ko"])
    assert not [w for o in report.outputs for w in o.warnings]
    assert "1일차: 2019년 9월 10일" in squash(html_text(root / "_build/ko/doc.html"))


# -- catalogs only for a document's languages ------------------------------------------


def test_extract_writes_catalogs_only_for_documents_in_that_language(tmp_path):
    yaml = PROJECT.replace("languages: [en, es]\n", "languages: [en]\n") + (
        "  - id: other\n    type: document\n    title: Other\n    sources: [content/*.md]\n"
        "    languages: [en, es, zh-Hans]\n")
    root = write_project(tmp_path / "p", yaml, {"content/01.md": "Hello there.\n"})
    result = cli(root, "i18n", "extract", "--lang", "es")
    assert result.exit_code == 0, result.output
    assert (root / "locales/es/other.po").is_file()
    assert not (root / "locales/es/doc.po").exists()
    assert "doc: not built in es" in result.output
    result = cli(root, "i18n", "extract")  # every document in each of its languages
    assert (root / "locales/zh-Hans/other.po").is_file() and not (root / "locales/zh-Hans/doc.po").exists()
    result = cli(root, "i18n", "extract", "--lang", "fr")
    assert result.exit_code == 1 and "'fr' is not a language of the project" in result.output
    assert not (root / "locales/fr").exists()
    result = cli(root, "i18n", "extract", "--lang", "zh-hans")
    assert result.exit_code == 1 and "Did you mean 'zh-Hans'?" in result.output


def test_catalogs_leave_out_what_labels_write(tmp_path):
    """"Time" that a template writes with label() is each language's own; "Time" an
    author wrote is text to translate."""
    root = write_project(tmp_path / "p", PROJECT, {"content/01.md": SOURCE,
                                                   "content/02.md": "# Time\n\nPurpose: Information\n"})
    assert cli(root, "i18n", "extract", "--lang", "es").exit_code == 0
    ids = [e.msgid for e in polib.pofile(str(root / "locales/es/doc.po"))]
    assert ids.count("Time") == 1 and "Purpose: Information" in ids  # the author's
    assert not [i for i in ids if i.startswith("Day 1")]  # label("Day {n}: {date}", ...)


# -- fonts ------------------------------------------------------------------------------


def test_script_fonts_come_from_the_extras_installed_for_the_tests():
    for lang, family in (("zh-Hans", "Noto Sans SC"), ("zh-Hant", "Noto Sans TC"),
                         ("ja", "Noto Sans JP"), ("ko", "Noto Sans KR"), ("th", "Noto Sans Thai")):
        font = script_fonts.for_language(lang)
        assert font.families[0] == family
        assert font.folders(), f"pip install 'apecdocs[{font.extra}]'"
    assert script_fonts.for_language("vi") is None  # DejaVu Sans covers Vietnamese
    assert script_fonts.for_language("ja").typst_fonts()[0] == "Noto Sans JP"
    assert script_fonts.for_language("th").typst_fonts() == ["DejaVu Sans", "Noto Sans Thai"]


# -- the worked example in four more languages --------------------------------------------


def pdf_chars(path: Path) -> str:
    """The characters a PDF sets, in content order, taking a span's /ActualText where
    the PDF gives one (Typst does for Thai clusters, whose glyphs map to no single
    character); no spaces, which PDFs set as positions."""
    reader = PdfReader(path)
    out: list[str] = []
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        maps = {name: _to_unicode(fonts[name].get_object()) for name in fonts}
        current: dict[int, str] = {}
        depth, actual = 0, None
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op in (b"BDC", b"BMC"):
                depth += 1
                props = operands[1] if op == b"BDC" and len(operands) > 1 else None
                if actual is None and isinstance(props, DictionaryObject) and "/ActualText" in props:
                    out.append(str(props["/ActualText"]))
                    actual = depth
            elif op == b"EMC":
                actual = None if actual == depth else actual
                depth -= 1
            elif op == b"Tf":
                current = maps.get(operands[0], {})
            elif op in (b"Tj", b"TJ") and actual is None:
                for item in operands[0] if op == b"TJ" else [operands[0]]:
                    raw = getattr(item, "original_bytes", item)
                    if isinstance(raw, bytes):
                        out += [current.get(int.from_bytes(raw[i:i + 2], "big"), "")
                                for i in range(0, len(raw) - 1, 2)]
    return "".join(out)


def _to_unicode(font: DictionaryObject) -> dict[int, str]:
    stream = font.get("/ToUnicode")
    table: dict[int, str] = {}
    if stream is None:
        return table
    data = stream.get_object().get_data().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for a, b, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for i, code in enumerate(range(int(a, 16), int(b, 16) + 1)):
                table[code] = chr(int(dst, 16) + i)
    return table


def skeleton(text: str) -> str:
    """Text to compare across PDF text layers: no spaces, no combining marks, no doubled
    letters (a Thai cluster's /ActualText may repeat its base letter)."""
    text = "".join(c for c in text if not c.isspace() and not unicodedata.category(c).startswith("M"))
    return re.sub(r"(.)\1+", r"\1", text)


def embedded_fonts(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


EXPECTED = {  # language: (font, agenda words, circular words), as a reader sees them
    "es": ("DejaVuSans", ["Hora", "Sesión", "Presidencia y ponentes", "Cuadro 1:",
                          "Programa del día 1, 10 de septiembre de 2019", "Presidencia:",
                          "Día 1: 10 de septiembre de 2019", "Punto de la agenda: 6",
                          "Propósito: Información", "Presentado por: Viet Nam"],
           ["COOPERACIÓN ECONÓMICA ASIA-PACÍFICO", "CIRCULAR ADMINISTRATIVA N.º 1",
            "Fecha de emisión: 15 de julio de 2019", "**9 de agosto de 2019**"]),
    "zh-Hans": ("NotoSansSC", ["时间", "环节", "主持人和发言人", "表1：第1天日程，2019年9月10日",
                               "第1天：2019年9月10日", "议程项目：6", "目的：供参阅",
                               "提交方：越南", "主持人："],
                ["亚太经济合作组织", "第1号行政通函", "发布日期：2019年7月15日", "2019年8月9日"]),
    "ja": ("NotoSansJP", ["時間", "セッション", "議長・講演者", "表1：1日目のプログラム（2019年9月10日）",
                          "1日目：2019年9月10日", "議題：6", "目的：情報提供", "提出者：ベトナム"],
           ["アジア太平洋経済協力", "事務回章第1号", "発出日：2019年7月15日", "2019年8月9日"]),
    "th": ("NotoSansThai", ["เวลา", "ช่วงการประชุม", "ประธานและวิทยากร",
                            "ตารางที่ 1: กำหนดการวันที่ 1 (10 กันยายน 2562)",
                            "วันที่ 1: 10 กันยายน 2562", "วาระการประชุม: 6",
                            "วัตถุประสงค์: เพื่อทราบ", "เสนอโดย: เวียดนาม"],
           ["ความร่วมมือทางเศรษฐกิจในเอเชีย-แปซิฟิก", "หนังสือเวียนด้านการบริหาร ฉบับที่ 1",
            "วันที่เผยแพร่: 15 กรกฎาคม 2562", "9 สิงหาคม 2562"]),
}
# What the same documents say in English where apecdocs writes the words.
ENGLISH = ["Chair and speakers", "Programme of day", "Table 1", "Agenda Item", "Purpose:",
           "Submitted by", "ASIA-PACIFIC", "ADMINISTRATIVE CIRCULAR", "Release date", "September 2019",
           "July 2019", "August 2019", "Session", "Time"]


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    root = tmp_path_factory.mktemp("languages") / "example"
    copy_example(root)
    report = Project.load(root).build(documents=["agenda", "circular-nominations"],
                                      languages=list(EXPECTED), formats=["pdf", "html", "docx"])
    assert report.ok, [o.error for o in report.failed]
    return root, report


@pytest.mark.parametrize("lang", list(EXPECTED))
def test_the_example_agenda_and_circular_speak_the_language_in_pdf(example, lang):
    root, report = example
    font, agenda_words, circular_words = EXPECTED[lang]
    warnings = [w for o in report.outputs if o.target.lang == lang for w in o.warnings]
    assert not warnings, warnings  # no missing glyph, no English labels
    for doc, words in (("agenda", agenda_words), ("circular-nominations", circular_words)):
        pdf = root / "_build" / lang / f"{doc}.pdf"
        text = skeleton(pdf_chars(pdf))
        for word in words:
            assert skeleton(word.replace("**", "")) in text, (lang, doc, word)
        english = squash(" ".join(p.extract_text() for p in PdfReader(pdf).pages))
        for word in ENGLISH:
            assert word not in english, (lang, doc, word)
        assert any(name.startswith(font) for name in embedded_fonts(pdf)), embedded_fonts(pdf)
    # the translated text is there too, not only the labels
    assert skeleton({"es": "Sesión de apertura", "zh-Hans": "开幕式", "ja": "開会セッション",
                     "th": "พิธีเปิด"}[lang]) in skeleton(pdf_chars(root / "_build" / lang / "agenda.pdf"))


@pytest.mark.parametrize("lang", list(EXPECTED))
def test_the_example_html_and_docx_have_the_same_words(example, lang):
    root, _ = example
    for reader, suffix in ((html_text, "html"), (docx_text, "docx")):
        text = squash(reader(root / "_build" / lang / f"circular-nominations.{suffix}"))
        for word in EXPECTED[lang][2]:
            assert word.replace("**", "") in text, (lang, suffix, word)
        agenda = squash(reader(root / "_build" / lang / f"agenda.{suffix}"))
        assert EXPECTED[lang][1][2] in agenda, (lang, suffix)  # the table's header
        for word in ("ADMINISTRATIVE CIRCULAR", "Release date", "Chair and speakers"):
            assert word not in text and word not in agenda, (lang, suffix, word)
    with zipfile.ZipFile(root / "_build" / lang / "agenda.docx") as docx:
        styles = docx.read("word/styles.xml").decode()
    word_lang = {"zh-Hans": 'w:eastAsia="zh-CN"', "ja": 'w:eastAsia="ja"'}.get(lang, f'w:val="{lang}')
    assert word_lang in styles  # Word's own tag, so it breaks lines and picks fonts for it


def test_build_lang_builds_the_documents_in_that_language_only(tmp_path):
    yaml = PROJECT.replace("languages: [en, es]\n", "languages: [en]\n") + (
        "  - id: other\n    type: document\n    title: Other\n    sources: [content/*.md]\n"
        "    languages: [en, es]\n")
    root = write_project(tmp_path / "p", yaml, {"content/01.md": "Hello there.\n"})
    report = Project.load(root).build(languages=["es"])
    assert [(o.target.document, o.target.lang) for o in report.outputs] == [("other", "es")]
    result = cli(root, "build", "--lang", "fr")
    assert result.exit_code != 0 and "no document to build in 'fr'" in result.output
    assert not (root / "_build/fr").exists()


def test_check_flags_label_slips_in_the_project_file(tmp_path):
    yaml = PROJECT + ('labels:\n  es:\n    Chiar: Moderación\n    "Day {n}: {date}": "Día {n}"\n'
                      '    Minutes: Acta\n')
    root = write_project(tmp_path / "p", yaml, {"content/01.md": "Hello.\n"})
    findings = [f for f in Project.load(root).check() if f.code == "i18n-labels"]
    by_text = {f.message: f for f in findings}
    slip = next(f for m, f in by_text.items() if "'Chiar'" in m)
    assert slip.severity == "warning" and "Did you mean 'Chair'?" in slip.hint
    assert slip.location.line == yaml.splitlines().index("    Chiar: Moderación") + 1
    field = next(f for m, f in by_text.items() if "Day {n}: {date}" in m)
    assert field.severity == "error" and "{date}" in field.message
    assert not [m for m in by_text if "Minutes" in m]  # a new label is fine


def test_without_the_font_extras_the_build_says_which_to_install(tmp_path, monkeypatch):
    from apecdocs_i18n import fonts

    from apecdocs.builtin import font_dirs

    root = write_project(tmp_path / "p", PROJECT.replace("[en, es]", "[en, ja, th]").replace(
        "formats: [html]", "formats: [pdf]"), {"content/01.md": "日本語の文書。\n\nภาษาไทย\n"})
    dejavu = fonts.font_files(font_dirs())
    monkeypatch.setattr(fonts, "available_fonts", lambda project: dejavu)  # no extras here
    report = Project.load(root).build(languages=["ja", "th"])
    warned = {o.target.lang: " ".join(o.warnings) for o in report.outputs}
    assert "CJK UNIFIED IDEOGRAPH" in warned["ja"] and "THAI CHARACTER" in warned["th"]
    assert "pip install 'apecdocs[cjk]' (Japanese)" in warned["ja"]
    assert "pip install 'apecdocs[thai]' (Thai)" in warned["th"]
