"""Formula text for `build --live native`: the engine's rules as plain Excel formulas.

Nothing here needs an add-in, a macro or LAMBDA: only IF, AND, OR, ROUND, INT, LOG10, ABS and
COUNTIF, which Excel (every version since 2007), Excel on the web, LibreOffice and Google Sheets
all calculate alike. Each function returns formula text without the leading '=' and takes cell
references (text) and constants. The rules followed, as in the core:

- value: numerator / denominator x multiplier, blank for a zero or missing figure (rates.py);
- rounding: the value scaled by 10^decimals, snapped to 15 significant digits, then rounded half
  away from zero (rounding.py): written out with ROUND, so no spreadsheet's own ROUND quirks
  (the `formulas` package rounds 1.005 to 1.0 at 2 decimals, for instance) change a rating;
- RAG: inclusive boundaries, no Amber without a floor (or amber band), T bands (rag.py);
- direction: unrounded values at 15 significant digits, the change in performance terms
  (T: closer to target is better) snapped again and compared with the tolerance (direction.py);
- range status: the rated value against the expected bounds, inclusive, either end may be
  blank (one-sided), blank for a blank value or no range (ranges.py).
"""

from __future__ import annotations

from ..core.ranges import ABOVE, BELOW, WITHIN

NATIVE_FUNCTIONS = frozenset({"IF", "AND", "OR", "ROUND", "INT", "LOG10", "ABS", "COUNTIF"})
ARROW_IMPROVED, ARROW_UNCHANGED, ARROW_WORSENED = "↑", "→", "↓"


def literal(x: float) -> str:
    """A number as formula text that reads back as exactly the same double."""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def _blank_if(refs: list[str], formula: str) -> str:
    tests = [f'{ref}=""' for ref in refs]
    test = tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"
    return f'IF({test},"",{formula})'


def snap15(expr: str) -> str:
    """``expr`` at Excel's 15 significant digits (0 stays 0): rounding.excel_precision."""
    return f"ROUND({expr},14-INT(LOG10(ABS({expr})+({expr}=0))))"


def value_formula(numerator: str, denominator: str, multiplier: float) -> str:
    """numerator / denominator x multiplier; blank for a missing figure or a zero denominator."""
    return (f'IF(OR({numerator}="",{denominator}="",{denominator}=0),"",'
            f"{numerator}/{denominator}*{literal(multiplier)})")


def rated_value_formula(value: str, decimals: int, basis: str = "displayed") -> str:
    """The value the rating judges: as displayed (rounded like Excel) or unrounded."""
    if basis == "unrounded":
        return _blank_if([value], value)
    factor = 10 ** int(decimals)
    scaled = f"{value}*{factor}" if decimals else value
    rounded = f"ROUND({snap15(scaled)},0)"
    return _blank_if([value], f"{rounded}/{factor}" if decimals else rounded)


def rag_formula(polarity: str, judged: str, target: str = "", floor: str = "",
                green: tuple[str, str] = ("", ""), amber: tuple[str, str] = ("", "")) -> str:
    """Green/Amber/Red (or blank) for an H, L or T row; '""' for any other polarity."""
    if polarity in ("H", "L"):
        at_least = ">=" if polarity == "H" else "<="
        amber_test = f'IF({floor}="","Red",IF({judged}{at_least}{floor},"Amber","Red"))'
        return _blank_if([judged, target],
                         f'IF({judged}{at_least}{target},"Green",{amber_test})')
    if polarity == "T":
        (gl, gh), (al, ah) = green, amber
        amber_test = (f'IF(OR({al}="",{ah}=""),"Red",'
                      f'IF(AND({judged}>={al},{judged}<={ah}),"Amber","Red"))')
        return _blank_if([judged, gl, gh],
                         f'IF(AND({judged}>={gl},{judged}<={gh}),"Green",{amber_test})')
    return '""'


def gain_formula(polarity: str, latest: str, earlier: str, target: str = "",
                 green: tuple[str, str] = ("", "")) -> str:
    """The change in performance from ``earlier`` to ``latest`` (positive = better), blank if none.

    H: latest - earlier; L: earlier - latest; T: how much closer to the target or, with a blank
    target, to the green band (zero inside it). Both values are taken at 15 significant digits
    first and the change snapped again, as direction.gains does.
    """
    new, old = snap15(latest), snap15(earlier)
    if polarity == "H":
        return _blank_if([latest, earlier], snap15(f"({new}-{old})"))
    if polarity == "L":
        return _blank_if([latest, earlier], snap15(f"({old}-{new})"))
    if polarity != "T":
        return '""'
    closer = snap15(f"(ABS({old}-{target})-ABS({new}-{target}))")
    low, high = green
    if not (low and high):
        return _blank_if([latest, earlier, target], closer)
    to_band = snap15(f"({band_distance(old, low, high)}-{band_distance(new, low, high)})")
    return _blank_if([latest, earlier], f'IF({target}="",{_blank_if([low, high], to_band)},{closer})')


def band_distance(value: str, low: str, high: str) -> str:
    """How far ``value`` lies outside the band [low, high]: zero inside it."""
    return f"IF({value}<{low},{low}-{value},IF({value}>{high},{value}-{high},0))"


def dot_formula(gain: str, tolerance: float = 0.0) -> str:
    """The arrow for a change in performance: beyond the tolerance either way, else unchanged."""
    tol = literal(abs(tolerance))
    below = f"-{tol}" if tolerance else "0"
    return (f'IF({gain}="","",IF({gain}>{tol},"{ARROW_IMPROVED}",'
            f'IF({gain}<{below},"{ARROW_WORSENED}","{ARROW_UNCHANGED}")))')


def range_formula(judged: str, low: str, high: str) -> str:
    """Below/Within/Above for a lead indicator's rated value; blank without a value or a range."""
    below = f'AND({low}<>"",{judged}<{low})'
    above = f'AND({high}<>"",{judged}>{high})'
    return (f'IF(OR({judged}="",AND({low}="",{high}="")),"",'
            f'IF({below},"{BELOW}",IF({above},"{ABOVE}","{WITHIN}")))')


def count_value_formula(numerator: str) -> str:
    """A count indicator's value: its numerator (the count), blank when there is none."""
    return f'IF({numerator}="","",{numerator})'


def count_formula(column_range: str, label: str) -> str:
    """How many cells of a RAG or arrow column hold ``label``."""
    return f'COUNTIF({column_range},"{label}")'


def reference(sheet: str, ref: str) -> str:
    """A reference to another sheet, quoted when its name needs it."""
    plain = sheet.replace("_", "").isalnum()
    return f"{sheet}!{ref}" if plain else "'" + sheet.replace("'", "''") + f"'!{ref}"
