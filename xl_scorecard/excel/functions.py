"""The worksheet functions as plain Python: =RAG(), =DOT(), =KPIRATE() and the KPI_* family.

Each function takes cells as Excel hands them over (a single value, ``None``
for a blank, or a 1-D / 2-D list or NumPy array of cells holding numbers,
text, booleans, dates, blanks or Excel error values such as ``'#N/A'``) and
returns one value for single cells, or a same-shaped range: lists in give
lists out, NumPy in gives NumPy out, a 1-D input is read as a column.

Shared rules:

- Single-cell arguments broadcast over ranges; ranges must all be the same size.
- A blank or an Excel error where a number belongs gives an empty result ("").
  An optional argument that is blank counts as left out.
- A wrong argument gives a short message instead of a result, e.g.
  ``RAG: polarity must be H, L or T``. A wrong single-cell argument replaces
  the whole result; a wrong cell inside a range replaces that cell's result.
- Nothing here re-implements a rule: rounding, rates, RAG, direction of travel
  and the summary paragraph come from the core modules, so a workbook and the
  headless engine cannot disagree.

Argument conversion lives in ``arguments.py``, the indicator lookups in ``rules_lookup.py``,
the xlwings wrappers in ``udfs.py``, the ``formulas`` bridge in ``formula_engine.py``.
"""

from __future__ import annotations

import numpy as np

from ..core import direction
from ..core import rag as rag_rules
from ..core.errors import UsageError
from ..core.rates import kpi_rate, measure_value
from ..core.summary import DirectionCounts, compose_paragraph
from .arguments import (
    EXCEL_ERRORS,
    Call,
    distinct_cells,
    is_blank,
    numbers_out,
    omitted,
    sheet_function,
    shown,
)
from .settings_args import band_arg, decimals_arg, read_polarity
from .period_functions import kpi_period, kpi_range
from .rules_lookup import MONTH_ENV, RULES_ENV, Lookup, lookup
from .rag_rows import check_rag_scales, pair_per_row, rag_mixed
from .scales import check_scales, percent_cells_arg

# =========================================================================== RAG, DOT, KPIRATE


def rag(value, target, floor=None, polarity="H", decimals=1, percent_cells=None):
    """Green, Amber or Red for a value against its target and floor (blank if either is missing).

    Judged on the value rounded to the decimals shown ("none": unrounded); on target is Green,
    on the floor Amber; no floor, no Amber. T takes bands (low, high).
    """
    return _rag(value, target, floor, polarity, decimals, percent_cells)


@sheet_function("RAG")
def _rag(c: Call, value, target, floor, polarity, decimals, percent_cells):
    pol, kinds = _polarities(c, polarity)
    v = c.numbers(value, "value")
    value_arg = c.args[-1]
    dec = decimals_arg(c, decimals)
    pct = percent_cells_arg(c, percent_cells)
    scale = pct.scale
    if isinstance(pol, str) and pol == "T":
        green_low, green_high = band_arg(c, target, "target", "green")
        amber_low, amber_high = band_arg(c, floor, "floor", "amber")
        shape = c.shape()
        check_rag_scales(c, shape, v, (green_low + green_high) / 2,
                         (green_low, green_high, amber_low, amber_high), dec, pct.unchecked)
        codes = rag_rules.rag_judged(v * scale, "T", dec, True, green_low=green_low * scale,
                                     green_high=green_high * scale, amber_low=amber_low * scale,
                                     amber_high=amber_high * scale)
        return c.result(rag_rules.labels(codes), shape)
    if not isinstance(pol, str) and pair_per_row(target, value_arg):
        return rag_mixed(c, v, pol, target, floor, dec, pct)
    if not isinstance(pol, str):
        for i in np.flatnonzero(kinds.t.reshape(-1)):
            c.problem(i, 'polarity T needs bands: give the target and floor as two columns '
                      "(low, high) per row, or \"T\" as one value with two-cell bands")
    t = c.numbers(target, "target")
    if c.args[-1].cells.size == 2 and value_arg.single:
        raise UsageError("target must be one number for polarity H or L; a two-cell band is for T")
    f = c.numbers(floor, "floor", optional=True)
    shape = c.shape()
    if np.any(pct.unchecked):
        check_rag_scales(c, shape, v, t, (t, f), dec, pct.unchecked & _polarity_is(pol, ("H", "L")))
    # the value as displayed, as the engine judges it (rag_judged works out one polarity's rule alone)
    codes = rag_rules.rag_judged(v * scale, kinds, dec, True, t * scale, f * scale)
    return c.result(rag_rules.labels(codes), shape)


