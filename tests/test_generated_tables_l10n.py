"""The words apecdocs writes into the completion report's and questionnaire report's
tables and into the list of speakers come from the label catalogs: a Spanish build
prints Spanish headers, captions and row labels, and none of the English ones."""

from __future__ import annotations

from test_agenda import DATA, PROJECT
from test_completion_report import YAML, files

from apecdocs import Project
from apecdocs.labels import LANGUAGES, catalog
from conftest import html_text, squash, write_project

COMPLETION_ES = ["Número de proyecto", "Foro patrocinador", "Financiación de APEC",
                 "Participantes por economía y sexo", "Economía Mujeres Hombres Total",
                 "Participantes por sector", "Sector Mujeres Hombres Total",
                 "Proporción de participantes", "Antes del taller", "Después del taller",
                 "Formularios de evaluación devueltos", "Conocimiento autoevaluado",
                 "Metas de seguimiento de la propuesta y resultados",
                 "Meta Previsto Medido Resultado", "No cumplida",
                 "Respuestas al cuestionario por economía", "Preguntas respondidas"]
COMPLETION_EN = ["Project number", "Sponsoring forum", "APEC funding",
                 "Participants by economy and sex", "Women", "Participants by sector",
                 "Share of participants", "Before the workshop", "After the workshop",
                 "Evaluation forms returned", "Self-assessed knowledge",
                 "Planned", "Measured", "Not met",
                 "Questionnaire responses by economy", "Questions answered",
                 "Mean score", "No answer"]


def test_completion_and_questionnaire_tables_in_spanish(tmp_path):
    yaml = YAML.replace("documents:\n", "languages: [en, es]\ndocuments:\n", 1)
    root = write_project(tmp_path / "proj", yaml, files())
    report = Project.load(root).build(formats=["html"], languages=["es"])
    assert report.ok
    out = root / "_build" / "es"
    completion = squash(html_text(out / "completion.html"))
    for words in COMPLETION_ES:
        assert words in completion, words
    for words in COMPLETION_EN:
        assert words not in completion, words
    questionnaire = squash(html_text(out / "questionnaire.html"))
    for words in ("Respuesta Economías Qué economías", "n = 2", "Número de proyecto",
                  "número de economías que respondieron"):
        assert words in questionnaire, words
    for words in ("Which economies", "Number of responding economies", "Project number"):
        assert words not in questionnaire, words


def test_list_of_speakers_in_spanish(project_dir):
    root = project_dir(PROJECT.replace("documents:\n", "languages: [en, es]\ndocuments:\n", 1),
                       {"data/agenda.yaml": DATA})
    report = Project.load(root).build(formats=["html"], languages=["es"], documents=["speakers"])
    assert report.ok
    text = squash(html_text(root / "_build" / "es" / "speakers.html"))
    assert "Nombre Cargo Economía Función en el programa" in text
    assert "Ponentes, presidencia, moderación y relatoría" in text
    assert "Presidencia, Session 1; Ponente, Session 2B" in text
    for words in ("Role in the programme", "Position", "Speakers, chairs", "Chair,"):
        assert words not in text, words


def test_table_words_are_translated_in_every_apec_language():
    """The new table words are translated, not the English copied over."""
    words = ["Participants by economy and sex", "Before the workshop", "Role in the programme",
             "Monitoring targets of the proposal and results", "Which economies"]
    for lang in LANGUAGES[1:]:
        shipped = catalog(lang)
        for msgid in words:
            assert shipped[msgid] and shipped[msgid] != msgid, (lang, msgid)
