"""Item 3: the worksheet functions over 100,000 rows in one call against bare NumPy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from harness import Case, Item, Settings, measure, median, per_call, seconds, times_x


def column(values: np.ndarray) -> list[list]:
    """What ``@xw.arg(ndim=2)`` hands a function for one column: a list of one-item rows,
    numbers as float and blank cells as None."""
    return [[None if x != x else float(x)] for x in values.tolist()]


def text_column(values) -> list[list]:
    return [[v] for v in values]


_LABELS = np.array(["", "Green", "Amber", "Red"], dtype=object)
_ARROWS = np.array(["↓", "→", "↑", ""], dtype=object)


def excel15(x: np.ndarray) -> np.ndarray:
    """x snapped to Excel's 15 significant digits (the same rule, written out bare)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = 10.0 ** (14 - np.floor(np.log10(np.abs(x))))
        snapped = np.round(x * scale) / scale
    return np.where(np.isfinite(scale) & (x != 0), snapped, x)


def floats(col: list[list]) -> np.ndarray:
    """A column of one-item rows as floats (None -> NaN), the fastest plain way."""
    return np.fromiter((row[0] for row in col), dtype=float, count=len(col))


def is_lower(polarity) -> "bool | np.ndarray":
    if isinstance(polarity, str):
        return polarity == "L"
    return np.fromiter((row[0] == "L" for row in polarity), dtype=bool, count=len(polarity))


def as_column(labels: np.ndarray) -> list[list]:
    """Results back as the one-item rows xlwings writes to the sheet."""
    return labels.reshape(-1, 1).tolist()


def numpy_rag(value, target, floor, polarity, decimals=1):
    """Bare NumPy RAG for H/L: Excel ROUND (half away from zero at 15 digits), then np.where."""
    v, t, f = floats(value), floats(target), floats(floor)
    factor = 10.0 ** decimals
    x = excel15(v * factor)
    r = np.sign(x) * np.floor(np.abs(x) + 0.5) / factor
    lower = is_lower(polarity)
    sign = np.where(lower, -1.0, 1.0)
    r, t, f = r * sign, t * sign, f * sign
    codes = np.where(np.isnan(r) | np.isnan(t), 0, np.where(r >= t, 1, np.where(r >= f, 2, 3)))
    return as_column(_LABELS[codes])


def numpy_dot(latest, previous, polarity):
    """Bare NumPy direction of travel: sign of the change at 15 digits, flipped for L."""
    new, old = excel15(floats(latest)), excel15(floats(previous))
    gain = excel15(np.where(is_lower(polarity), old - new, new - old))
    codes = np.where(np.isnan(gain), -2, np.sign(gain)).astype(int)
    return as_column(_ARROWS[codes + 1])


def numpy_kpirate(numerator, denominator, multiplier=100.0):
    """Bare NumPy rate: num / den x multiplier, blank where the denominator is zero or missing."""
    num, den = floats(numerator), floats(denominator)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(den != 0, num / den * multiplier, np.nan)
    out = rate.astype(object)
    out[~np.isfinite(rate)] = ""
    return as_column(out)


def function_inputs(n: int, seed: int = 20120531) -> dict:
    """A scorecard-like column of n rows: results with 3 decimals, targets, floors, blanks,
    ties with the target and previous results; H and L mixed for the polarity column."""
    rng = np.random.default_rng(seed)
    value = rng.uniform(0, 100, n).round(3)
    target = rng.choice([50.0, 60.0, 75.0, 85.0, 90.0], n)
    lower = rng.random(n) < 0.4
    floor = np.where(lower, target * 1.1, target * 0.9).round(1)
    floor[rng.random(n) < 0.1] = np.nan           # no Amber
    value[rng.random(n) < 0.05] = np.nan          # blank results
    near = rng.random(n) < 0.1                    # on the boundary, once rounded
    value[near] = target[near] - 0.04
    previous = np.where(rng.random(n) < 0.1, value, rng.uniform(0, 100, n).round(3))
    previous[rng.random(n) < 0.05] = np.nan
    num = rng.integers(0, 2000, n).astype(float)
    den = rng.integers(0, 2000, n).astype(float)
    den[rng.random(n) < 0.03] = 0.0
    num[rng.random(n) < 0.02] = np.nan
    return {
        "value": column(value), "target": column(target), "floor": column(floor),
        "polarity": text_column(np.where(lower, "L", "H").tolist()),
        "previous": column(previous), "num": column(num), "den": column(den),
    }