def _polarities(c: Call, polarity):
    """(polarity, kinds): one polarity as text (twice), or a range's polarities as an array
    and as where each is H, L and T, worked out on the table of distinct ones."""
    index, table = c.keyed(polarity, "polarity", read_polarity, "H", optional=True)
    if index is None:
        return table[0], table[0]
    return table[index], rag_rules.PolarityKinds.from_codes(index, table)


def _polarity_is(pol, codes):
    """Where the polarity is one of ``codes``: a bool for one polarity, else an array."""
    if isinstance(pol, str):
        return pol in codes
    found = pol == codes[0]
    for code in codes[1:]:
        found = found | (pol == code)
    return found


def dot(latest, previous, polarity="H", target=None, tolerance=0, percent_cells=None):
    """Direction of travel: ↑ improved, ↓ worsened, → unchanged (blank without both results).

    Shows performance: for polarity L a fall is ↑, for T nearer the target is ↑. Changes no
    bigger than the tolerance show →.
    """
    return _dot(latest, previous, polarity, target, tolerance, percent_cells)


@sheet_function("DOT")
def _dot(c: Call, latest, previous, polarity, target, tolerance, percent_cells):
    pol, kinds = _polarities(c, polarity)
    new = c.numbers(latest, "latest")
    old = c.numbers(previous, "previous")
    if isinstance(pol, str) and pol == "T" and omitted(target):
        raise UsageError("polarity T needs the target (one number)")
    tgt = c.numbers(target, "target", optional=True)
    tol = c.numbers(tolerance, "tolerance", 0.0, fill_blank=True, optional=True)
    pct = percent_cells_arg(c, percent_cells)
    if np.ndim(tol) == 0 and tol < 0:
        raise UsageError("tolerance must be zero or more")
    if np.ndim(tol):
        for i in np.flatnonzero(tol.reshape(-1) < 0):
            c.problem(i, "tolerance must be zero or more")
    shape = c.shape()
    if np.any(pct.unchecked):
        # only rows that get an arrow are checked: a T row without a target gets none
        has_target = ~np.isnan(np.asarray(tgt, dtype=float))
        rated = pct.unchecked & (_polarity_is(pol, ("H", "L"))
                                 | (_polarity_is(pol, ("T",)) & has_target))
        check_scales(c, shape, new, old, "latest", "previous", rated)
        check_scales(c, shape, new, tgt, "latest", "target",
                     pct.unchecked & _polarity_is(pol, ("T",)))
    scale = pct.scale
    codes = direction.dot_codes(new * scale, old * scale, kinds, tgt * scale, tol * scale)
    return c.result(direction.arrows(codes), shape)


def kpirate(numerator, denominator, multiplier=100):
    """Numerator divided by denominator times the multiplier: 100 for a percentage, 10000 for a
    rate per 10,000, 1 for an average. Blank when the denominator is zero or missing.
    """
    return _kpirate(numerator, denominator, multiplier)


@sheet_function("KPIRATE")
def _kpirate(c: Call, numerator, denominator, multiplier):
    num = c.numbers(numerator, "numerator")
    den = c.numbers(denominator, "denominator")
    mult = c.numbers(multiplier, "multiplier", 100.0, fill_blank=True, optional=True)
    shape = c.shape()
    return c.result(numbers_out(kpi_rate(num, den, mult)), shape)


# =========================================================================== KPI_* functions


def kpi_rag(value, indicator_id, month=None, percent_cells=None, rules=None):
    """Green, Amber or Red for a value, judged by the indicator's polarity, decimals and the
    target and floor in force for the month in rules.json.
    """
    return _kpi_rag(value, indicator_id, month, percent_cells, rules)


