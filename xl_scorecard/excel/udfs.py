"""The worksheet functions registered with xlwings: =RAG(), =DOT(), =KPIRATE(), =KPI_*().

Point Excel at this module (UDF Modules: ``xl_scorecard.udfs``, or xlwings
Server's custom functions). Each wrapper hands its cells, always as a 2-D
range, to the pure function of the same name in ``excel/functions.py`` and returns
its result, so Excel and the headless engine give identical answers.

Importable anywhere: without xlwings, or on Linux outside xlwings Server,
the decorators do nothing and these are plain functions.
"""

from __future__ import annotations

from . import functions as sheetfuncs

try:  # pragma: no cover - which branch runs depends on the installation
    import xlwings as _xw
except ImportError:  # pragma: no cover
    _xw = None

CATEGORY = "Scorecard"

if _xw is not None:
    _func, _arg = _xw.func, _xw.arg
else:  # pragma: no cover - exercised only where xlwings is missing
    def _func(f=None, **_options):
        return f if callable(f) else (lambda g: g)

    def _arg(*_names, **_options):
        return lambda g: g


def _range(name: str, doc: str):
    """An argument received as a 2-D range (a single cell is a 1x1 range)."""
    return _arg(name, ndim=2, doc=doc)


def _documented_by(pure):
    """Give a wrapper the pure function's docstring on one line (what the function wizard shows)."""
    def take(wrapper):
        wrapper.__doc__ = " ".join(pure.__doc__.split())
        return wrapper
    return take


_POLARITY = ('What good looks like: "H" higher is better (default), "L" lower is better, '
             '"T" close to target.')
_ID = 'Indicator id from rules.json, e.g. "SCS12" (a cell or a column of ids).'
_PERCENT_CELLS = ("TRUE if the cells are Excel percentages (84.4% held as 0.844); FALSE if as "
                  "written (84.4 = 84.4%). Left out: figures on two scales are a message.")
_RULES = ("Optional: the rules.json sheet's range, ScorecardRules (xl-scorecard rules export "
          "writes it). Needed in xlwings Lite; left out, rules.json is read.")
_MONTH = ('Month whose targets apply: "YYYY-MM" or a date. Leave out for the report month '
          "(XL_SCORECARD_MONTH) or the latest targets.")


@_func(category=CATEGORY)
@_range("value", "The result to rate (a cell or a column).")
@_range("target", 'The target. For polarity "T": the green band, two cells (low, high). '
                  "Mixed H/L/T rows: two columns, the second blank on H and L rows.")
@_range("floor", "The floor (minimum standard); leave out for no Amber. "
                 'For "T": the amber band, two cells.')
@_range("polarity", _POLARITY)
@_range("decimals", "Decimals the value is shown with; it is rounded to these before "
                    'rating (default 1). "none": rated unrounded, for rag_basis "unrounded".')
@_range("percent_cells", _PERCENT_CELLS)
@_documented_by(sheetfuncs.rag)
def rag(value, target, floor=None, polarity="H", decimals=1, percent_cells=None):
    return sheetfuncs.rag(value, target, floor, polarity, decimals, percent_cells)


@_func(category=CATEGORY)
@_range("latest", "The latest result (a cell or a column).")
@_range("previous", "The result it is compared with: last month's or the outturn.")
@_range("polarity", _POLARITY)
@_range("target", 'The target (one number); needed for polarity "T".')
@_range("tolerance", "Changes no bigger than this show as unchanged (default 0).")
@_range("percent_cells", _PERCENT_CELLS)
@_documented_by(sheetfuncs.dot)
def dot(latest, previous, polarity="H", target=None, tolerance=0, percent_cells=None):
    return sheetfuncs.dot(latest, previous, polarity, target, tolerance, percent_cells)


@_func(category=CATEGORY)
@_range("numerator", "The numerator (a cell or a column).")
@_range("denominator", "The denominator; blank or zero gives a blank result.")
@_range("multiplier", "100 for a percentage (default), 10000 per 10,000, 1 for an average.")
@_documented_by(sheetfuncs.kpirate)
def kpirate(numerator, denominator, multiplier=100):
    return sheetfuncs.kpirate(numerator, denominator, multiplier)