def bench(s: Settings, tmp: Path) -> Item:
    from xl_scorecard.excel import functions as sf

    n = s.rows
    item = Item(3, "functions", f"RAG, DOT, KPIRATE over {n:,} rows in one call vs bare NumPy")
    x = function_inputs(n)
    pairs = {
        "RAG, polarity one cell (H)": (
            lambda: sf.rag(x["value"], x["target"], x["floor"], "H", 1, False),
            lambda: numpy_rag(x["value"], x["target"], x["floor"], "H", 1)),
        "RAG, polarity column (H/L mixed)": (
            lambda: sf.rag(x["value"], x["target"], x["floor"], x["polarity"], 1, False),
            lambda: numpy_rag(x["value"], x["target"], x["floor"], x["polarity"], 1)),
        "DOT, polarity one cell (H)": (
            lambda: sf.dot(x["value"], x["previous"], "H", None, 0, False),
            lambda: numpy_dot(x["value"], x["previous"], "H")),
        "DOT, polarity column (H/L mixed)": (
            lambda: sf.dot(x["value"], x["previous"], x["polarity"], None, 0, False),
            lambda: numpy_dot(x["value"], x["previous"], x["polarity"])),
        "KPIRATE, multiplier one cell (100)": (
            lambda: sf.kpirate(x["num"], x["den"], 100),
            lambda: numpy_kpirate(x["num"], x["den"], 100.0)),
    }
    for what, (ours, bare) in pairs.items():
        got, expected = ours(), bare()
        if got != expected:
            wrong = sum(g != e for g, e in zip(got, expected))
            raise RuntimeError(f"{what}: the NumPy baseline disagrees on {wrong} of {n} rows")
        t = measure([Case("ours", ours), Case("numpy", bare)], s.repeats, s.warmup)
        ratio = median(t["ours"]) / median(t["numpy"])
        item.row(f"{what}: excel.functions / NumPy", f"{seconds(median(t['ours']))} / "
                 f"{seconds(median(t['numpy']))}", times_x(ratio), "≤ 2x", ratio <= 2)
    scalar_calls = {
        "RAG(84.95, 85, 76.5, \"H\", 1)": lambda: sf.rag(84.95, 85, 76.5, "H", 1),
        "DOT(28.6, 27.1, \"H\")": lambda: sf.dot(28.6, 27.1, "H"),
        "KPIRATE(93, 312, 100)": lambda: sf.kpirate(93, 312, 100),
    }
    for what, fn in scalar_calls.items():
        t = per_call(fn, 2000 if not s.quick else 500, s.repeats)
        item.row(f"one scalar call `{what}`", seconds(t))
    item.notes.append(
        "Input: what `@xw.arg(ndim=2)` delivers for a column range, a list of one-item lists "
        "(`[[84.95], [None], ...]`), numbers as float and blank cells as None; ranges of 100,000 "
        "rows with 5% blanks, 10% of results on a rounding boundary, 10% without a floor, 3% zero "
        "denominators. Both sides take the same lists and return the same list of lists, so "
        "conversion in and out is timed on both sides, and their answers are checked equal before "
        "timing. The NumPy baseline implements the same rule bare: Excel's ROUND (half away from "
        "zero after snapping to 15 significant digits, without which 84.95 shown as 85.0 would "
        "rate Amber), `np.where` chains for H/L, `np.sign` of the change for DOT, and "
        "num / den x 100 with zero denominators masked for KPIRATE.")
    return item
