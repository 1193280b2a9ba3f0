"""Each question's results as the statistics report shows them, for every kind: choices
counted with the economies named, a rating's distribution and mean, numbers by
economy, a table question as a table, texts listed. Captions give n, the economies that
answered, whenever some respondents did not, so no share is read against the wrong base.
"""

from __future__ import annotations

from typing import Any

from .completion_tables import cell, table
from .stats import score


def _n(r: dict[str, Any]) -> str:
    """' (n = 4 of 5)' when some respondents left the question unanswered, else ' (n = 5)'."""
    if r["answered"] < r["respondents"]:
        return f" (n = {r['answered']} of {r['respondents']})"
    return f" (n = {r['answered']})"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def _texts(entries: list[dict[str, str]]) -> str:
    return "\n".join(f"- {cell(t['text'])} ({cell(t['economy'])})" for t in entries) + "\n"


def _choices(r: dict[str, Any], ident: str, chart: Any) -> dict[str, str]:
    rows = [[o["answer"], o["count"], "; ".join(o["economies"]) or "—"] for o in r["options"]]
    caption = f"{r['id']}: {r['text']}{_n(r)}"
    out = {"table": table(["Answer", "Economies", "Which economies"], rows, caption,
                          f"tbl-{ident}", align="lrl")}
    if r.get("other_texts"):
        out["table"] += "\nOther answers specified:\n\n" + _texts(r["other_texts"])
    out["chart"] = chart(
        {"kind": "barh", "x": "answer", "y": ["Economies"],
         "ylabel": "Number of responding economies"},
        [{"answer": o["answer"], "Economies": o["count"]} for o in r["options"]],
        f"{r['id']}: {r['text']} (number of responding economies, n = {r['answered']})",
        f"fig-{ident}")
    return out


def _rating(r: dict[str, Any], ident: str, chart: Any) -> dict[str, str]:
    rows = [[d["score"], d["count"], "; ".join(d["economies"]) or "—"] for d in r["distribution"]]
    low, high = r["scale"]
    caption = f"{r['id']}: {r['text']}, ratings from {low} to {high}{_n(r)}; mean {score(r['mean'])}"
    return {"table": table(["Rating", "Economies", "Which economies"], rows, caption,
                           f"tbl-{ident}", align="rrl"),
            "chart": chart({"kind": "bar", "x": "rating", "y": ["Economies"],
                            "ylabel": "Number of responding economies"},
                           [{"rating": str(d["score"]), "Economies": d["count"]}
                            for d in r["distribution"]],
                           f"{r['id']}: {r['text']} (mean {score(r['mean'])}, n = {r['answered']})",
                           f"fig-{ident}")}


def _numbers(r: dict[str, Any], ident: str) -> dict[str, str]:
    rows = [[v["economy"], v["value"]] for v in r["values"]]
    rows += [["Mean", _number(r["mean"])], ["Lowest – highest",
                                             f"{_number(r['min'])} – {_number(r['max'])}"]]
    return {"table": table(["Economy", "Answer"], rows, f"{r['id']}: {r['text']}{_n(r)}",
                           f"tbl-{ident}", align="lr"), "chart": ""}


def _grid(r: dict[str, Any], ident: str) -> dict[str, str]:
    header = [""] + [f"{c} (mean, n)" if k == "number" else f"{c} (answers)"
                     for c, k in zip(r["columns"], r["column_kinds"], strict=True)]
    rows = []
    for line in r["table_rows"]:
        rows.append([line["row"]] + [f"{_number(c['mean'])} ({c['n']})" if kind == "number"
                                     else str(c["n"])
                                     for c, kind in zip(line["cells"], r["column_kinds"],
                                                        strict=True)])
    out = table(header, rows, f"{r['id']}: {r['text']}{_n(r)}", f"tbl-{ident}",
                align="l" + "r" * len(r["columns"]))
    texts = [{"economy": t["economy"], "text": f"{c['row']}, {c['column']}: {t['text']}"}
             for line in r["table_rows"] for c in line["cells"] for t in c["texts"]]
    return {"table": out + ("\n" + _texts(texts) if texts else ""), "chart": ""}


def question_blocks(q: dict[str, Any], chart: Any) -> list[dict[str, Any]]:
    """Per question: its table (and chart where one helps), n and the comments."""
    out = []
    for r in q["question_results"]:
        ident = r["id"].lower()
        block = {**r, "table": "", "chart": "",
                 "no_answer_text": "; ".join(r["no_answer"]) or "none",
                 "comments_text": _texts(r["comments"])}
        if r["kind"] == "text":
            block["table"] = _texts(r["texts"])
        elif r["kind"] == "rating":
            block.update(_rating(r, ident, chart))
        elif r["kind"] == "number":
            block.update(_numbers(r, ident))
        elif r["kind"] == "table":
            block.update(_grid(r, ident))
        else:
            block.update(_choices(r, ident, chart))
        out.append(block)
    return out
