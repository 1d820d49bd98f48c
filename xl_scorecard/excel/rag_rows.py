"""RAG over one column mixing H, L and T rows: per-row polarity, targets, floors and bands.

``=RAG(E9:E52, I9:J52, K9:L52, C9:C52, D9:D52)``: the target and floor ranges have two
columns. An H or L row reads its target and floor from the first column and leaves the
second blank; a T row reads its green band (low, high) from the target range and its amber
band from the floor range. A floor range of one column gives H and L rows their floors and
T rows no Amber.
"""

from __future__ import annotations

import numpy as np

from ..core import rag as rag_rules
from .arguments import Arg, Call, omitted, pair_columns
from .scales import check_fraction_thresholds, check_scales


def pair_per_row(target, value_arg) -> bool:
    """A two-column target range with a row per value: the bands of a column mixing H, L, T.

    Looked at without reading the range (a long column is read once, later).
    """
    if value_arg.single:
        return False
    rows = value_arg.cells.shape[0]
    if isinstance(target, np.ndarray):
        return target.ndim == 2 and target.shape == (rows, 2)
    if isinstance(target, (list, tuple)) and len(target) == rows > 1:
        first = target[0]
        return isinstance(first, (list, tuple)) and len(first) == 2
    return False


def rag_mixed(c: Call, v, pol, target, floor, dec, pct):
    """Per-row polarity over two-column targets and floors: an H or L row reads the first
    column (the second left blank), a T row both (its green band, and its amber band)."""
    first, second = pair_columns(c, Arg(target, "target"), "target")
    floor_arg = None if omitted(floor) else Arg(floor, "floor")
    if floor_arg is None:
        floor_first = floor_second = np.nan
    elif not floor_arg.single and floor_arg.cells.shape[1] == 2:
        floor_first, floor_second = pair_columns(c, floor_arg, "floor")
    else:
        floor_first, floor_second = c.numbers(floor, "floor", optional=True), np.nan
    shape = c.shape()
    polarity = np.broadcast_to(np.asarray(pol, dtype=object), shape)
    banded = polarity == "T"
    single = (polarity == "H") | (polarity == "L")
    first, second, floor_first, floor_second = (np.broadcast_to(np.asarray(a, dtype=float), shape)
                                                for a in (first, second, floor_first, floor_second))
    for i in np.flatnonzero((single & (~np.isnan(second) | ~np.isnan(floor_second))).reshape(-1)):
        c.problem(i, f"polarity {polarity.reshape(-1)[i]} takes one target and one floor: "
                     "leave the second column blank on this row (it is for T bands)")
    for name, low, high in (("target", first, second), ("floor", floor_first, floor_second)):
        for i in np.flatnonzero((banded & (low > high)).reshape(-1)):
            c.problem(i, f"{name} band low {low.reshape(-1)[i]:g} is above high "
                         f"{high.reshape(-1)[i]:g}")
    nan = np.full(shape, np.nan)
    target_hl, floor_hl = np.where(banded, nan, first), np.where(banded, nan, floor_first)
    bands = [np.where(banded, a, nan) for a in (first, second, floor_first, floor_second)]
    reference = np.where(banded, (bands[0] + bands[1]) / 2, target_hl)
    check_rag_scales(c, shape, v, reference, (target_hl, floor_hl, *bands), dec, pct.unchecked)
    scale = pct.scale
    codes = rag_rules.rag_judged(v * scale, polarity, dec, True, target_hl * scale,
                                 floor_hl * scale, *(b * scale for b in bands))
    return c.result(rag_rules.labels(codes), shape)


def check_rag_scales(c: Call, shape, value, reference, thresholds, decimals, where) -> None:
    """Messages for figures on two scales, where percent_cells was left out."""
    check_scales(c, shape, value, reference, "value", "target", where)
    check_fraction_thresholds(c, shape, value, thresholds, decimals, "target or floor", where)
