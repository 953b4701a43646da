"""Charts drawn on the server as SVG, so a page and a PDF report show the same picture.

Three kinds, all built from plain numbers:

- `BarChart`: one horizontal bar per category (programmes by RAG, milestones by schedule);
- `StackedBarChart`: one horizontal bar per category, split by series (RAG by theme);
- `StackedColumnChart`: one column per period, split by series (the RAG trend by month).

Every chart gives the same four things: `svg()` (markup with `role="img"`, a `<title>` and a
`<desc>`; every label escaped), `text_alternative()` (one or more sentences saying what it
shows), `table()` (the numbers as rows and columns, each figure with the link to the rows
behind it when the caller gave one) and `data_uri()` (the SVG as a `data:` URI: PDFs must embed
charts as `<img src=... alt=...>`, since an inline SVG loses its text alternative there;
`img_html()` gives that tag).

Colours are never the only carrier of meaning: every bar is labelled or keyed in words, and
each fill has at least 4.5:1 contrast against white, so the white figures drawn on segments
read as well as the segments stand out from the page.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from interventions.choices import RAG

FONT = "Arial, Helvetica, sans-serif"
TEXT = "#0b0c0c"
AXIS = "#505a5f"
GRID = "#b1b4b6"
BLUE = "#1d70b8"

# Fill colours, each at least 4.5:1 against white (see test_charts).
RAG_CHART_COLOURS: dict[str, str] = {
    RAG.NOT_STARTED: "#505a5f",  # dark grey
    RAG.GREEN: "#00703c",
    RAG.AMBER: "#b84f00",  # a dark amber: GOV.UK's yellow is too pale against white
    RAG.RED: "#d4351c",
    RAG.COMPLETE: "#1d70b8",  # blue, as the Complete tag
}

WIDTH = 640


@dataclass(frozen=True)
class Bar:
    """One category of a `BarChart`: its label in words, its count, and where its rows are."""

    label: str
    value: int
    colour: str = BLUE
    url: str = ""


@dataclass(frozen=True)
class Series:
    """One part of every stacked bar or column, named in the legend."""

    label: str
    colour: str


@dataclass(frozen=True)
class Cell:
    """A figure of the data table and, when given, the page listing the rows it counts."""

    value: int
    url: str = ""


@dataclass(frozen=True)
class DataTable:
    """A chart's numbers as an accessible table: a header row, then one row per category."""

    caption: str
    columns: list[str]  # the first heads the row headers
    rows: list[tuple[str, list[Cell]]]

    def labelled_rows(self) -> list[tuple[str, list[tuple[Cell, str]]]]:
        """Each row's cells with their column's heading, for links that name their figure."""
        return [
            (label, list(zip(cells, self.columns[1:], strict=True))) for label, cells in self.rows
        ]


