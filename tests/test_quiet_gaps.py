"""Things the schema accepted but the output ignored, or got subtly wrong."""

from __future__ import annotations

import pytest
from test_completion_report import YAML, _docx_tables, files

from apecdocs import Project
from conftest import docx_paragraphs, html_text, pdf_text, squash, write_project
from monitoring_data import PARTICIPANTS


def test_sector_values_map_the_data_own_names(tmp_path):
    data = PARTICIPANTS.replace(",business,", ",Private sector,").replace(",other,", ",NGO,")
    yaml = YAML.replace("monitoring:\n", "monitoring:\n  sector_values: {Private sector: business, "
                        "NGO: other}\n")
    root = write_project(tmp_path / "mapped", yaml, files(**{"data/participants.csv": data}))
    Project.load(root).build(documents=["completion"], formats=["docx"])
    tables = _docx_tables(root / "_build/en/completion.docx")
    sectors = next(t for t in tables if t[0][0] == "Sector")
    assert [r[:4] for r in sectors[1:]] == [["Government", "1", "2", "3"],
                                           ["Business", "0", "2", "2"],
                                           ["Academia", "1", "0", "1"],
                                           ["Other (associations, non-profit)", "1", "0", "1"]]
    unmapped = write_project(tmp_path / "unmapped", YAML, files(**{"data/participants.csv": data}))
    findings = [f for f in Project.load(unmapped).check() if f.severity == "error"]
    assert any("'Private sector' is not an allowed sector" in f.message
               and "sector_values" in (f.hint or "") for f in findings)


def test_co_sponsors_in_apec_order_in_the_project_table(tmp_path):
    yaml = YAML.replace("proposing_economies: [Viet Nam]",
                        "proposing_economies: [Viet Nam]\n  co_sponsoring_economies: "
                        "[United States, Japan, Chile, \"Hong Kong, China\"]")
    root = write_project(tmp_path / "p", yaml, files())
    Project.load(root).build(documents=["completion"], formats=["docx"])
    rows = [r for t in _docx_tables(root / "_build/en/completion.docx") for r in t]
    row = next(r for r in rows if r[0] == "Co-sponsoring economies")
    assert row[1] == "Chile; Hong Kong, China; Japan; United States"


CIRCULAR = """\
project: {number: ECSG 02 2018, title: "MSMEs' Access to Markets"}
languages: [en, vi]
documents:
  - id: circ
    type: circular
    title: Call
    sources: [content/*.md]
    meta:
      heading: Call for nominations
      contacts:
        - {role: Project Overseer, name: Ms Bui Thi Thanh Hang, organisation: iDEA,
           email: hang@example.org, phone: "+84 24 0000 0000"}
        - {name: Mr Tom O'Neill, title: Program Director, organisation: APEC Secretariat}
  - id: pub
    type: publication
    title: "The Economy's Digital Future"
    sources: [content/*.md]
    meta: {subtitle: "MSMEs' \\"first steps\\" online", year: 2019}
"""


@pytest.fixture(scope="module")
def circular(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("circ") / "p", CIRCULAR,
                         {"content/01.md": "Economies are invited to nominate.\n"})
    Project.load(root).build()
    return root / "_build"


def test_circular_contacts_are_printed_in_every_format(circular):
    line = ("Project Overseer: Ms Bui Thi Thanh Hang, iDEA; Email: hang@example.org; "
            "Tel: +84 24 0000 0000")
    second = "Mr Tom O’Neill, Program Director, APEC Secretariat"
    out = circular / "en"
    for text in (squash("\n".join(docx_paragraphs(out / "circ.docx"))),
                 squash(pdf_text(out / "circ.pdf")), squash(html_text(out / "circ.html"))):
        assert "Contacts" in text and line in text and second in text
    vi = squash(html_text(circular / "vi" / "circ.html"))
    assert "Đầu mối liên hệ" in vi and "Thư điện tử: hang@example.org" in vi  # the labels


def test_cover_and_imprint_have_curly_apostrophes(circular):
    for path in (circular / "en" / "pub.docx",):
        text = "\n".join(docx_paragraphs(path))
        assert "The Economy’s Digital Future" in text and "MSMEs’ “first steps” online" in text
        assert "Economy's" not in text
    pdf = pdf_text(circular / "en" / "pub.pdf")
    assert "The Economy’s Digital Future" in pdf and "Economy's" not in pdf
