"""What the engine remembers about a style's elements (``elements``, ``speedups``,
``conditions``): each cs:text, cs:group and cs:if keeps its own answers, and a style or
locale rendered after another one gets its own, never the other's."""

from __future__ import annotations

from pathlib import Path

from apecdocs_citations import engine, styles

from apecdocs.pandoc_ast import stringify

ITEMS = {
    "lee": {"id": "lee", "type": "article-journal", "title": "Trade and Growth",
            "author": [{"family": "Lee", "given": "Ann"}, {"family": "Kim", "given": "Bo"},
                       {"family": "Park", "given": "Chan"}, {"family": "Cho", "given": "Dae"}],
            "container-title": "Journal of Trade", "volume": "3", "page": "10-20",
            "issued": {"date-parts": [[2019]]}},
    "wb": {"id": "wb", "type": "book", "title": "Global Economic Prospects",
           "author": [{"literal": "World Bank"}], "issued": {"date-parts": [[2020]]},
           "publisher": "World Bank", "publisher-place": "Washington, DC"},
}

STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id>own</id><title>Own</title><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="title"><text variable="title"/></macro>
  <citation><layout><text macro="title" quotes="true"/></layout></citation>
  <bibliography><layout>{layout}</layout></bibliography>
</style>"""


def texts(result: engine.Result) -> tuple[list[str], list[str]]:
    return ([stringify([n["c"] if n["t"] == "Note" else n for n in c])
             for c in result.citations], [stringify(e.body) for e in result.entries])


def render(style: Path | str, items: dict, keys: list[str], locale: str = "en-US",
           locator: tuple[str, str] | None = None) -> tuple[list[str], list[str]]:
    path = style if isinstance(style, Path) else styles.packaged(style)
    groups = [[engine.Cite(k, locator=locator)] for k in keys]
    return texts(engine.render({k: items[k] for k in keys}, groups, path, locale))


def own_style(tmp_path: Path, layout: str) -> Path:
    path = tmp_path / "own.csl"
    path.write_text(STYLE.format(layout=layout), encoding="utf-8")
    return path


def test_each_text_of_one_macro_keeps_its_own_markup(tmp_path: Path) -> None:
    """One macro, printed by cs:text elements that ask for different steps: quotes,
    case with affixes, formatting, stripped periods, a group's affixes; and nothing."""
    style = own_style(tmp_path, """
      <text macro="title" quotes="true" suffix=" "/>
      <text macro="title" text-case="uppercase" prefix="[" suffix="] "/>
      <text variable="title" font-style="italic" suffix=" "/>
      <group prefix="(" suffix=")" delimiter="; ">
        <text variable="container-title" strip-periods="true"/>
        <text term="volume" form="short"/>
      </group>
      <text macro="title" prefix=" "/>""")
    items = {"t": {"id": "t", "type": "article-journal", "title": "Trade and Growth",
                   "container-title": "J. of Trade"}}
    for _ in range(2):  # the second render reads what the first one kept
        cites, entries = render(style, items, ["t"])
        assert cites == ["“Trade and Growth”"]
        assert entries == ["“Trade and Growth” [TRADE AND GROWTH] Trade and Growth "
                           "(J of Trade; vol.) Trade and Growth"]
    result = engine.render(items, [[engine.Cite("t")]], style, "en-US")
    italic = [n for n in result.entries[0].body if n["t"] == "Emph"]
    assert [stringify(n["c"]) for n in italic] == ["Trade and Growth"]  # one text only


def test_conditions_match_all_any_and_none_by_type_and_variable(tmp_path: Path) -> None:
    """Tests of type and variable stop at the result that decides the match; each
    branch is taken exactly where every result, looked at in full, would take it."""
    style = own_style(tmp_path, """
      <text variable="title" suffix=": "/>
      <choose>
        <if type="book" variable="volume" match="all"><text value="ALL"/></if>
        <else-if type="thesis report" variable="volume page" match="any">
          <text value="ANY"/></else-if>
        <else-if type="article-journal" variable="page" match="none">
          <text value="NONE"/></else-if>
        <else><text value="ELSE"/></else>
      </choose>""")
    items = {
        "a": {"id": "a", "type": "book", "title": "A", "volume": "2"},
        "b": {"id": "b", "type": "book", "title": "B"},
        "c": {"id": "c", "type": "article-journal", "title": "C", "page": "4"},
        "d": {"id": "d", "type": "article-journal", "title": "D"},
        "e": {"id": "e", "type": "report", "title": "E"},
    }
    _, entries = render(style, items, ["a", "b", "c", "d", "e"])
    assert entries == ["A: ALL", "B: NONE", "C: ANY", "D: ELSE", "E: ANY"]


