"""Load rules.json: check it against the schema, then for meaning, into frozen rules.

Every problem is reported with the indicator id and the JSON path, e.g.
``rules.json: $.indicators[3].thresholds[0].floor (SCS04): floor 90 is above
target 85; for a higher-is-better indicator the floor must be at or below it``.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from ..core.errors import Problem, RulesError
from ..core.periods import Month
from ..core.rules import Contact, Indicator, ReportInfo, Rules, Scorecard, Threshold
from ..core.workbook_map import WorkbookMap, column_index, split_cell
from .files import read_bounded

MAX_RULES_BYTES = 20 * 1024 * 1024  # the bundled 44 indicators take 23 kB


@lru_cache(maxsize=1)
def schema() -> dict:
    """The packaged JSON Schema for rules.json."""
    text = resources.files("xl_scorecard.inputs").joinpath("rules.schema.json").read_text("utf-8")
    return json.loads(text)


def load_rules(path: "str | Path") -> Rules:
    """Read, validate and return the rules in a file; RulesError names every problem.

    A workbook (.xlsx, .xlsm) is read from its rules.json sheet (``rules export`` writes it).
    """
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from .rules_workbook import rules_from_workbook

        return rules_from_workbook(path)
    raw = read_bounded(path, MAX_RULES_BYTES, RulesError, "rules file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RulesError(Problem(file=str(path), message=f"is not UTF-8 text (byte {exc.start}): save it as "
                                 "UTF-8 JSON")) from None
    try:
        # NaN and Infinity are not JSON: kept as text, the schema reports them where they are
        document = json.loads(text, parse_constant=str, object_pairs_hook=_KeyedObject.of)
    except json.JSONDecodeError as exc:
        raise RulesError(Problem(file=str(path), line=exc.lineno, column=exc.colno,
                                 message=f"not valid JSON: {exc.msg}")) from None
    except RecursionError:
        raise RulesError(Problem(file=str(path), message="not valid rules: lists or objects are nested too "
                                 "deeply")) from None
    problems = list(_duplicate_key_problems(document, str(path), [], document))
    if problems:
        raise RulesError(problems)
    return rules_from_dict(document, source=str(path))


class _KeyedObject(dict):
    """A JSON object that remembers the keys written more than once (json keeps the last)."""

    duplicates: tuple = ()

    @classmethod
    def of(cls, pairs):
        obj = cls(pairs)
        if len(obj) != len(pairs):
            seen: set = set()
            obj.duplicates = tuple(dict.fromkeys(k for k, _ in pairs if k in seen or seen.add(k)))
        return obj


def _duplicate_key_problems(node: Any, source: str, path: list, document: Any) -> Iterable[Problem]:
    """A key written twice in one object: JSON readers silently keep one of the values."""
    if isinstance(node, dict):
        for key in getattr(node, "duplicates", ()):
            yield Problem(**_at(source, document, path + [key]),
                          message=f"the key {key!r} is written more than once in one object: keep one "
                          "(only the last would be used)")
        for key, value in node.items():
            yield from _duplicate_key_problems(value, source, path + [key], document)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _duplicate_key_problems(value, source, path + [i], document)


def rules_from_dict(document: Any, source: str = "rules.json") -> Rules:
    """Validate a parsed rules document (schema, then meaning) and build Rules."""
    problems = list(schema_problems(document, source))
    if problems:
        raise RulesError(problems)
    problems = list(_number_problems(document, source, [])) + list(_text_problems(document, source))
    if problems:
        raise RulesError(problems)
    problems = list(meaning_problems(document, source))
    if problems:
        raise RulesError(problems)
    return _build(document, source)


def schema_problems(document: Any, source: str = "rules.json") -> Iterable[Problem]:
    """Schema violations, each with its JSON path and indicator id."""
    if schema_valid_fast(document):
        return
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: _path_order(e.absolute_path))
    for error in errors:
        yield Problem(**_at(source, document, list(error.absolute_path)), message=_schema_message(error))


@lru_cache(maxsize=1)
def _fast_validator():
    try:
        import jsonschema_rs
    except ImportError:  # an optional speed-up: jsonschema alone gives the same verdicts
        return None
    return jsonschema_rs.validator_for(schema())


def schema_valid_fast(document: Any) -> bool:
    """True when the compiled validator (jsonschema-rs, about 150 times faster than jsonschema
    on 5,000 indicators) finds the document valid. Only a valid document is taken from it;
    anything else goes through jsonschema, whose messages are the ones users read."""
    validator = _fast_validator()
    if validator is None:
        return False
    try:
        return bool(validator.is_valid(document))
    except Exception:  # e.g. an integer beyond 64 bits: let jsonschema judge it
        return False


def _number_problems(node: Any, source: str, path: list, document: Any = None) -> Iterable[Problem]:
    """Numbers JSON Schema accepts but arithmetic cannot use: NaN, infinity, huge integers."""
    document = node if document is None else document
    if isinstance(node, dict):
        for key, value in node.items():
            if not str(key).startswith("x-"):
                yield from _number_problems(value, source, path + [key], document)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _number_problems(value, source, path + [i], document)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        try:
            finite = math.isfinite(float(node))
        except OverflowError:
            finite = False
        if not finite:
            shown = repr(node) if len(repr(node)) <= 30 else repr(node)[:27] + "..."
            yield Problem(**_at(source, document, path), message=f"{shown} is not a finite number: "
                          "give an ordinary number")


# what XML 1.0 (so a workbook) cannot hold: C0 controls but tab, LF and CR; lone surrogates;
# U+FFFE and U+FFFF. A lone surrogate cannot be written as UTF-8 (a CSV) either.
CELL_LIMIT = 32_767  # characters in one Excel cell
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text_problems(node: Any, source: str, path: list | None = None,
                   document: Any = None) -> Iterable[Problem]:
    """Text a workbook or a CSV cannot carry: control characters, lone surrogates."""
    path = [] if path is None else path
    document = node if document is None else document
    if isinstance(node, dict):
        for key, value in node.items():
            if not str(key).startswith("x-"):
                yield from _text_problems(value, source, path + [key], document)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _text_problems(value, source, path + [i], document)
    elif isinstance(node, str):
        if len(node) > CELL_LIMIT:
            yield Problem(**_at(source, document, path), message=f"is {len(node):,} characters long; a "
                          f"workbook cell holds at most {CELL_LIMIT:,}: shorten it")
        bad = _UNWRITABLE.search(node)
        if bad:
            char = bad.group()
            kind = ("a broken character (a lone UTF-16 surrogate)" if "\ud800" <= char <= "\udfff"
                    else "a control character")
            yield Problem(**_at(source, document, path), message=f"holds {kind} U+{ord(char):04X} at "
                          f"position {bad.start() + 1}, which a workbook or CSV cannot store: "
                          "delete it (it is often pasted in by accident)")


def _path_order(path) -> list[tuple]:
    """Sort key for JSON paths: array indices as numbers, so [3] comes before [19]."""
    return [(0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in path]


def meaning_problems(document: dict, source: str = "rules.json") -> Iterable[Problem]:
    """Problems the schema cannot see: duplicates, floors, bands and date order."""
    seen: dict[str, int] = {}
    for i, ind in enumerate(document["indicators"]):
        ident = ind["id"]
        if ident in seen:
            yield Problem(
                **_at(source, document, ["indicators", i, "id"]),
                message=f"duplicate id {ident!r}: already used by $.indicators[{seen[ident]}]",
            )
        else:
            seen[ident] = i
        previous_start = None
        for j, th in enumerate(ind.get("thresholds", [])):
            path = ["indicators", i, "thresholds", j]
            start = Month.parse(th["from"])
            if previous_start is not None and start <= previous_start:
                yield Problem(
                    **_at(source, document, path + ["from"]),
                    message=f"thresholds must be in date order: {start} does not come after {previous_start}",
                )
            previous_start = start
            yield from _threshold_problems(ind["polarity"], th,
                                            lambda key: _at(source, document, path + [key]))
    if "workbook" in document:
        yield from _workbook_problems(document, source, set(seen))


MAX_COLUMN = column_index("XFD")


def _workbook_problems(document: dict, source: str, ids: set) -> Iterable[Problem]:
    """The fill map: columns Excel has, one result per column, never the identifying columns."""
    book = document["workbook"]

    def where(*parts):
        return _at(source, document, ["workbook", *parts])

    used: dict[str, str] = {}
    for group in ("match", "columns"):
        for name, letter in book[group].items():
            if column_index(letter) > MAX_COLUMN:
                yield Problem(**where(group, name), message=f"column {letter} is beyond Excel's last "
                              "column XFD")
            elif letter in used:
                yield Problem(**where(group, name), message=f"column {letter} is already mapped to "
                              f"{used[letter]}: map each column once (an identifying column is "
                              "never written)")
            else:
                used[letter] = f"$.workbook.{group}.{name}"
    for ident, row in book.get("rows", {}).items():
        if ident not in ids:
            yield Problem(**where("rows", ident), message=f"{ident!r} is not an indicator id in "
                          "$.indicators")
        elif row <= book["header_row"]:
            yield Problem(**where("rows", ident), message=f"row {row} is not below the header row "
                          f"{book['header_row']}")
    if "month_cell" in book and split_cell(book["month_cell"])[1] > MAX_COLUMN:
        yield Problem(**where("month_cell"), message=f"{book['month_cell']} is beyond Excel's last "
                      "column XFD")


def _threshold_problems(polarity: str | None, th: dict, where) -> Iterable[Problem]:
    """Problems of one threshold; ``where(key)`` gives the location fields of one of its fields."""
    target, floor = th.get("target"), th.get("floor")
    if polarity == "H" and target is not None and floor is not None and floor > target:
        yield Problem(**where("floor"), message=f"floor {floor:g} is above target {target:g}; for a "
                      "higher-is-better indicator the floor must be at or below the target")
    if polarity == "L" and target is not None and floor is not None and floor < target:
        yield Problem(**where("floor"), message=f"floor {floor:g} is below target {target:g}; for a "
                      "lower-is-better indicator the floor must be at or above the target")
    if polarity == "T":
        green, amber = th.get("green"), th.get("amber")
        if green is not None and green[0] > green[1]:
            yield Problem(**where("green"), message=f"band [{green[0]:g}, {green[1]:g}] is not [low, high]")
        elif target is not None and green is not None and not green[0] <= target <= green[1]:
            yield Problem(**where("target"), message=f"target {target:g} is outside its green band "
                          f"[{green[0]:g}, {green[1]:g}]")
        if amber is not None and amber[0] > amber[1]:
            yield Problem(**where("amber"), message=f"band [{amber[0]:g}, {amber[1]:g}] is not [low, high]")
        elif green is not None and amber is not None and not (amber[0] <= green[0] and green[1] <= amber[1]):
            yield Problem(**where("amber"), message=f"green band [{green[0]:g}, {green[1]:g}] is not inside "
                          f"amber band [{amber[0]:g}, {amber[1]:g}]")


def _build(document: dict, source: str) -> Rules:
    card = document["scorecard"]
    scorecard = Scorecard(
        title=card["title"],
        organisation=card.get("organisation", ""),
        service=card.get("service", ""),
        year_start_month=card.get("year_start_month", 4),
        dot_tolerance=float(card.get("dot_tolerance", 0.0)),
    )
    indicators = tuple(_build_indicator(ind) for ind in document["indicators"])
    book = document.get("workbook")
    workbook = None if book is None else WorkbookMap(
        sheet=book["sheet"], header_row=book["header_row"], match=dict(book["match"]),
        columns=dict(book["columns"]), rows=dict(book.get("rows", {})),
        month_cell=book.get("month_cell"),
        percent_as_fraction=book.get("percent_as_fraction", False),
        rag_letters=book.get("rag_letters", False))
    return Rules(scorecard=scorecard, indicators=indicators, source=source,
                 report=_build_report(document.get("report") or {}), workbook=workbook)


def _build_report(report: dict) -> ReportInfo:
    """The committee paper's fields; anything missing stays empty (a placeholder is printed)."""
    texts = ("to", "meeting_date", "subject", "classification", "summary", "recommendation",
             "introduction", "context")
    contacts = tuple(Contact(**{k: c.get(k, "") for k in ("name", "role", "phone", "email")})
                     for c in report.get("contacts", ()))
    return ReportInfo(sender=report.get("from", ""), **{k: report.get(k, "") for k in texts},
                      background_documents=tuple(report.get("background_documents", ())),
                      contacts=contacts)