def _text(x: float, y: float, content: str, **attrs: object) -> str:
    """A `<text>` element; keyword attributes (font_size=…) override the defaults."""
    merged: dict[str, object] = {"font_family": FONT, "font_size": "14", "fill": TEXT, **attrs}
    extra = "".join(
        f' {name.replace("_", "-")}="{escape(value)}"' for name, value in merged.items()
    )
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def _shorten(label: str, limit: int) -> str:
    """A label short enough for the chart; the data table keeps it whole."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _nice_max(value: int) -> tuple[int, int]:
    """The top of a value axis, and the step between its gridlines (1, 2 or 5 × 10ⁿ)."""
    if value <= 0:
        return 1, 1
    for power in range(0, 10):
        for base in (1, 2, 5):
            step = base * 10**power
            if math.ceil(value / step) <= 5:
                return math.ceil(value / step) * step, step
    return value, value  # pragma: no cover - counts never reach 10 billion


def _count(n: int, unit: str) -> str:
    """'1 programme', '3 programmes': `unit` is the plural; a trailing s is dropped for one."""
    if n == 1 and unit.endswith("s"):
        return f"1 {unit[:-1]}"
    return f"{n} {unit}"


@dataclass
class Chart:
    """What every chart shares: a title, a unit for its numbers and an id for the page."""

    title: str
    unit: str = "items"
    category_heading: str = ""
    key: str = ""
    description: str = ""  # a sentence before the figures, e.g. what the dates mean

    def __post_init__(self) -> None:
        if not self.key:
            self.key = "chart-" + (slugify(self.title) or "figure")

    # Each kind draws its own body and says its own figures.
    def _body(self) -> tuple[list[str], int]:
        raise NotImplementedError

    def _figures_sentence(self) -> str:
        raise NotImplementedError

    def table(self) -> DataTable:
        raise NotImplementedError

    def text_alternative(self) -> str:
        parts = [f"{self.title}.", self.description, self._figures_sentence()]
        return " ".join(part for part in parts if part)

    def svg(self) -> SafeString:
        body, height = self._body()
        title_id, desc_id = f"{self.key}-title", f"{self.key}-desc"
        return mark_safe(  # noqa: S308 - every label above went through escape()
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="app-chart__svg"'
            f' viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"'
            f' aria-labelledby="{escape(title_id)} {escape(desc_id)}">'
            f'<title id="{escape(title_id)}">{escape(self.title)}</title>'
            f'<desc id="{escape(desc_id)}">{escape(self.text_alternative())}</desc>'
            f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>' + "".join(body) + "</svg>"
        )

    def data_uri(self) -> str:
        encoded = base64.b64encode(str(self.svg()).encode()).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"

    def img_html(self) -> SafeString:
        """The chart as an `<img>` with its text alternative: what a PDF report embeds."""
        return format_html(
            '<img class="app-chart__img" src="{}" alt="{}" width="{}">',
            self.data_uri(),
            self.text_alternative(),
            WIDTH,
        )


def _label_width(labels: Sequence[str], limit: int) -> int:
    longest = max((len(_shorten(label, limit)) for label in labels), default=0)
    return min(300, max(80, int(longest * 7.5) + 16))


@dataclass
class BarChart(Chart):
    """Horizontal bars, one per category, each labelled in words with its count at its end."""

    bars: list[Bar] = field(default_factory=list)

    def _body(self) -> tuple[list[str], int]:
        row, top = 30, 10
        label_w = _label_width([bar.label for bar in self.bars], 38)
        plot_w = WIDTH - label_w - 56
        top_value, _ = _nice_max(max((bar.value for bar in self.bars), default=0))
        parts = []
        for i, bar in enumerate(self.bars):
            y = top + i * row
            width = plot_w * bar.value / top_value
            parts.append(
                _text(label_w - 8, y + 16, _shorten(bar.label, 38), text_anchor="end")
                + f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="20"'
                f' fill="{escape(bar.colour)}"/>'
                + _text(label_w + width + 6, y + 18, str(bar.value), font_weight="bold")
            )
        height = top + row * len(self.bars) + 10
        parts.append(
            f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{height - 10}"'
            f' stroke="{AXIS}" stroke-width="1"/>'
        )
        return parts, height

    def _figures_sentence(self) -> str:
        total = sum(bar.value for bar in self.bars)
        figures = ", ".join(f"{bar.label} {bar.value}" for bar in self.bars)
        return f"{figures} ({_count(total, self.unit)} in all)."

    def table(self) -> DataTable:
        return DataTable(
            caption=self.title,
            columns=[self.category_heading, self.unit.capitalize()],
            rows=[(bar.label, [Cell(bar.value, bar.url)]) for bar in self.bars],
        )


@dataclass
class StackedChart(Chart):
    """Categories each split into the same series; `values[i][j]` is category i, series j.

    `urls`, when given, has the same shape and names the page listing each figure's rows;
    `total_urls`, one per category, the page listing the rows of its total.
    """

    categories: list[str] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    values: list[list[int]] = field(default_factory=list)
    urls: list[list[str]] | None = None
    total_urls: list[str] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.values) != len(self.categories) or any(
            len(row) != len(self.series) for row in self.values
        ):
            raise ValueError("values must have one row per category and one figure per series")

    def _legend(self, y: int) -> tuple[str, int]:
        """The key, in words, wrapped over as many lines as it needs; returns its height."""
        parts, x, line = [], 0.0, 0
        for s in self.series:
            width = 22 + len(s.label) * 7.5 + 18
            if x and x + width > WIDTH:
                x, line = 0.0, line + 1
            top = y + line * 24
            parts.append(
                f'<rect x="{x:.1f}" y="{top + 3}" width="16" height="16"'
                f' fill="{escape(s.colour)}"/>' + _text(x + 22, top + 16, s.label)
            )
            x += width
        return "".join(parts), (line + 1) * 24

    def _totals(self) -> list[int]:
        return [sum(row) for row in self.values]

    def _figures_sentence(self) -> str:
        sentences = []
        for category, row in zip(self.categories, self.values, strict=True):
            figures = ", ".join(
                f"{s.label} {value}" for s, value in zip(self.series, row, strict=True) if value
            )
            sentences.append(f"{category}: {figures or 'none'}.")
        return " ".join(sentences)

    def table(self) -> DataTable:
        rows = []
        for i, (category, row) in enumerate(zip(self.categories, self.values, strict=True)):
            links = self.urls[i] if self.urls else [""] * len(row)
            cells = [Cell(value, url) for value, url in zip(row, links, strict=True)]
            total = Cell(sum(row), self.total_urls[i] if self.total_urls else "")
            rows.append((category, [*cells, total]))
        return DataTable(
            caption=self.title,
            columns=[self.category_heading, *(s.label for s in self.series), "Total"],
            rows=rows,
        )


def _segment_label(x: float, y: float, width: float, height: float, value: int) -> str:
    """The figure of a segment, in white, when the segment is big enough to hold it."""
    if value and width >= 22 and height >= 18:
        return _text(
            x + width / 2, y + height / 2 + 5, str(value), fill="#ffffff", text_anchor="middle"
        )
    return ""


@dataclass
class StackedBarChart(StackedChart):
    """Horizontal bars, one per category, split by series; the total at each bar's end."""

    def _body(self) -> tuple[list[str], int]:
        legend, legend_h = self._legend(4)
        parts = [legend]
        row, top = 30, legend_h + 12
        label_w = _label_width(self.categories, 38)
        plot_w = WIDTH - label_w - 56
        top_value, _ = _nice_max(max(self._totals(), default=0))
        for i, (category, values) in enumerate(zip(self.categories, self.values, strict=True)):
            y = top + i * row
            parts.append(_text(label_w - 8, y + 18, _shorten(category, 38), text_anchor="end"))
            x = float(label_w)
            for s, value in zip(self.series, values, strict=True):
                width = plot_w * value / top_value
                if width:
                    # A white edge keeps neighbouring colours apart.
                    parts.append(
                        f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="22"'
                        f' fill="{escape(s.colour)}" stroke="#ffffff" stroke-width="1"/>'
                        + _segment_label(x, y + 3, width, 22, value)
                    )
                x += width
            parts.append(_text(x + 6, y + 19, str(sum(values)), font_weight="bold"))
        height = top + row * len(self.categories) + 10
        parts.append(
            f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{height - 10}"'
            f' stroke="{AXIS}" stroke-width="1"/>'
        )
        return parts, height


