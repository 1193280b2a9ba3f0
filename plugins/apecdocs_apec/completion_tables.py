"""Computed figures as Markdown tables and SVG charts, ready for the report templates.

Templates only place these; every number comes from ``stats``. Tables are pandoc pipe
tables with a caption and an id (``@tbl-participants``); charts are drawn by the charts
plugin's ``draw`` into the project's cache and referred to from the project root, so
DOCX, PDF and HTML all embed the same vector SVG.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from . import economies
from .stats import SCALE, pct, score

_DRAWING = threading.Lock()  # matplotlib's pyplot is not thread-safe; builds run in threads
SECTOR_NAMES = {"government": "Government", "business": "Business", "academia": "Academia",
                "other": "Other (associations, non-profit)"}
ROLE_NAMES = {"speaker": "Speakers", "participant": "Participants", "organiser": "Organisers"}


def cell(value: Any) -> str:
    """Text safe inside a pipe-table cell or a list item."""
    text = " ".join(str(value).split())
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


def _date(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return f"{value.day} {value:%B %Y}" if isinstance(value, dt.date) else str(value)


def header_table(meta: dict[str, Any], document_meta: dict[str, Any]) -> str:
    """The APEC project header fields, from ``project:`` in apecdocs.yaml."""
    funding = meta.get("funding") or {}
    currency = funding.get("currency", "USD")
    money = (lambda v: f"{currency} {v:,}") if funding else str
    overseer = meta.get("overseer") or {}
    rows = [
        ("Project number", meta.get("number")),
        ("Project title", meta.get("title")),
        ("Sponsoring forum", meta.get("forum")),
        ("Committee", meta.get("committee")),
        ("Proposing economy", economies.apec_list(meta.get("proposing_economies") or [])),
        ("Co-sponsoring economies", economies.apec_list(meta.get("co_sponsoring_economies")
                                                        or [])),
        ("Project start and completion", " – ".join(_date(d) for d in (meta.get("start"),
                                                                        meta.get("end")) if d)),
        ("Event", document_meta.get("event")),
        ("APEC funding", money(funding["apec"]) if "apec" in funding else None),
        ("Co-funding", money(funding["co_funding"]) if "co_funding" in funding else None),
        ("Total project value", money(funding.get("apec", 0) + funding.get("co_funding", 0))
         if funding else None),
        ("Project overseer", ", ".join(x for x in (overseer.get("name"), overseer.get("title"),
                                                   overseer.get("organisation")) if x)),
        ("Date of this report", document_meta.get("date")),
    ]
    body = [[bold(k), v] for k, v in rows if v]
    return table(["", ""], body, align="ll")


def _count_share(n: int, total: int) -> str:
    return f"{n} ({pct(n / total)})" if total else str(n)


def participant_tables(p: dict[str, Any]) -> dict[str, str]:
    by_economy = [[r["economy"], r["women"], r["men"], r["total"]] for r in p["by_economy"]]
    by_economy.append([bold("Total"), bold(p["women"]), bold(p["men"]), bold(p["total"])])
    roles = [[ROLE_NAMES[k], r["women"], r["men"], r["total"], pct(r["women_share"])]
             for k, r in p["by_role"].items() if r["total"]]
    roles.append([bold("All"), bold(p["women"]), bold(p["men"]), bold(p["total"]),
                  bold(pct(p["women_share"]))])
    sectors = [[SECTOR_NAMES[r["sector"]], r["women"], r["men"], r["total"], pct(r["share"])]
               for r in p["by_sector"] if r["total"]]
    return {
        "participants_by_economy": table(
            ["Economy", "Women", "Men", "Total"], by_economy,
            "Participants by economy and sex", "tbl-participants"),
        "participants_by_role": table(
            ["Role", "Women", "Men", "Total", "Women (%)"], roles,
            "Participants by role and sex", "tbl-roles"),
        "participants_by_sector": table(
            ["Sector", "Women", "Men", "Total", "Share of participants"], sectors,
            "Participants by sector", "tbl-sectors"),
    }


def evaluation_tables(e: dict[str, Any], participants_total: int) -> dict[str, str]:
    items = [[r["label"], r["n"], *r["counts"], r["no_answer"], score(r["mean"]),
              pct(r["agree_share"])] for r in e["item_results"]]
    k = e["knowledge"]
    knowledge = [[label, k[key]["n"], *k[key]["counts"], score(k[key]["mean"])]
                 for key, label in (("before", "Before the workshop"),
                                    ("after", "After the workshop"))]
    by_sex = [["Evaluation forms returned", e["women_returned"], e["men_returned"],
               e["returned"]],
              ["Mean score, all items (1–5)", score(e["overall_mean_women"]),
               score(e["overall_mean_men"]), score(e["overall_mean"])]]
    return {
        "evaluation_items": table(
            ["Item", "Answers", "1", "2", "3", "4", "5", "No answer", "Mean", "Agree (4–5)"],
            items, "Evaluation items: answers by score (1 = strongly disagree, "
            "5 = strongly agree), mean and share agreeing", "tbl-evaluation"),
        "knowledge": table(
            ["Self-assessed knowledge", "Answers", "1", "2", "3", "4", "5", "Mean"], knowledge,
            "Knowledge of the topic before and after the workshop (1 = very low, "
            "5 = very high)", "tbl-knowledge"),
        "evaluation_by_sex": table(
            ["", "Women", "Men", "All"], by_sex, "Evaluation forms and scores by sex",
            "tbl-evaluation-sex"),
        "comments": comments(e["comments"]),
    }


def comments(groups: dict[str, list[dict[str, str]]]) -> str:
    """Every free-text answer, as written, under its question."""
    from .stats import TEXT_FIELDS

    out = []
    for key, label in TEXT_FIELDS.items():
        entries = groups.get(key) or []
        out.append(f"**{cell(label)}** ({len(entries)} answers)\n")
        out += [f"- {cell(c['text'])} ({cell(c['economy'])})" for c in entries] or ["- None."]
        out.append("")
    return "\n".join(out) + "\n"


def targets_table(results: list[dict[str, Any]], ident: str = "tbl-targets") -> str:
    rows = [[r["label"], r["planned"], r["measured"], bold(r["status"]) if not r["met"]
             else r["status"]] for r in results]
    return table(["Target", "Planned", "Measured", "Result"], rows,
                 "Monitoring targets of the proposal and results", ident, align="llll")


def questionnaire_tables(q: dict[str, Any]) -> dict[str, str]:
    rows = [[r["economy"], "Yes" if r["developed"] else "No",
             f"{r['answered']} of {r['questions']}"] for r in q["by_economy"]]
    return {"questionnaire_by_economy": table(
        ["Economy", "Developed economy", "Questions answered"], rows,
        "Questionnaire responses by economy", "tbl-questionnaire", align="llr")}


def chart_maker(project_root: Path, folder: Path):
    """``chart(spec, rows, caption, ident)`` -> a Markdown figure of a drawn SVG."""
    from apecdocs_charts import draw

    def chart(spec: dict[str, Any], rows: list[dict[str, Any]], caption: str, ident: str) -> str:
        with _DRAWING:
            path = draw(spec, rows, folder)
        src = "/" + path.resolve().relative_to(project_root.resolve()).as_posix()
        return f"![{cell(caption)}]({src}){{#{ident} width=100%}}\n"

    return chart


def completion_charts(figures: dict[str, Any], chart: Any) -> dict[str, str]:
    p, e = figures["participants"], figures["evaluation"]
    k = e["knowledge"]
    return {
        "participants": chart(
            {"kind": "stacked-bar", "x": "economy", "y": ["Women", "Men"],
             "ylabel": "Participants"},
            [{"economy": r["economy"], "Women": r["women"], "Men": r["men"]}
             for r in p["by_economy"]],
            "Participants by economy and sex", "fig-participants"),
        "evaluation": chart(
            {"kind": "barh", "x": "item", "y": ["Mean score"],
             "ylabel": "Mean score (1 = strongly disagree, 5 = strongly agree)"},
            [{"item": r["label"], "Mean score": round(r["mean"] or 0, 2)}
             for r in e["item_results"]],
            "Evaluation items: mean score", "fig-evaluation"),
        "knowledge": chart(
            {"kind": "bar", "x": "score", "y": ["Before", "After"],
             "ylabel": "Respondents", "xlabel": "Self-assessed knowledge (1 = very low, "
             "5 = very high)", "labels": {"Before": "Before the workshop",
                                          "After": "After the workshop"}},
            [{"score": s, "Before": k["before"]["counts"][s - 1],
              "After": k["after"]["counts"][s - 1]} for s in SCALE],
            "Knowledge of the topic before and after the workshop", "fig-knowledge"),
    }
