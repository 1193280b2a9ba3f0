"""Computed figures as Markdown tables and SVG charts, ready for the report templates.

Templates only place these; every number comes from ``stats``. Tables are pandoc pipe
tables with a caption and an id (``@tbl-participants``); charts are drawn by the charts
plugin's ``draw`` into the project's cache and referred to from the project root, so
DOCX, PDF and HTML all embed the same vector SVG.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from apecdocs.errors import ApecdocsError
from apecdocs.labels import label, text
from apecdocs.localize import date_text

from .completion_words import economy, economy_list, money, pct, score
from .stats import SCALE

_DRAWING = threading.Lock()  # matplotlib's pyplot is not thread-safe; builds run in threads
# English msgids of the label catalogs: tables print them through ``label(..., lang)``.
SECTOR_NAMES = {"government": "Government", "business": "Business", "academia": "Academia",
                "other": "Other (associations, non-profit)"}
ROLE_NAMES = {"speaker": "Speakers", "participant": "Participants", "organiser": "Organisers"}


def cell(value: Any) -> str:
    """Text safe inside a pipe-table cell or a list item. Line breaks and runs of spaces
    fold, no-break spaces stay ("57,1 %" in Spanish keeps its sign on the line)."""
    text = " ".join(re.split(r"[ \t\r\n\f\v]+", str(value).strip(" \t\r\n\f\v")))
    for char in "\\|*_`[]<>#":
        text = text.replace(char, "\\" + char)
    return text


def table(header: list[str], rows: list[list[Any]], caption: str = "", ident: str = "",
          align: str = "") -> str:
    """A pipe table; ``align`` is one letter per column (l, r, c), default l then r."""
    align = align or "l" + "r" * (len(header) - 1)
    texts = [[c if isinstance(c, Markup) else cell(c) for c in row] for row in rows]
    # Dashes in proportion to the longest text (capped): pandoc's relative column widths.
    widths = [min(max(3, len(cell(h)), *(len(r[i]) for r in texts)), 36)
              for i, h in enumerate(header)]
    marks = [(":" if a in "lc" else "-") + "-" * w + (":" if a in "rc" else "-")
             for a, w in zip(align, widths, strict=True)]
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "|".join(marks) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in texts]
    if caption:
        # Widths from the content (apecdocs.tables), not from the dashes above.
        lines += ["", f": {cell(caption)} {{{'#' + ident + ' ' if ident else ''}widths=\"auto\"}}"]
    return "\n".join(lines) + "\n"


class Markup(str):
    """A cell already written in Markdown (bold totals): not escaped again."""


def bold(value: Any) -> Markup:
    return Markup(f"**{cell(value)}**")


def _date(value: Any, lang: str) -> str:
    """A date in ``lang``; text that is no ISO date ("December 2019") as written."""
    try:
        return date_text(value, lang)
    except ApecdocsError:
        return str(value)


def header_table(meta: dict[str, Any], document_meta: dict[str, Any], lang: str = "en") -> str:
    """The APEC project header fields, from ``project:`` in apecdocs.yaml."""
    funding = meta.get("funding") or {}
    currency = funding.get("currency", "USD")

    def amount(value: Any) -> str:
        return money(value, lang, currency) if isinstance(value, (int, float)) else str(value)
    overseer = meta.get("overseer") or {}
    rows = [
        ("Project number", meta.get("number")),
        ("Project title", meta.get("title")),
        ("Sponsoring forum", meta.get("forum")),
        ("Committee", meta.get("committee")),
        ("Proposing economy", economy_list(meta.get("proposing_economies") or [], lang)),
        ("Co-sponsoring economies", economy_list(meta.get("co_sponsoring_economies") or [],
                                                 lang)),
        ("Project start and completion", " – ".join(_date(d, lang) for d in (
            meta.get("start"), meta.get("end")) if d)),
        ("Event", document_meta.get("event")),
        ("APEC funding", amount(funding["apec"]) if "apec" in funding else None),
        ("Co-funding", amount(funding["co_funding"]) if "co_funding" in funding else None),
        ("Total project value", amount(funding.get("apec", 0) + funding.get("co_funding", 0))
         if funding else None),
        ("Project overseer", ", ".join(x for x in (overseer.get("name"), overseer.get("title"),
                                                   overseer.get("organisation")) if x)),
        ("Date of this report", _date(document_meta["date"], lang)
         if document_meta.get("date") else None),
    ]
    body = [[bold(label(k, lang)), v] for k, v in rows if v]
    return table(["", ""], body, align="ll")


def participant_tables(p: dict[str, Any], lang: str = "en") -> dict[str, str]:
    def w(msgid: str) -> str:
        return label(msgid, lang)

    by_economy = [[economy(r["economy"], lang), r["women"], r["men"], r["total"]]
                  for r in p["by_economy"]]
    by_economy.append([bold(w("Total")), bold(p["women"]), bold(p["men"]), bold(p["total"])])
    roles = [[w(ROLE_NAMES[k]), r["women"], r["men"], r["total"], pct(r["women_share"], lang)]
             for k, r in p["by_role"].items() if r["total"]]
    roles.append([bold(w("All")), bold(p["women"]), bold(p["men"]), bold(p["total"]),
                  bold(pct(p["women_share"], lang))])
    sectors = [[w(SECTOR_NAMES[r["sector"]]), r["women"], r["men"], r["total"],
                pct(r["share"], lang)] for r in p["by_sector"] if r["total"]]
    return {
        "participants_by_economy": table(
            [w("Economy"), w("Women"), w("Men"), w("Total")], by_economy,
            w("Participants by economy and sex"), "tbl-participants"),
        "participants_by_role": table(
            [w("Role"), w("Women"), w("Men"), w("Total"), w("Women (%)")], roles,
            w("Participants by role and sex"), "tbl-roles"),
        "participants_by_sector": table(
            [w("Sector"), w("Women"), w("Men"), w("Total"), w("Share of participants")], sectors,
            w("Participants by sector"), "tbl-sectors"),
    }


def evaluation_tables(e: dict[str, Any], participants_total: int,
                      lang: str = "en") -> dict[str, str]:
    def w(msgid: str) -> str:
        return label(msgid, lang)

    items = [[w(r["label"]), r["n"], *r["counts"], r["no_answer"], score(r["mean"], lang),
              pct(r["agree_share"], lang)] for r in e["item_results"]]
    k = e["knowledge"]
    knowledge = [[w(name), k[key]["n"], *k[key]["counts"], score(k[key]["mean"], lang)]
                 for key, name in (("before", "Before the workshop"),
                                   ("after", "After the workshop"))]
    by_sex = [[w("Evaluation forms returned"), e["women_returned"], e["men_returned"],
               e["returned"]],
              [w("Mean score, all items (1–5)"), score(e["overall_mean_women"], lang),
               score(e["overall_mean_men"], lang), score(e["overall_mean"], lang)]]
    scale = ["1", "2", "3", "4", "5"]
    return {
        "evaluation_items": table(
            [w("Item"), w("Answers"), *scale, w("No answer"), w("Mean"), w("Agree (4–5)")],
            items, w("Evaluation items: answers by score (1 = strongly disagree, "
                     "5 = strongly agree), mean and share agreeing"), "tbl-evaluation"),
        "knowledge": table(
            [w("Self-assessed knowledge"), w("Answers"), *scale, w("Mean")], knowledge,
            w("Knowledge of the topic before and after the workshop (1 = very low, "
              "5 = very high)"), "tbl-knowledge"),
        "evaluation_by_sex": table(
            ["", w("Women"), w("Men"), w("All")], by_sex, w("Evaluation forms and scores by sex"),
            "tbl-evaluation-sex"),
        "comments": comments(e["comments"], lang),
    }


def comments(groups: dict[str, list[dict[str, str]]], lang: str = "en") -> str:
    """Every free-text answer, as written, under its question."""
    from .stats import TEXT_FIELDS

    out = []
    for key, question in TEXT_FIELDS.items():
        entries = groups.get(key) or []
        out.append(f"**{cell(label(question, lang))}** "
                   f"({cell(text('{n} answers', lang, n=len(entries)))})\n")
        out += [f"- {cell(c['text'])} ({cell(economy(c['economy'], lang))})"
                for c in entries] or [
            f"- {cell(label('None.', lang))}"]
        out.append("")
    return "\n".join(out) + "\n"


def targets_table(results: list[dict[str, Any]], ident: str = "tbl-targets",
                  lang: str = "en") -> str:
    """The targets, ``results`` worded in ``lang`` (``completion_words.worded``)."""
    rows = [[r["label"], r["planned"], r["measured"],
             bold(r["status"]) if not r["met"] else r["status"]] for r in results]
    return table([label(h, lang) for h in ("Target", "Planned", "Measured", "Result")], rows,
                 label("Monitoring targets of the proposal and results", lang), ident,
                 align="llll")


def questionnaire_tables(q: dict[str, Any], lang: str = "en") -> dict[str, str]:
    rows = [[economy(r["economy"], lang), label("Yes" if r["developed"] else "No", lang),
             text("{n} of {total}", lang, n=r["answered"], total=r["questions"])]
            for r in q["by_economy"]]
    return {"questionnaire_by_economy": table(
        [label(h, lang) for h in ("Economy", "Developed economy", "Questions answered")], rows,
        label("Questionnaire responses by economy", lang), "tbl-questionnaire", align="llr")}


def chart_maker(project_root: Path, folder: Path, lang: str | None = None):
    """``chart(spec, rows, caption, ident)`` -> a Markdown figure of a drawn SVG, its axis
    numbers written with ``lang``'s decimal sign."""
    from apecdocs_charts import draw

    def chart(spec: dict[str, Any], rows: list[dict[str, Any]], caption: str, ident: str) -> str:
        with _DRAWING:
            path = draw(spec, rows, folder, lang=lang)
        src = "/" + path.resolve().relative_to(project_root.resolve()).as_posix()
        return f"![{cell(caption)}]({src}){{#{ident} width=100%}}\n"

    return chart