@dataclass
class StackedColumnChart(StackedChart):
    """Vertical columns, one per period in order, split by series: how a picture changes."""

    def _body(self) -> tuple[list[str], int]:
        legend, legend_h = self._legend(4)
        parts = [legend]
        plot_top, plot_h, axis_w = legend_h + 16, 200, 40
        plot_bottom = plot_top + plot_h
        top_value, step = _nice_max(max(self._totals(), default=0))
        for tick in range(0, top_value + 1, step):
            y = plot_bottom - plot_h * tick / top_value
            parts.append(
                f'<line x1="{axis_w}" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}"'
                f' stroke="{GRID if tick else AXIS}" stroke-width="1"/>'
                + _text(axis_w - 6, y + 5, str(tick), text_anchor="end", font_size="12")
            )
        slot = (WIDTH - axis_w) / max(1, len(self.categories))
        col_w = min(48.0, slot * 0.7)
        for i, (category, values) in enumerate(zip(self.categories, self.values, strict=True)):
            x = axis_w + slot * i + (slot - col_w) / 2
            y = float(plot_bottom)
            for s, value in zip(self.series, values, strict=True):
                height = plot_h * value / top_value
                if height:
                    y -= height
                    parts.append(
                        f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w:.1f}" height="{height:.1f}"'
                        f' fill="{escape(s.colour)}" stroke="#ffffff" stroke-width="1"/>'
                        + _segment_label(x, y, col_w, height, value)
                    )
            # A label like "Jan 2025" goes on two lines under its column.
            for line, word in enumerate(category.split(" ", 1)):
                parts.append(
                    _text(
                        x + col_w / 2,
                        plot_bottom + 18 + line * 15,
                        _shorten(word, 12),
                        text_anchor="middle",
                        font_size="12",
                    )
                )
        return parts, plot_bottom + 44


# The address of the list of rows a figure counts, from the value it counts ("red", "met"…);
# a PDF has no such pages, so the report's charts go without.
UrlFor = Callable[[str], str]


def no_url(value: str) -> str:
    return ""
