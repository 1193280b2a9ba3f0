"""Charts drawn from data, in every format: a ``chart`` code block becomes a figure.

    ```{.chart #fig-users caption="Internet users, 2018"}
    kind: bar          # bar | barh | line | stacked-bar
    data: data/report/users.csv     # or rows: [{economy: Chile, share: 82}, ...]
    x: economy
    y: [share]
    ylabel: Per cent
    ```

Charts are drawn with matplotlib as SVG (vector in DOCX, PDF and HTML) with a PNG
beside it for Word readers without SVG support, cached by content under
``.apecdocs/charts`` so an unchanged chart is not redrawn.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

from apecdocs import ApecdocsError, hookimpl, store, yamlcheck
from apecdocs.pandoc_ast import SOURCE_CLASS, attr, holds, replace, text_inlines
from apecdocs.tempfiles import temp_path

from .fonts import decimal_sign, decimal_ticks, fallback_families
from .schema import CHART_SCHEMA, KINDS

SCHEMA = CHART_SCHEMA  # what a chart block may say; anything else is a mistake

# pyplot keeps global state: two documents drawing at once must take turns.
_DRAWING = threading.Lock()
LAYOUT = 3  # how labels are laid out and drawn: a new rule redraws every cached chart
PALETTE = ["#1b4f8a", "#e07b39", "#3a9e6f", "#b3423f", "#7a5ba6", "#8c8c8c"]


@hookimpl
def file_schemas() -> dict[str, Any]:
    return {"chart": CHART_SCHEMA}


@hookimpl
def transform_ast(ast: dict, project: Any, document: Any, lang: str) -> None:
    if not holds(ast, "CodeBlock"):  # no code block, so no chart: no walk of every node
        return
    for block in ast["blocks"]:
        source = None
        if block["t"] == "Div" and SOURCE_CLASS in block["c"][0][1]:
            source = Path(dict(block["c"][0][2]).get("path", ""))
        # Only code blocks can be charts: ``replace`` looks at those alone, in order.
        replace([block], "CodeBlock",
                lambda node, s=source: _chart(node, project, s, lang) or node)


def _chart(node: dict, project: Any, source: Path | None, lang: str | None = None) -> Any:
    if node["t"] != "CodeBlock" or "chart" not in node["c"][0][1]:
        return None
    (ident, _classes, pairs), text = node["c"]
    attrs = dict(pairs)
    fence = _line(source, ident)  # the YAML starts on the line after the fence
    spec = yamlcheck.load_checked(text, SCHEMA, source, (fence or 0) + 1, "chart block") or {}
    rows = _rows(spec, project, source, ident)
    path = draw(spec, rows, project.cache_path("charts"), source, _line(source, ident), lang)
    caption = attrs.get("caption", spec.get("title", ""))
    image = {"t": "Image", "c": [attr(), text_inlines(caption), [str(path), ""]]}
    return {"t": "Figure", "c": [attr(ident), [None, [{"t": "Plain", "c": text_inlines(caption)}]],
                                 [{"t": "Plain", "c": [image]}]]}


def _line(source: Path | None, ident: str) -> int | None:
    from apecdocs.assemble import find_line  # not at start-up: a no-op build draws nothing

    return find_line(source, f"#{ident}" if ident else ".chart") if source else None


def _rows(spec: dict, project: Any, source: Path | None, ident: str) -> list[dict]:
    if "rows" in spec:
        return list(spec["rows"])
    if "data" not in spec:
        raise ApecdocsError("chart block needs 'data:' (a CSV file) or 'rows:'", file=source,
                            line=_line(source, ident))
    path = project.resolve(str(spec["data"]))
    if not path.is_file():
        raise ApecdocsError(f"chart data '{spec['data']}' not found", file=source,
                            line=_line(source, ident), hint="Paths are relative to the project.")
    return project.read_data(path)


def draw(spec: dict, rows: list[dict], folder: Path, source: Path | None = None,
         line: int | None = None, lang: str | None = None) -> Path:
    """Draw ``spec`` over ``rows`` to an SVG file named by its content; return the path.
    The axis numbers take the decimal sign of ``lang`` ("0,5" in Spanish)."""
    kind = spec.get("kind", "bar")
    if kind not in KINDS:
        raise ApecdocsError(f"unknown chart kind '{kind}'", file=source, line=line,
                            hint=f"Use one of: {', '.join(KINDS)}.")
    x = spec.get("x")
    ys = spec.get("y") or []
    ys = [ys] if isinstance(ys, str) else list(ys)
    if not x or not ys:
        raise ApecdocsError("chart block needs 'x:' and 'y:' column names", file=source, line=line)
    for column in [x, *ys]:
        if rows and column not in rows[0]:
            raise ApecdocsError(f"chart column '{column}' is not in the data", file=source,
                                line=line, hint=f"Columns: {', '.join(rows[0])}.")
    sign = decimal_sign(lang)
    drawn = [LAYOUT, spec, rows] + ([sign] if sign != "." else [])  # English keys as before
    key = hashlib.sha256(json.dumps(drawn, sort_keys=True, default=str).encode())
    path = folder / f"chart-{key.hexdigest()[:16]}.svg"
    if _intact(path, key.hexdigest()):
        return path
    labels = [str(r[x]) for r in rows]
    try:
        series = {y: [float(r[y]) for r in rows] for y in ys}
    except (TypeError, ValueError) as exc:
        raise ApecdocsError(f"chart values must be numbers: {exc}", file=source, line=line) from None
    with _DRAWING:
        if not _intact(path, key.hexdigest()):
            _plot(kind, labels, series, spec, path, sign)
            _seal(path, key.hexdigest())
    return path


def _files(path: Path) -> tuple[Path, Path, Path]:
    return path, path.with_suffix(".png"), path.with_suffix(".sum")


def _intact(path: Path, key: str) -> bool:
    """Whether a drawn chart may be used: both pictures there and matching the checksum
    written with them (a damaged one is dropped and drawn again, never trusted)."""
    svg, png, sealed = _files(path)
    if not store.reading() or not sealed.is_file():
        return False
    try:
        intact = sealed.read_bytes() == store.checksum(key, svg.read_bytes() + png.read_bytes())
    except OSError:
        intact = False
    if not intact:
        for file in (svg, png, sealed):
            file.unlink(missing_ok=True)
        store.note_damaged(svg, "its checksum does not match")
    return intact


def _seal(path: Path, key: str) -> None:
    svg, png, sealed = _files(path)
    tmp = temp_path(sealed)
    tmp.write_bytes(store.checksum(key, svg.read_bytes() + png.read_bytes()))
    tmp.replace(sealed)


def _plot(kind: str, labels: list[str], series: dict[str, list[float]], spec: dict,
          path: Path, sign: str = ".") -> None:
    fig, _kind = figure(kind, labels, series, spec)
    if sign != ".":
        decimal_ticks(fig, sign)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The PNG is the picture Word readers without SVG support show (see docx_fallback).
    png = temp_path(path.with_suffix(".png"))
    fig.savefig(png, format="png", dpi=200, metadata={"Software": None})
    png.replace(path.with_suffix(".png"))
    tmp = temp_path(path)
    fig.savefig(tmp, format="svg", metadata={"Date": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    tmp.replace(path)


def figure(kind: str, labels: list[str], series: dict[str, list[float]], spec: dict) -> tuple[Any, str]:
    """The chart as a matplotlib figure, and the kind it was drawn as.

    Category labels never collide: on a vertical bar chart they stay on one line when
    they fit under their bar, else wrap onto up to three lines; when even that would
    collide (many categories, long names), the bars turn horizontal, where each label
    has a row of its own. A line chart whose labels cannot fit shows every n-th one.
    """
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    texts = [*labels, *series, *(str(v) for v in spec.values() if isinstance(v, str)),
             *(str(v) for v in (spec.get("labels") or {}).values())]
    plt.rcParams.update({"font.family": ["DejaVu Sans", *fallback_families(texts)],
                         "font.size": 9, "svg.fonttype": "path", "svg.hashsalt": "apecdocs"})
    if kind in ("bar", "stacked-bar", "line"):
        for lines in (1, 2, 3):
            shown = [_wrap(label, _SLOT_WIDTH / max(1, len(labels)), lines) for label in labels]
            if all(text is not None for text in shown):
                fig = _draw(kind, shown, labels, series, spec)
                if not _collisions(fig):
                    return fig, kind
                plt.close(fig)
        if kind == "line":
            for step in range(2, len(labels) + 1):
                fig = _draw(kind, labels, labels, series, spec, step=step)
                if not _collisions(fig) or step == len(labels):
                    return fig, kind
                plt.close(fig)
        kind = "barh" if kind == "bar" else "stacked-barh"
    shown = [_wrap(label, _ROW_LABEL_WIDTH, 3) or label for label in labels]
    return _draw(kind, shown, labels, series, spec), kind


_SLOT_WIDTH = 5.6 * 72  # points of x axis shared by the categories of a 6.4 in figure
_ROW_LABEL_WIDTH = 2.6 * 72  # points a horizontal bar's label may take before wrapping


def _wrap(label: str, width: float, lines: int) -> str | None:
    """``label`` on at most ``lines`` lines of ``width`` points at 9 pt, else None."""
    from apecdocs.tables import text_width

    out: list[str] = []
    for word in label.split():
        if out and text_width(out[-1] + " " + word, size=9) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines or any(text_width(line, size=9) > width for line in out):
        return None
    return "\n".join(out)


def _collisions(fig: Any) -> bool:
    """Whether any two tick labels of the figure's axes overlap."""
    fig.draw_without_rendering()
    for ax in fig.axes:
        for ticks in (ax.get_xticklabels(), ax.get_yticklabels()):
            boxes = sorted((t.get_window_extent() for t in ticks if t.get_text()),
                           key=lambda b: (b.x0, b.y0))
            for i, a in enumerate(boxes):
                for b in boxes[i + 1:]:
                    if a.x1 > b.x0 + 0.5 and b.x1 > a.x0 + 0.5 and a.y1 > b.y0 + 0.5 \
                            and b.y1 > a.y0 + 0.5:
                        return True
    return False


