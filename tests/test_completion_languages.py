"""The completion report in Spanish and Thai: every word and number apecdocs writes
(headings, the targets' wording, percentages, scores, money, economies, the lettered
annex of participants' comments) is in the build language, in DOCX, PDF and HTML,
while ``apecdocs check`` keeps telling the team in English."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import docx
import polib
import pytest
from test_completion_report import YAML, files
from test_languages import pdf_chars, skeleton

from apecdocs import Project
from conftest import html_text, pdf_text, squash, write_project

NBSP = "\u00a0"
WORDS = {
    "es": ["Información del proyecto", "1 Resumen", "2.1 Metas de seguimiento",
           "Anexo A: Comentarios de los participantes",
           "Participantes entre 5 y 10 7 Cumplida",  # "Participants" is a label too
           f"Forms al menos 50{NBSP}% 57,1{NBSP}% (4 de 7) Cumplida",
           f"Balance ningún sexo por encima del 60{NBSP}% mujeres 42,9{NBSP}%, "
           f"hombres 57,1{NBSP}% Cumplida",
           f"Expertos bien preparados 4 0 0 0 1 3 0 4,75 100{NBSP}%",
           "Financiación de APEC 99.550 USD", "Valor total del proyecto 106.550 USD",
           "Economía proponente Viet Nam", "Japón 1 1 2",
           f"women 42,9{NBSP}%;",  # the pct filter in the narrative
           "Use it at home (Chile)"],
    "th": ["ข้อมูลโครงการ", "1 บทสรุป", "2.1 เป้าหมายการติดตามผล",
           "ภาคผนวก A: ความคิดเห็นของผู้เข้าร่วม",
           "ผู้เข้าร่วม 5 ถึง 10 7 บรรลุ", "Forms อย่างน้อย 50% 57.1% (4 จาก 7) บรรลุ",
           "Balance ไม่มีเพศใดเกิน 60% หญิง 42.9% ชาย 57.1% บรรลุ",
           "ผู้เชี่ยวชาญเตรียมตัวดี 4 0 0 0 1 3 0 4.75 100%",  # Thai writes Arabic digits
           "เงินทุน APEC USD 99,550", "เขตเศรษฐกิจผู้เสนอ เวียดนาม", "ญี่ปุ่น 1 1 2",
           "women 42.9%;", "Use it at home (ชิลี)"],
}
# What an English build writes in the same places (Thai, like English, writes "USD 99,550").
ENGLISH = ["at least", "neither sex", "women 42", "men 57", "of 7", "Annex", "n/a", "Met",
           "Not met", "Summary", "Monitoring targets", "Participants’ comments",
           "Experts well prepared", "Project information", "Proposing economy"]
ENGLISH_MONEY = {"es": ["USD 99,550"], "th": []}


def _project(tmp_path_factory) -> Path:
    yaml = YAML.replace("documents:\n", "languages: [en, es, th]\n"
                        "formats: [docx, pdf, html]\ndocuments:\n", 1)
    return write_project(tmp_path_factory.mktemp("completion-l10n") / "proj", yaml, files())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = _project(tmp_path_factory)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = Project.load(root).build(documents=["completion"], languages=["es", "th"])
    assert report.ok, [o.error for o in report.failed]
    return root, report, [str(w.message) for w in caught]


def _docx(path: Path) -> str:
    document = docx.Document(path)
    lines = [p.text for p in document.paragraphs]
    lines += [" ".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
    return squash("\n".join(lines))


def _english_left(text: str, lang: str) -> list[str]:
    """English words apecdocs would have written; the narrative's own English
    ("We counted ... women 42.9%", "Narrative of ...") is the author's and stays."""
    text = re.sub(r"women 42[.,]9", "", squash(text))
    return [w for w in ENGLISH + ENGLISH_MONEY[lang]
            if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]


@pytest.mark.parametrize("lang", ["es", "th"])
def test_docx_is_worded_in_the_language(built, lang):
    root, _report, _warned = built
    text = _docx(root / "_build" / lang / "completion.docx")
    missing = [w for w in WORDS[lang] if squash(w) not in text]  # no-break spaces folded
    assert not missing, missing
    assert _english_left(text, lang) == []


@pytest.mark.parametrize("lang", ["es", "th"])
def test_html_is_worded_in_the_language(built, lang):
    root, _report, _warned = built
    raw = html_text(root / "_build" / lang / "completion.html")
    assert lang != "es" or f"57,1{NBSP}%" in raw  # "57,1 %" kept together on a line
    text = squash(raw)
    missing = [w for w in WORDS[lang] if squash(w) not in text]  # no-break spaces folded
    assert not missing, missing
    assert _english_left(text, lang) == []