@sheet_function("KPI_RAG")
def _kpi_rag(c: Call, value, indicator_id, month, percent_cells, rules):
    v = c.numbers(value, "value")
    ind = lookup(c, indicator_id, month, rules=rules)
    pct = percent_cells_arg(c, percent_cells)
    shape = c.shape()
    v = _percent_results(c, shape, ind, pct, v)
    codes = rag_rules.rag_judged(v, ind.polarity, np.nan_to_num(ind.decimals), ind.displayed == 1.0,
                                 ind.target, ind.floor, ind.green_low, ind.green_high,
                                 ind.amber_low, ind.amber_high, rated=ind.rated)
    return c.result(rag_rules.labels(codes), shape)


def kpi_dot(latest, previous, indicator_id, month=None, percent_cells=None, rules=None):
    """Direction of travel (↑ ↓ →) for an indicator, using its polarity, target and tolerance
    from rules.json.
    """
    return _kpi_dot(latest, previous, indicator_id, month, percent_cells, rules)


@sheet_function("KPI_DOT")
def _kpi_dot(c: Call, latest, previous, indicator_id, month, percent_cells, rules):
    new = c.numbers(latest, "latest")
    old = c.numbers(previous, "previous")
    ind = lookup(c, indicator_id, month, rules=rules)
    pct = percent_cells_arg(c, percent_cells)
    shape = c.shape()
    new = _percent_results(c, shape, ind, pct, new, "latest")
    old = _percent_results(c, shape, ind, pct, old, "previous")
    codes = direction.dot_codes(new, old, ind.polarity, ind.target, np.nan_to_num(ind.tolerance),
                                ind.green_low, ind.green_high)
    return c.result(direction.arrows(codes), shape)


def _percent_results(c: Call, shape, ind: Lookup, pct, values, name: str = "value"):
    """Results of percent indicators in display units: scaled from Excel percentage cells when
    percent_cells is TRUE; checked against the indicator's target when it is left out."""
    is_percent = ind.percent == 1.0
    reference = np.where(np.isnan(ind.target), (ind.green_low + ind.green_high) / 2, ind.target)
    check_scales(c, shape, np.where(is_percent, values, np.nan), reference, name,
                 "target", pct.unchecked)
    return np.where(is_percent, values * pct.scale, values)


def kpi_value(numerator, denominator, indicator_id, rules=None):
    """The indicator's result from numerator and denominator, as its measure says (percentage,
    rate per N, average; a count is the numerator). Blank for a zero or missing denominator.
    """
    return _kpi_value(numerator, denominator, indicator_id, rules)


@sheet_function("KPI_VALUE")
def _kpi_value(c: Call, numerator, denominator, indicator_id, rules):
    num = c.numbers(numerator, "numerator")
    den = c.numbers(denominator, "denominator")
    ind = lookup(c, indicator_id, use_month=False, rules=rules)
    shape = c.shape()
    value = measure_value(num, den, ind.multiplier, ind.count == 1.0)
    return c.result(numbers_out(value), shape)


def kpi_target(indicator_id, month=None, rules=None):
    """The target in force for the month in rules.json; for polarity T the green band
    (low, high) in two cells.
    """
    return _kpi_target(indicator_id, month, rules)


@sheet_function("KPI_TARGET")
def _kpi_target(c: Call, indicator_id, month, rules):
    ind = lookup(c, indicator_id, month, rules=rules)
    return _threshold_result(c, ind, ind.target, ind.green_low, ind.green_high)


def kpi_floor(indicator_id, month=None, rules=None):
    """The floor (minimum standard) in force for the month in rules.json, blank when there is no
    Amber; for polarity T the amber band (low, high) in two cells.
    """
    return _kpi_floor(indicator_id, month, rules)


@sheet_function("KPI_FLOOR")
def _kpi_floor(c: Call, indicator_id, month, rules):
    ind = lookup(c, indicator_id, month, rules=rules)
    return _threshold_result(c, ind, ind.floor, ind.amber_low, ind.amber_high)