@_func(category=CATEGORY)
@_range("value", "The result to rate (a cell or a column).")
@_range("indicator_id", _ID)
@_range("month", _MONTH)
@_range("percent_cells", _PERCENT_CELLS)
@_range("rules", _RULES)
@_documented_by(sheetfuncs.kpi_rag)
def kpi_rag(value, indicator_id, month=None, percent_cells=None, rules=None):
    return sheetfuncs.kpi_rag(value, indicator_id, month, percent_cells, rules)


@_func(category=CATEGORY)
@_range("latest", "The latest result (a cell or a column).")
@_range("previous", "The result it is compared with: last month's or the outturn.")
@_range("indicator_id", _ID)
@_range("month", _MONTH)
@_range("percent_cells", _PERCENT_CELLS)
@_range("rules", _RULES)
@_documented_by(sheetfuncs.kpi_dot)
def kpi_dot(latest, previous, indicator_id, month=None, percent_cells=None, rules=None):
    return sheetfuncs.kpi_dot(latest, previous, indicator_id, month, percent_cells, rules)


@_func(category=CATEGORY)
@_range("numerator", "The numerator (for a count: the count).")
@_range("denominator", "The denominator; blank or zero gives a blank result.")
@_range("indicator_id", _ID)
@_range("rules", _RULES)
@_documented_by(sheetfuncs.kpi_value)
def kpi_value(numerator, denominator, indicator_id, rules=None):
    return sheetfuncs.kpi_value(numerator, denominator, indicator_id, rules)


@_func(category=CATEGORY)
@_range("indicator_id", _ID)
@_range("month", _MONTH)
@_range("rules", _RULES)
@_documented_by(sheetfuncs.kpi_target)
def kpi_target(indicator_id, month=None, rules=None):
    return sheetfuncs.kpi_target(indicator_id, month, rules)


@_func(category=CATEGORY)
@_range("indicator_id", _ID)
@_range("month", _MONTH)
@_range("rules", _RULES)
@_documented_by(sheetfuncs.kpi_floor)
def kpi_floor(indicator_id, month=None, rules=None):
    return sheetfuncs.kpi_floor(indicator_id, month, rules)


@_func(category=CATEGORY)
@_range("rags", "The RAG column: Green, Amber, Red (or G, A, R); blanks are left out.")
@_range("dots_previous", "The arrows against the previous result (↑ → ↓); optional.")
@_range("dots_outturn", "The arrows against the outturn (↑ → ↓); optional.")
@_documented_by(sheetfuncs.kpi_summary)
def kpi_summary(rags, dots_previous=None, dots_outturn=None):
    return sheetfuncs.kpi_summary(rags, dots_previous, dots_outturn)


@_func(category=CATEGORY)
@_range("value", "The lead indicator's result (a cell or a column).")
@_range("indicator_id", _ID)
@_range("month", _MONTH)
@_range("rules", _RULES)
@_documented_by(sheetfuncs.kpi_range)
def kpi_range(value, indicator_id, month=None, rules=None):
    return sheetfuncs.kpi_range(value, indicator_id, month, rules)


@_func(category=CATEGORY)
@_range("numerators", "Each month's own numerators (for a count: the counts), one column.")
@_range("denominators", "Each month's own denominators, the same size (blank for a count).")
@_range("months", 'The month of each row: "YYYY-MM" or a date.')
@_range("indicator_id", 'Indicator id from rules.json, e.g. "SCS02" (one cell).')
@_range("month", "The period's last month: \"YYYY-MM\" or a date. Leave out for the latest month given.")
@_range("rules", _RULES)
@_documented_by(sheetfuncs.kpi_period)
def kpi_period(numerators, denominators, months, indicator_id, month=None, rules=None):
    return sheetfuncs.kpi_period(numerators, denominators, months, indicator_id, month, rules)


# one wrapper per registered function (tests/test_udfs_xlwings.py checks none is missing)
__all__ = [*(pure.__name__ for pure in sheetfuncs.WORKSHEET_FUNCTIONS), "CATEGORY"]