def _build_indicator(ind: dict) -> Indicator:
    def band(value):
        return None if value is None else (float(value[0]), float(value[1]))

    def number(value):
        return None if value is None else float(value)

    thresholds = tuple(
        Threshold(
            start=Month.parse(th["from"]),
            target=number(th.get("target")),
            floor=number(th.get("floor")),
            green=band(th.get("green")),
            amber=band(th.get("amber")),
            inferred=tuple(th.get("inferred", ())),
        )
        for th in ind.get("thresholds", [])
    )
    return Indicator(
        id=ind["id"],
        ref=ind.get("ref", ""),
        name=ind["name"],
        section=ind.get("section", ""),
        polarity=ind["polarity"],
        period=ind["period"],
        measure=ind["measure"],
        per=number(ind.get("per")),
        decimals=ind["decimals"],
        rag_basis=ind.get("rag_basis", "displayed"),
        dot_tolerance=number(ind.get("dot_tolerance")),
        allow_negative=bool(ind.get("allow_negative", False)),
        source=ind.get("source", ""),
        notes=ind.get("notes", ""),
        thresholds=thresholds,
    )


# --------------------------------------------------------------------------- messages


def json_path(parts: list) -> str:
    """``['indicators', 3, 'floor']`` -> ``$.indicators[3].floor``."""
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _at(source: str, document: Any, parts: list) -> dict:
    """A Problem's location fields for a place in the document: file, JSON path, indicator."""
    ident = None
    if len(parts) >= 2 and parts[0] == "indicators" and isinstance(parts[1], int):
        try:
            ident = document["indicators"][parts[1]].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            ident = None
    if isinstance(ident, str):
        plain = ident.isprintable() and ident.strip() == ident and len(ident) <= 40
        ident = ident if plain else repr(ident[:40])
    return {"file": source, "json_path": json_path(parts),
            "indicator": ident if isinstance(ident, str) else ""}