def test_styles_and_locales_rendered_in_turn_keep_their_own_results() -> None:
    """Rendering with one style and locale, then others, then the first again: each
    gets its own terms, punctuation and name forms, as the first time."""
    runs = [("apa", "en-US"), ("apa", "de-DE"), ("ieee", "fr-FR"),
            ("chicago-note-bibliography", "de-DE")]
    first = [render(s, ITEMS, ["lee", "wb"], loc, ("page", "11")) for s, loc in runs]
    again = [render(s, ITEMS, ["lee", "wb"], loc, ("page", "11"))
             for s, loc in reversed(runs)]
    assert again == list(reversed(first))
    apa_en, apa_de, ieee_fr, chicago_de = first
    assert apa_en[0][0] == "(Lee et al., 2019, p. 11)"
    assert apa_de[0][0] == "(Lee et al., 2019, S. 11)"  # the German locale's page term
    assert ieee_fr[0] == ["[1, p. 11]", "[2, p. 11]"]
    assert "«\u00a0Trade and Growth\u00a0»" in ieee_fr[1][0]  # French quotes
    assert chicago_de[1][0].startswith("Lee, Ann, Bo Kim, Chan Park, und Dae Cho. „Trade")
    assert apa_en[1][0].startswith("Lee, A., Kim, B., Park, C., & Cho, D. (2019).")


def test_conditions_on_the_cite_stop_where_the_match_is_decided(tmp_path: Path) -> None:
    """Locator, is-numeric and variable tests together: each cite takes the branch its
    results decide, whichever test decides it."""
    path = tmp_path / "cites.csl"
    path.write_text("""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id>cites</id><title>Cites</title><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><choose>
    <if locator="page" is-numeric="locator" match="all"><text value="P-NUM"/></if>
    <else-if locator="chapter" variable="title" match="none"><text value="NONE"/></else-if>
    <else-if is-numeric="volume" locator="page" match="any"><text value="ANY"/></else-if>
    <else><text value="ELSE"/></else>
  </choose></layout></citation>
</style>""", encoding="utf-8")
    items = {"a": {"id": "a", "type": "article-journal", "title": "A", "volume": "3"},
             "b": {"id": "b", "type": "book", "title": "B"},
             "c": {"id": "c", "type": "book"}}
    groups = [[engine.Cite("a", locator=("page", "12"))], [engine.Cite("a", locator=(
        "page", "xii"))], [engine.Cite("b", locator=("chapter", "2"))], [engine.Cite("b")],
        [engine.Cite("c")]]
    cites, _ = texts(engine.render(items, groups, path, "en-US"))
    assert cites == ["P-NUM", "ANY", "ELSE", "ELSE", "NONE"]


def test_initials_follow_each_names_own_options(tmp_path: Path) -> None:
    """The same given names, initialized with and without hyphens and kept whole by
    ``initialize="false"``, in one render and again in the next: initials made once are
    reused only where every option is the same."""
    path = tmp_path / "initials.csl"
    path.write_text("""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id>initials</id><title>I</title><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation initialize-with-hyphen="false"><layout>
    <names variable="author"><name initialize-with=". " delimiter="; "/></names>
  </layout></citation>
  <bibliography><layout>
    <names variable="author"><name initialize-with=". " delimiter="; "/></names>
    <names variable="editor" prefix=" / ">
      <name initialize-with=". " initialize="false" delimiter="; "/></names>
  </layout></bibliography>
</style>""", encoding="utf-8")
    people = [{"family": "Sartre", "given": "Jean-Paul"}, {"family": "Wu", "given": "James T"}]
    items = {"a": {"id": "a", "type": "book", "author": people, "editor": people}}
    for _ in range(2):
        cites, entries = texts(engine.render(items, [[engine.Cite("a")]], path, "en-US"))
        assert cites == ["J. P. Sartre; J. T. Wu"]
        assert entries == ["J.-P. Sartre; J. T. Wu / Jean-Paul Sartre; James T. Wu"]