def _draw(kind: str, shown: list[str], labels: list[str], series: dict[str, list[float]],
          spec: dict, step: int = 1) -> Any:
    import matplotlib.pyplot as plt

    horizontal = kind in ("barh", "stacked-barh")
    rows = sum(label.count("\n") + 1 for label in shown)
    height = max(0.25 * len(labels), 0.16 * rows) + 1.2 if horizontal else 3.6
    fig, ax = plt.subplots(figsize=(6.4, height))
    positions = range(len(labels))
    width = 0.8 / len(series) if kind in ("bar", "barh") else 0.8
    bottom = [0.0] * len(labels)
    for i, (name, values) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        label = spec.get("labels", {}).get(name, name) if isinstance(spec.get("labels"), dict) else name
        if kind == "bar":
            offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
            ax.bar(offsets, values, width, label=label, color=colour)
        elif kind == "stacked-bar":
            ax.bar(list(positions), values, 0.7, bottom=bottom, label=label, color=colour)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        elif kind == "barh":
            offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
            ax.barh(offsets, values, width, label=label, color=colour)
        elif kind == "stacked-barh":
            ax.barh(list(positions), values, 0.7, left=bottom, label=label, color=colour)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        else:
            ax.plot(list(positions), values, marker="o", label=label, color=colour)
    if horizontal:
        ax.set_yticks(list(positions), shown)
        ax.invert_yaxis()
        if spec.get("xlabel") or spec.get("ylabel"):
            ax.set_xlabel(spec.get("ylabel") or spec.get("xlabel"))
    else:
        ax.set_xticks(list(positions)[::step], shown[::step])
        if spec.get("ylabel"):
            ax.set_ylabel(spec["ylabel"])
        if spec.get("xlabel"):
            ax.set_xlabel(spec["xlabel"])
    if len(series) > 1:
        ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x" if horizontal else "y", alpha=0.3)
    fig.tight_layout()
    return fig
