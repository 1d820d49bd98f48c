"""Trend charts for the paper: each indicator's result against its target (or its target
range, or its expected range) over the months available, drawn by matplotlib to PNG at print
resolution.

``chart_data`` reads the engine's results month by month, so the chart shows exactly what
the scorecards of those months showed; ``draw_chart`` only draws what it is handed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..core.month_report import MonthReport
from ..core.periods import Month
from . import wording as w

DPI = 200
SIZE_INCHES = (6.3, 2.6)      # fits an A4 page's text width
PIXELS = (round(SIZE_INCHES[0] * DPI), round(SIZE_INCHES[1] * DPI))


@dataclass(frozen=True)
class ChartData:
    """What one chart plots: one point per month, NaN where there is no figure."""

    id: str
    ref: str
    name: str
    months: tuple[str, ...]
    values: tuple[float, ...]
    targets: tuple[float, ...]
    lows: tuple[float, ...]        # the green band's or the expected range's low end
    highs: tuple[float, ...]
    range_kind: str                # "band", "expected" or "" (no range)
    y_label: str


def _column(frame, name: str, ident: str) -> float:
    if name not in frame.columns:
        return math.nan
    value = frame.at[ident, name]
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def history(report: MonthReport) -> dict:
    """Each charted month's results up to the report month (every month, or the last
    ``scorecard.trend_months``), indexed by indicator id (compute once and hand to
    ``chart_data`` when drawing many charts)."""
    return {m: report.results_for(m).set_index("id") for m in report.charted_months()}


def chart_data(report: MonthReport, indicator_id: str, months_results: dict | None = None) -> ChartData:
    """The series of one indicator over the charted months up to the report month."""
    ind = report.rules[indicator_id]
    months_results = months_results if months_results is not None else history(report)
    months = tuple(str(m) for m in months_results)
    rows = list(months_results.values())
    values = tuple(_column(r, "value", indicator_id) for r in rows)
    targets = tuple(_column(r, "target", indicator_id) for r in rows)
    expected = [(_column(r, "expected_low", indicator_id), _column(r, "expected_high", indicator_id))
                for r in rows]
    band = [(_column(r, "green_low", indicator_id), _column(r, "green_high", indicator_id))
            for r in rows]
    if any(not (math.isnan(lo) and math.isnan(hi)) for lo, hi in expected):
        kind, pairs = "expected", expected
    elif ind.polarity == "T" and any(not math.isnan(lo) for lo, _ in band):
        kind, pairs = "band", band
    else:
        kind, pairs = "", [(math.nan, math.nan)] * len(months)
    per = f"{ind.per:,.0f}" if ind.per else ""
    return ChartData(
        id=ind.id, ref=ind.ref, name=ind.name, months=months, values=values,
        targets=targets, lows=tuple(lo for lo, _ in pairs), highs=tuple(hi for _, hi in pairs),
        range_kind=kind, y_label=w.CHART_Y_LABELS[ind.measure].format(per=per))


def draw_chart(data: ChartData, path: "str | Path") -> Path:
    """Draw ``data`` to a PNG of exactly ``PIXELS`` at ``DPI``."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    path = Path(path)
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    axes = figure.add_subplot(1, 1, 1)
    x = list(range(len(data.months)))
    labels = [Month.parse(m).label[:3] + " " + m[2:4] for m in data.months]
    if data.range_kind:
        axes.plot(x, data.lows, color="#2e7d32", linestyle="--", linewidth=1,
                  label=w.CHART_SERIES[data.range_kind])
        axes.plot(x, data.highs, color="#2e7d32", linestyle="--", linewidth=1)
    if any(not math.isnan(t) for t in data.targets):
        axes.plot(x, data.targets, color="#555555", linestyle=":", linewidth=1.5,
                  label=w.CHART_SERIES["target"])
    axes.plot(x, data.values, color="#1f4e79", marker="o", markersize=3, linewidth=1.8,
              label=w.CHART_SERIES["result"])
    step = max(1, math.ceil(len(x) / 12))
    axes.set_xticks(x[::step], labels[::step], fontsize=7)
    axes.tick_params(axis="y", labelsize=7)
    axes.set_ylabel(data.y_label, fontsize=8)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    figure.subplots_adjust(left=0.1, right=0.83, top=0.95, bottom=0.12)
    figure.savefig(path, dpi=DPI, format="png")
    return path