def completion_charts(figures: dict[str, Any], chart: Any, lang: str = "en") -> dict[str, str]:
    def w(msgid: str) -> str:
        return label(msgid, lang)

    p, e = figures["participants"], figures["evaluation"]
    k = e["knowledge"]
    women, men, mean = w("Women"), w("Men"), w("Mean score")
    before, after = w("Before"), w("After")
    return {
        "participants": chart(
            {"kind": "stacked-bar", "x": "economy", "y": [women, men],
             "ylabel": w("Participants")},
            [{"economy": economy(r["economy"], lang), women: r["women"], men: r["men"]}
             for r in p["by_economy"]],
            w("Participants by economy and sex"), "fig-participants"),
        "evaluation": chart(
            {"kind": "barh", "x": "item", "y": [mean],
             "ylabel": w("Mean score (1 = strongly disagree, 5 = strongly agree)")},
            [{"item": w(r["label"]), mean: round(r["mean"] or 0, 2)}
             for r in e["item_results"]],
            w("Evaluation items: mean score"), "fig-evaluation"),
        "knowledge": chart(
            {"kind": "bar", "x": "score", "y": [before, after],
             "ylabel": w("Respondents"), "xlabel": w("Self-assessed knowledge (1 = very low, "
                                                     "5 = very high)"),
             "labels": {before: w("Before the workshop"), after: w("After the workshop")}},
            [{"score": s, before: k["before"]["counts"][s - 1],
              after: k["after"]["counts"][s - 1]} for s in SCALE],
            w("Knowledge of the topic before and after the workshop"), "fig-knowledge"),
    }