def _threshold_result(c: Call, ind: Lookup, number, low, high):
    """One value per id, or two cells (low, high) per id when an indicator is polarity T."""
    shape = c.shape()
    is_band = np.asarray(ind.polarity == "T")
    if not is_band.any():
        return c.result(numbers_out(number), shape)
    if shape is None:
        pair = np.array([numbers_out([low, high])])
        if not any(a.ndim for a in c.args):
            return pair.tolist()
        return c.result(pair, (1, 2))
    if shape[1] != 1:
        raise UsageError("polarity T indicators give two cells (low, high): give the ids as "
                         "one column")
    first = numbers_out(np.where(is_band, low, number)).reshape(-1, 1)
    second = numbers_out(np.where(is_band, high, np.nan)).reshape(-1, 1)
    widened = np.hstack([first, second])
    c.problems = {i * 2: m for i, m in c.problems.items()}
    for a in c.args:  # a 1-D list of ids still gives rows of two
        a.ndim = 2 if a.ndim == 1 else a.ndim
    return c.result(widened, widened.shape)


# =========================================================================== KPI_SUMMARY

_RATINGS = {"GREEN": "Green", "G": "Green", "AMBER": "Amber", "A": "Amber",
            "RED": "Red", "R": "Red"}
_ARROWS = {"↑": "↑", "→": "→", "↓": "↓"}


def _counts(c: Call, x, name: str, read) -> dict[str, int]:
    if x is None:
        return {}
    a = c.arg(x, name)
    flat = a.cells.reshape(-1) if not a.single else np.array([a.value], dtype=object)
    index, uniques = distinct_cells(flat)
    tally = np.bincount(index[index >= 0], minlength=len(uniques))
    counts: dict[str, int] = {}
    for cell, n in zip(uniques, tally):
        key = read(cell)
        if key:
            counts[key] = counts.get(key, 0) + int(n)
    return counts


def _read_rating(cell) -> str:
    if is_blank(cell):
        return ""
    key = str(cell).strip().upper()
    if key not in _RATINGS:
        raise UsageError(f"rating {shown(cell)} is not Green, Amber or Red")
    return _RATINGS[key]


def _read_arrow(cell) -> str:
    if is_blank(cell):
        return ""
    key = str(cell).strip()
    if key not in _ARROWS:
        raise UsageError(f"direction {shown(cell)} is not one of ↑ → ↓")
    return key


def kpi_summary(rags, dots_previous=None, dots_outturn=None):
    """The committee summary paragraph: how many measures are Green, Amber and Red, and how many
    improved, stayed the same or worsened. Blank cells are left out of the counts.
    """
    return _kpi_summary(rags, dots_previous, dots_outturn)


@sheet_function("KPI_SUMMARY")
def _kpi_summary(c: Call, rags, dots_previous, dots_outturn):
    ratings = _counts(c, rags, "rags", _read_rating)

    def directions(x, name):
        if omitted(x) and not isinstance(x, (list, tuple, np.ndarray)):
            return None
        arrows = _counts(c, x, name, _read_arrow)
        return DirectionCounts(arrows.get("↑", 0), arrows.get("→", 0), arrows.get("↓", 0))

    return compose_paragraph(ratings.get("Green", 0), ratings.get("Amber", 0),
                             ratings.get("Red", 0), directions(dots_previous, "dots_previous"),
                             directions(dots_outturn, "dots_outturn"))


# =========================================================================== the registry

# Every worksheet function, once: its Excel name is its Python name in capitals. The xlwings
# wrappers (udfs.py) and the ``formulas`` bridge (formula_engine.py) are built from this.
WORKSHEET_FUNCTIONS = (rag, dot, kpirate, kpi_rag, kpi_dot, kpi_value, kpi_target, kpi_floor,
                       kpi_summary, kpi_range, kpi_period)
EXCEL_NAMES = {function.__name__.upper(): function for function in WORKSHEET_FUNCTIONS}

__all__ = [*(function.__name__ for function in WORKSHEET_FUNCTIONS), "WORKSHEET_FUNCTIONS",
           "EXCEL_NAMES", "RULES_ENV", "MONTH_ENV", "EXCEL_ERRORS"]
