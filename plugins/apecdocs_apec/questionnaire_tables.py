"""Each question's results as the statistics report shows them, for every kind: choices
counted with the economies named, a rating's distribution and mean, numbers by
economy, a table question as a table, texts listed. Captions give n, the economies that
answered, whenever some respondents did not, so no share is read against the wrong base.
"""

from __future__ import annotations

from typing import Any

from apecdocs.labels import label, text

from .completion_tables import cell, table
from .completion_words import decimal, economy, score


def _n(r: dict[str, Any], lang: str) -> str:
    """' (n = 4 of 5)' when some respondents left the question unanswered, else ' (n = 5)'."""
    if r["answered"] < r["respondents"]:
        return f" ({text('n = {n} of {total}', lang, n=r['answered'], total=r['respondents'])})"
    return f" ({text('n = {n}', lang, n=r['answered'])})"


def _number(value: float | None, lang: str) -> str:
    return "—" if value is None else decimal(value, lang)


def _names(names: list[str], lang: str) -> str:
    """Economies in a cell, in ``lang``: "Australia; Japan", "澳大利亚; 日本"."""
    return "; ".join(economy(n, lang) for n in names) or "—"


def _texts(entries: list[dict[str, str]], lang: str) -> str:
    return "\n".join(f"- {cell(t['text'])} ({cell(economy(t['economy'], lang))})"
                     for t in entries) + "\n"


def _choices(r: dict[str, Any], ident: str, chart: Any, lang: str) -> dict[str, str]:
    rows = [[o["answer"], o["count"], _names(o["economies"], lang)] for o in r["options"]]
    caption = f"{r['id']}: {r['text']}{_n(r, lang)}"
    economies = label("Economies", lang)
    out = {"table": table([label(h, lang) for h in ("Answer", "Economies", "Which economies")],
                          rows, caption, f"tbl-{ident}", align="lrl")}
    if r.get("other_texts"):
        out["table"] += (f"\n{cell(label('Other answers specified:', lang))}\n\n"
                         + _texts(r["other_texts"], lang))
    counted = text("number of responding economies, n = {n}", lang, n=r["answered"])
    out["chart"] = chart(
        {"kind": "barh", "x": "answer", "y": [economies],
         "ylabel": label("Number of responding economies", lang)},
        [{"answer": o["answer"], economies: o["count"]} for o in r["options"]],
        f"{r['id']}: {r['text']} ({counted})", f"fig-{ident}")
    return out


def _rating(r: dict[str, Any], ident: str, chart: Any, lang: str) -> dict[str, str]:
    rows = [[d["score"], d["count"], _names(d["economies"], lang)] for d in r["distribution"]]
    low, high = r["scale"]
    mean = score(r["mean"], lang)
    caption = (f"{r['id']}: {r['text']}, {text('ratings from {low} to {high}', lang, low=low, high=high)}"
               f"{_n(r, lang)}; {text('mean {mean}', lang, mean=mean)}")
    economies = label("Economies", lang)
    summary = text("mean {mean}, n = {n}", lang, mean=mean, n=r["answered"])
    return {"table": table([label(h, lang) for h in ("Rating", "Economies", "Which economies")],
                           rows, caption, f"tbl-{ident}", align="rrl"),
            "chart": chart({"kind": "bar", "x": "rating", "y": [economies],
                            "ylabel": label("Number of responding economies", lang)},
                           [{"rating": str(d["score"]), economies: d["count"]}
                            for d in r["distribution"]],
                           f"{r['id']}: {r['text']} ({summary})", f"fig-{ident}")}


def _numbers(r: dict[str, Any], ident: str, lang: str) -> dict[str, str]:
    rows = [[economy(v["economy"], lang), v["value"]] for v in r["values"]]
    rows += [[label("Mean", lang), _number(r["mean"], lang)],
             [label("Lowest – highest", lang),
              f"{_number(r['min'], lang)} – {_number(r['max'], lang)}"]]
    return {"table": table([label("Economy", lang), label("Answer", lang)], rows,
                           f"{r['id']}: {r['text']}{_n(r, lang)}", f"tbl-{ident}", align="lr"),
            "chart": ""}


def _grid(r: dict[str, Any], ident: str, lang: str) -> dict[str, str]:
    header = [""] + [text("{column} (mean, n)" if k == "number" else "{column} (answers)",
                          lang, column=c)
                     for c, k in zip(r["columns"], r["column_kinds"], strict=True)]
    rows = []
    for line in r["table_rows"]:
        rows.append([line["row"]] + [f"{_number(c['mean'], lang)} ({c['n']})" if kind == "number"
                                     else str(c["n"])
                                     for c, kind in zip(line["cells"], r["column_kinds"],
                                                        strict=True)])
    out = table(header, rows, f"{r['id']}: {r['text']}{_n(r, lang)}", f"tbl-{ident}",
                align="l" + "r" * len(r["columns"]))
    texts = [{"economy": t["economy"], "text": f"{c['row']}, {c['column']}: {t['text']}"}
             for line in r["table_rows"] for c in line["cells"] for t in c["texts"]]
    return {"table": out + ("\n" + _texts(texts, lang) if texts else ""), "chart": ""}


def question_blocks(q: dict[str, Any], chart: Any, lang: str = "en") -> list[dict[str, Any]]:
    """Per question: its table (and chart where one helps), n and the comments."""
    out = []
    for r in q["question_results"]:
        ident = r["id"].lower()
        block = {**r, "table": "", "chart": "",
                 "no_answer_text": "; ".join(economy(e, lang) for e in r["no_answer"])
                 or label("none", lang),
                 "comments_text": _texts(r["comments"], lang)}
        if r["kind"] == "text":
            block["table"] = _texts(r["texts"], lang)
        elif r["kind"] == "rating":
            block.update(_rating(r, ident, chart, lang))
        elif r["kind"] == "number":
            block.update(_numbers(r, ident, lang))
        elif r["kind"] == "table":
            block.update(_grid(r, ident, lang))
        else:
            block.update(_choices(r, ident, chart, lang))
        out.append(block)
    return out
