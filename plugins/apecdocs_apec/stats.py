"""The figures of a completion report, computed from monitoring data, and targets checked.

Plain Python (no templates, no pandoc), so every number a report prints is unit-tested
here and templates only present it. ``compute`` reads and validates the data files
(``monitoring_data``: every problem with file, row and column) and returns plain dicts;
``evaluate_targets`` compares them with the targets a project sets in ``apecdocs.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import economies
from .monitoring_data import (  # noqa: F401  (re-exported: the data readers belong here too)
    ROLES,
    SCALE,
    SECTORS,
    STANDARD_ITEMS,
    TEXT_FIELDS,
    DataError,
    Evaluation,
    Participant,
    Problem,
    raise_problems,
    read_evaluations,
    read_participants,
    read_table,
)
from .questionnaire_data import Answer, read_questionnaire  # noqa: F401
from .questionnaire_stats import questionnaire_figures


def share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def pct(value: float | None) -> str:
    """0.7833 -> '78.3%', 0.4 -> '40%' (one decimal, so 60.3% is not shown as 60%).

    English, for messages to the team (``apecdocs check``); a report writes its
    figures in its own language through ``completion_words``."""
    if value is None:
        return "n/a"
    return f"{value * 100:.1f}".removesuffix(".0") + "%"


def score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


# -- participants -----------------------------------------------------------------------

def _sexes(people: list[Participant]) -> dict[str, Any]:
    total = len(people)
    women = sum(1 for p in people if p.sex == "female")
    men = sum(1 for p in people if p.sex == "male")
    return {"total": total, "women": women, "men": men,
            "women_share": share(women, total), "men_share": share(men, total)}


def participant_figures(people: list[Participant], workshop_days: int | None = None,
                        host: str | None = None) -> dict:
    """Totals, economies, and breakdowns by economy, sex, role and sector."""
    figures = _sexes(people)
    names = sorted({p.economy for p in people}, key=economies.sort_key)
    figures["economies"] = names
    figures["economies_count"] = len(names)
    figures["economies_text"] = economies.apec_list(names)
    figures["by_economy"] = [{"economy": e, **_sexes([p for p in people if p.economy == e])}
                             for e in names]
    host = economies.lookup(host).short if host and economies.lookup(host) else host
    figures["host"] = _sexes([p for p in people if p.economy == host])
    figures["host"]["economy"] = host
    figures["from_other_economies"] = figures["total"] - figures["host"]["total"]
    figures["other_economies_count"] = len([e for e in names if e != host])
    figures["by_role"] = {r: _sexes([p for p in people if p.role == r]) for r in ROLES}
    figures["by_sector"] = [{"sector": s, **_sexes([p for p in people if p.sector == s]),
                             "share": share(sum(p.sector == s for p in people), len(people))}
                            for s in SECTORS]
    figures["sector_counts"] = {r["sector"]: r["total"] for r in figures["by_sector"]}
    speakers = figures["by_role"]["speaker"]
    figures["speakers"] = speakers["total"]
    figures["women_speakers"] = speakers["women"]
    figures["women_speakers_share"] = speakers["women_share"]
    figures["largest_sex_share"] = max(figures["women_share"], figures["men_share"])
    funded = [p for p in people if p.apec_funded]
    has_funded = any(p.apec_funded is not None for p in people)
    figures["apec_funded"] = len(funded) if has_funded else None
    figures["apec_funded_women"] = sum(p.sex == "female" for p in funded) if has_funded else None
    figures["apec_funded_speakers"] = sum(p.role == "speaker" for p in funded)
    figures["apec_funded_economies"] = sorted({p.economy for p in funded}, key=economies.sort_key)
    days = [p.days_attended for p in people if p.days_attended is not None]
    figures["full_attendance"] = (sum(d == workshop_days for d in days)
                                  if workshop_days and days else None)
    return figures


# -- evaluation forms -------------------------------------------------------------------

def _scores(values: list[int | None]) -> dict[str, Any]:
    answered = [v for v in values if v is not None]
    counts = [answered.count(s) for s in SCALE]
    agree = counts[3] + counts[4]
    return {"n": len(answered), "no_answer": len(values) - len(answered), "mean": mean(answered),
            "counts": counts, "agree": agree, "agree_share": share(agree, len(answered))}


def evaluation_figures(forms: list[Evaluation], participants_total: int,
                       items: dict[str, str] | None = None) -> dict:
    """Forms returned, each item's mean and distribution, knowledge before and after."""
    items = items or STANDARD_ITEMS
    figures: dict[str, Any] = {"returned": len(forms),
                               "response_rate": share(len(forms), participants_total),
                               "women_returned": sum(f.participant.sex == "female" for f in forms),
                               "men_returned": sum(f.participant.sex == "male" for f in forms)}
    figures["item_results"] = [{"key": key, "label": label,
                                **_scores([f.scores[key] for f in forms])}
                               for key, label in items.items()]
    figures["by_item"] = {r["key"]: r for r in figures["item_results"]}
    rated = [r for r in figures["item_results"] if r["mean"] is not None]
    figures["highest_item"] = max(rated, key=lambda r: r["mean"]) if rated else None
    figures["lowest_item"] = min(rated, key=lambda r: r["mean"]) if rated else None
    every = [f.scores[k] for f in forms for k in items if f.scores[k] is not None]
    figures["overall_mean"] = mean(every)
    for sex in ("female", "male"):
        own = [f.scores[k] for f in forms if f.participant.sex == sex for k in items
               if f.scores[k] is not None]
        figures[f"overall_mean_{'women' if sex == 'female' else 'men'}"] = mean(own)
    before = _scores([f.knowledge_before for f in forms])
    after = _scores([f.knowledge_after for f in forms])
    pairs = [(f.knowledge_before, f.knowledge_after) for f in forms
             if f.knowledge_before is not None and f.knowledge_after is not None]
    increased = sum(b < a for b, a in pairs)
    figures["knowledge"] = {
        "before": before, "after": after, "pairs": len(pairs),
        "increased": increased, "same": sum(b == a for b, a in pairs),
        "decreased": sum(b > a for b, a in pairs), "increased_share": share(increased, len(pairs)),
        "change_mean": mean([a - b for b, a in pairs]),
    }
    figures["comments"] = {key: [{"economy": f.participant.economy, "sex": f.participant.sex,
                                  "text": f.texts[key]} for f in forms if key in f.texts]
                           for key in TEXT_FIELDS}
    return figures