@pytest.mark.parametrize("lang", ["es", "th"])
def test_pdf_is_worded_in_the_language(built, lang):
    root, _report, _warned = built
    chars = skeleton(pdf_chars(root / "_build" / lang / "completion.pdf"))
    missing = [w for w in WORDS[lang] if skeleton(w) not in chars]
    assert not missing, missing
    assert _english_left(pdf_text(root / "_build" / lang / "completion.pdf"), lang) == []


def test_the_comments_are_a_lettered_annex_in_the_contents(built):
    root, _report, _warned = built
    html = squash(html_text(root / "_build" / "es" / "completion.html"))
    assert html.count("Anexo A: Comentarios de los participantes") >= 2  # contents and body
    document = docx.Document(root / "_build" / "es" / "completion.docx")
    [heading] = [p for p in document.paragraphs if "Comentarios de los participantes" in p.text
                 and p.style.name.startswith("Heading")]
    assert heading.text.startswith("Anexo A")
    assert heading.style.name == "Heading 1"


def test_thai_charts_have_every_glyph_and_no_warning(built):
    _root, report, warned = built
    assert not [w for w in warned if "missing from font" in w], warned
    assert not [w for o in report.outputs for w in o.warnings if "glyph" in w]


def test_check_reports_targets_in_english(tmp_path_factory):
    root = _project(tmp_path_factory)
    findings = Project.load(root).check()
    texts = [f.message for f in findings if f.code == "monitoring-target"]
    assert "target 'Forms' (min 50%): 57.1% — met" in texts
    assert "target 'Economies' (min 4, max 12): 3 — not met" in texts


def test_questionnaire_report_in_spanish(tmp_path_factory):
    root = _project(tmp_path_factory)
    report = Project.load(root).build(documents=["questionnaire"], formats=["html"],
                                      languages=["es"])
    assert report.ok, [o.error for o in report.failed]
    text = squash(html_text(root / "_build" / "es" / "questionnaire.html"))
    for words in ["1 Introducción", "3 Resultados por pregunta", "4 Conclusiones",
                  "Respondida por 2 de 2 economías participantes. Sin respuesta: ninguna.",
                  "Comentarios: Not yet (Canadá)", "Beta 2 Australia; Canadá",
                  "Answered by Australia y Canadá."]:  # stats.questionnaire.respondents_text
        assert words in text, words
    for english in ["Introduction", "Results by question", "Conclusions", "responding economies",
                    "No answer", "Comments:", "Canada"]:
        assert english not in text, english


def test_the_reports_catalog_holds_the_authors_text_not_the_labels(tmp_path_factory):
    """The tables and headings the plugin's template writes are labels: a translator of
    the completion report sees the narrative and the project's own words only."""
    from test_languages import cli

    root = _project(tmp_path_factory)
    result = cli(root, "i18n", "extract", "--lang", "es", "completion")
    assert result.exit_code == 0, result.output
    ids = {e.msgid for e in polib.pofile(str(root / "locales/es/completion.po"))}
    assert {"Narrative of objectives.", "Forms", "Balance", "Use it at home (Chile)"} <= ids
    for label in ("Women", "Met", "Target", "Summary", "Participants’ comments",
                  "Experts well prepared", "Participants by economy and sex",
                  "neither sex above 60%", "at least 50%", "57.1% (4 of 7)",
                  "women 42.9%, men 57.1%", "Share of participants", "Government"):
        assert label not in ids and f"**{label}**" not in ids, label


def test_the_example_completion_report_in_spanish(tmp_path):
    """The worked example's report in Spanish: the prose from locales/es, every word
    and number apecdocs writes from the labels and Babel. Paragraphs whose figures the
    language writes differently ("41 %") still find their translation."""
    from conftest import copy_example

    root = tmp_path / "example"
    copy_example(root)
    report = Project.load(root).build(documents=["completion-report"], formats=["html"],
                                      languages=["es"])
    assert report.ok, [o.error for o in report.failed]
    text = squash(html_text(root / "_build" / "es" / "completion-report.html"))
    for words in ["El taller reunió a 61 participantes de 12 economías: Australia, Chile, Japón",
                  f"Las mujeres fueron el 41{NBSP}% de los participantes",
                  "Respondieron al cuestionario 5 economías (Australia, Canadá, Japón, Corea y "
                  "Singapur).", "Metas de seguimiento",
                  f"Formularios de evaluación devueltos por los participantes al menos 75{NBSP}% "
                  f"77{NBSP}% (47 de 61) Cumplida", "Financiación de APEC 99.550 USD",
                  "Anexo A: Comentarios de los participantes"]:
        assert squash(words) in text, words
    assert "The workshop brought together" not in text and "at least" not in text
