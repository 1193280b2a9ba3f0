"""The review markers look a paragraph up by its first words only: what they read of a
block, and of its source, gives the places that reading all of it gave."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

from apecdocs import Project
from apecdocs.pandoc_ast import SOURCE_CLASS, stringify, stringify_start
from apecdocs.review.markers import Marker
from apecdocs.review.textmap import HEAD, WORD, DataIndex, RenderedSource, enough_words, words


def _inlines(rng: random.Random, size: int) -> list[dict]:
    """Inline text with the shapes that split or hide words: emphasis inside a word,
    quotes, notes (never text), hyphens and punctuation-only strings."""
    vocabulary = ["trade", "e-commerce", "—", "data", "ÉCONOMIE", "İstanbul", "x", "(2019)",
                  "gene", "“digital”", ",", "model"]
    out: list[dict] = []
    for _ in range(size):
        kind = rng.random()
        word = {"t": "Str", "c": rng.choice(vocabulary)}
        if kind < 0.1:
            out.append({"t": "Emph", "c": [word]})  # no space after: one word with the next
        elif kind < 0.15:
            out.append({"t": "Note", "c": [{"t": "Para", "c": [word]}]})
        elif kind < 0.2:
            out.append({"t": "Quoted", "c": [{"t": "DoubleQuote"}, [word, {"t": "Space"}, word]]})
        else:
            out += [word, {"t": rng.choice(["Space", "Space", "SoftBreak"])}]
    return out


def test_the_start_of_a_text_has_the_words_the_whole_has_first() -> None:
    rng = random.Random(16)
    for _ in range(400):
        inlines = _inlines(rng, rng.randint(0, 40))
        whole = stringify(inlines)
        start = stringify_start(inlines, enough_words)
        assert whole.startswith(start)
        assert words(start)[:HEAD] == words(whole)[:HEAD]
        assert bool(words(start)) == bool(words(whole))
        if len(words(whole)) > 3 * HEAD and len(whole) > 3 * len(start) > 0:
            break
    else:
        raise AssertionError("no long text was cut short")


def test_a_source_is_read_into_the_words_each_line_has() -> None:
    lines = ["## Findings {#sec-findings}", "İSTANBUL and ΟΔΟΣ, Ärger", "plain ASCII Words",
             "", "{.unnumbered} x_y 3.5"]
    source = RenderedSource(Path("a.md"), "\n".join(lines), "\n".join(lines))
    expected = [(w.lower(), number) for number, line in enumerate(lines, 1)
                for w in WORD.findall(line.replace("{#sec-findings}", " ")
                                      .replace("{.unnumbered}", " "))]
    assert list(zip(source.tokens, source.token_lines, strict=True)) == expected
    assert "i̇stanbul" in source.tokens  # lower-cased word by word, as before


def _source_div(path: Path, paragraphs: list[list[dict]]) -> dict:
    return {"t": "Div", "c": [["", [SOURCE_CLASS], [["path", str(path)]]],
                              [{"t": "Para", "c": para} for para in paragraphs]]}


def test_long_paragraphs_are_marked_at_their_lines(tmp_path: Path) -> None:
    """Paragraphs of hundreds of words, two starting alike, are placed at their own
    lines; one a template made from data at the data's line."""
    filler = " ".join(["trade"] * 300)
    text = "\n".join(["# Title", "", f"Growth in the region was strong {filler}", "",
                      f"Imports into these economies fell sharply {filler}", "",
                      "Growth in the region was strong again"])
    source_file = tmp_path / "chapter.md"
    source_file.write_text(text, encoding="utf-8")
    data_file = tmp_path / "data.yaml"
    data_file.write_text("note: Payments moved online during the pandemic quickly\n",
                         encoding="utf-8")
    rendered = text + "\n\nPayments moved online during the pandemic quickly"
    original = text + "\n\n{{ data.note }}"
    source = RenderedSource(source_file, original, rendered)
    project = SimpleNamespace(root=tmp_path)
    marker = Marker(project, {source_file: source}, DataIndex([data_file]), DataIndex([]))  # type: ignore[arg-type]

    def para(words_: str) -> list[dict]:
        out: list[dict] = []
        for i, word in enumerate(words_.split()):
            out += [{"t": "Space"}] if i else []
            out.append({"t": "Str", "c": word})
        return out

    ast = {"blocks": [_source_div(source_file, [
        para(f"Growth in the region was strong {filler}"),
        para(f"Imports into these economies fell sharply {filler}"),
        para("Growth in the region was strong again"),
        para("Payments moved online during the pandemic quickly"),
    ])], "meta": {}}
    marker.mark(ast)
    names = [block["c"][0]["c"][0][0] for block in ast["blocks"][0]["c"][1]]
    assert marker.files == ["chapter.md", "data.yaml"]
    assert names == ["apd1_0_3", "apd2_0_5", "apd3_0_7", "apd4_1_1"]


def test_the_markers_use_the_text_the_build_rendered(project_dir) -> None:
    """A DOCX build renders its sources once (plugins' template values are asked once):
    the markers look for the paragraphs in that same text, and find their lines."""
    root = project_dir(files={
        "content/01.md": "# Findings\n\nTrade grew {{ growth() }} in the region last year.\n\n"
                         "Payments moved online during the pandemic.\n",
        "plugins/count.py": "from apecdocs import hookimpl\n\nCALLS = []\n\n"
                            "@hookimpl\ndef template_context(project, document, lang):\n"
                            "    CALLS.append(lang)\n"
                            "    return {'growth': lambda: 'fast'}\n",
    })
    project = Project.load(root)
    project.build(formats=["docx"])
    assert project.plugins.get_plugin("apecdocs_local_count").CALLS == ["en"]
    with zipfile.ZipFile(root / "_build/en/doc.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
        properties = docx.read("docProps/custom.xml").decode("utf-8")
    assert re.findall(r'w:name="(apd\d+_\d+_\d+)"', xml) == ["apd1_0_1", "apd2_0_3", "apd3_0_5"]
    assert "content/01.md" in properties