# -- questionnaire ----------------------------------------------------------------------

# -- all of it, and the targets ---------------------------------------------------------

def compute(participants: Path | None = None, evaluations: Path | None = None,
            questionnaire: Path | None = None, *, columns: dict[str, dict[str, str]] | None = None,
            items: dict[str, str] | None = None, questions: dict[str, Any] | None = None,
            definition: Any = None,
            developed: list[str] | tuple[str, ...] = (), sex_aliases: dict[str, str] | None = None,
            workshop_days: int | None = None, host: str | None = None,
            sector_aliases: dict[str, str] | None = None) -> dict[str, Any]:
    """Read, validate (raising ``DataError`` with every problem) and compute the figures.

    The responses are read against the whole questionnaire ``definition`` (default:
    ``questions``); the figures cover ``questions`` only.
    """
    columns = columns or {}
    figures: dict[str, Any] = {}
    tables = []
    people: list[Participant] = []
    if participants is not None:
        people, table = read_participants(participants, columns.get("participants"),
                                          sex_aliases, workshop_days, sector_aliases)
        tables.append(table)
    forms: list[Evaluation] = []
    if evaluations is not None and participants is not None:
        forms, table = read_evaluations(evaluations, people, tables[0], items,
                                        columns.get("evaluations"), sex_aliases)
        tables.append(table)
    answers: list[Answer] = []
    if questionnaire is not None:
        answers, table = read_questionnaire(questionnaire, definition or questions or {},
                                            columns.get("questionnaire"))
        tables.append(table)
    raise_problems(*tables)
    if participants is not None:
        figures["participants"] = participant_figures(people, workshop_days, host)
    if evaluations is not None and participants is not None:
        figures["evaluation"] = evaluation_figures(forms, len(people), items)
    if questionnaire is not None:
        chosen = [a for a in answers if a.question in (questions or {})]  # the report's
        figures["questionnaire"] = questionnaire_figures(chosen, questions or {}, developed)
    return figures