def _schema_message(error) -> str:
    kind, instance, value = error.validator, error.instance, error.validator_value
    if kind == "required":
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        named = [n for n in missing if error.message.startswith(f"{n!r} ")]  # one error per field
        name = (named or missing or value)[0]
        if name == "per":
            return "measure 'rate' needs 'per', the multiplier (e.g. 10000 for per 10,000)"
        if name == "floor":
            return "missing 'floor': give the minimum standard, or null for no Amber"
        if name in ("green", "amber"):
            return f"missing '{name}': a polarity T threshold needs green and amber bands [low, high] (amber may be null)"
        return f"missing required field {name!r}"
    if kind == "additionalProperties":
        extra = sorted(set(instance) - set(error.schema.get("properties", {})))
        return f"unknown field {', '.join(map(repr, extra))} (add an 'x-' prefix for your own fields)"
    if kind == "enum":
        allowed = ", ".join("null" if v is None else repr(v) for v in value)
        return f"{instance!r} is not allowed; use one of {allowed}"
    if kind == "type":
        wanted = value if isinstance(value, str) else " or ".join(value)
        return f"{instance!r} is not a {wanted}"
    if kind in ("minItems", "maxItems") and error.schema.get("minItems") == error.schema.get("maxItems") == 2:
        return f"a band must be two numbers [low, high], not {instance!r}"
    if kind == "minItems" and list(error.absolute_path) == ["indicators"]:
        return "there must be at least one indicator"
    if "workbook" in error.absolute_path and kind in ("pattern", "anyOf", "maxLength"):
        return _workbook_message(error)
    if kind == "pattern" and isinstance(instance, str):
        if "from" in error.absolute_path:
            return f"{instance!r} is not a month in the form YYYY-MM"
        return f"{instance!r} may only hold letters, digits, '_', '.' and '-'"
    if kind == "not" and isinstance(value, dict):
        # Which rule was broken is in the forbidden sub-schema, not in what the instance holds
        # (an H threshold may carry both a floor and a stray green band).
        if "anyOf" in value:  # floorThreshold: no bands
            return "green and amber bands are for polarity T only; an H or L threshold takes a floor"
        if value.get("required") == ["floor"]:  # bandThreshold: no floor
            return "a polarity T threshold takes green and amber bands, not a floor"
        if value.get("required") == ["per"]:
            return "'per' applies only to measure 'rate'"
    if kind == "oneOf":
        return f"must be two numbers [low, high] or null, not {instance!r}"
    return error.message


def _workbook_message(error) -> str:
    path = list(error.absolute_path)
    if error.validator == "anyOf" and path[-1] == "columns":
        return (f"{error.instance!r} is not a results column a cell can receive; use value, rag, "
                "numerator, denominator, target, floor, previous, dot_previous, outturn, "
                "dot_outturn, range_status, flag, as_at, expected_low, expected_high, display, "
                "rag_previous or cmp:<comparator>")
    if error.validator == "maxLength":
        return f"{error.instance!r} is longer than Excel's 31 characters for a sheet name"
    if path[-1] == "month_cell":
        return f"{error.instance!r} is not a cell reference such as B3"
    if "rows" in path:
        return f"{error.instance!r} is not an indicator id"
    return f"{error.instance!r} is not a column letter such as E (capitals, no row number)"