@dataclass(frozen=True)
class Metric:
    label: str  # English; a label of the catalogs, for the report
    unit: str  # count | share | score
    needs: str  # the figures it reads: participants | evaluation | questionnaire
    value: Callable[[dict], float | None]
    parts: Callable[[dict], dict[str, Any]] = lambda f: {}  # what the wording adds


def _p(f: dict) -> dict:
    return f["participants"]


METRICS: dict[str, Metric] = {
    "participants": Metric(
        "Participants attending the workshop", "count", "participants",
        lambda f: _p(f)["total"]),
    "economies": Metric(
        "Economies represented", "count", "participants",
        lambda f: _p(f)["economies_count"]),
    "evaluation_response_rate": Metric(
        "Evaluation forms returned, share of participants", "share", "evaluation",
        lambda f: f["evaluation"]["response_rate"],
        lambda f: {"n": f["evaluation"]["returned"], "of": _p(f)["total"]}),
    "questionnaire_developed_economies": Metric(
        "Questionnaire responses from developed economies", "count", "questionnaire",
        lambda f: f["questionnaire"]["developed_count"]),
    "questionnaire_economies": Metric(
        "Economies responding to the questionnaire", "count", "questionnaire",
        lambda f: f["questionnaire"]["respondents_count"]),
    "gender_balance": Metric(
        "Gender balance of participants", "share", "participants",
        lambda f: _p(f)["largest_sex_share"],
        lambda f: {"women": _p(f)["women_share"], "men": _p(f)["men_share"]}),
    "women_share": Metric(
        "Women among participants", "share", "participants",
        lambda f: _p(f)["women_share"]),
    "women_speakers_share": Metric(
        "Women among speakers", "share", "participants",
        lambda f: _p(f)["women_speakers_share"]),
    "evaluation_mean": Metric(
        "Mean evaluation score (1–5)", "score", "evaluation",
        lambda f: f["evaluation"]["overall_mean"]),
    "knowledge_increase_share": Metric(
        "Respondents reporting more knowledge after the workshop", "share", "evaluation",
        lambda f: f["evaluation"]["knowledge"]["increased_share"]),
}


class TargetError(ValueError):
    """A target that cannot be evaluated; ``key`` names it for the config location."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def evaluate_targets(targets: dict[str, dict[str, Any]], figures: dict[str, Any]) -> list[dict]:
    """Each target with its bounds, its measured value (and the ``parts`` its wording
    shows) and whether it was met, in the config's order. Values only: the report words
    them in its language (``completion_words``), ``apecdocs check`` in English."""
    out = []
    for key, spec in targets.items():
        metric = METRICS.get(key)
        if metric is None:
            raise TargetError(key, f"unknown target '{key}'; known: {', '.join(METRICS)}")
        if metric.needs not in figures:
            raise TargetError(key, f"target '{key}' needs the {metric.needs} data, which the "
                                   "project does not name under monitoring:")
        value = metric.value(figures)
        low, high = spec.get("min"), spec.get("max", spec.get("max_share"))
        met = value is not None and (low is None or value >= low - 1e-9) and (
            high is None or value <= high + 1e-9)
        out.append({"key": key, "label": spec.get("label"), "unit": metric.unit,
                    "min": low, "max": high, "value": value, "parts": metric.parts(figures),
                    "met": met})
    return out
