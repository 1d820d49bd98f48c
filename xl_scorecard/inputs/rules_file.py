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
from ..core.workbook_map import WorkbookMap
from . import rules_json
from .files import read_bounded
from .rules_json import CELL_LIMIT
from .schema_messages import schema_message
from .workbook_map_rules import workbook_problems

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
        document, duplicated = rules_json.parse(text)
    except json.JSONDecodeError as exc:
        raise RulesError(Problem(file=str(path), line=exc.lineno, column=exc.colno,
                                 message=f"not valid JSON: {exc.msg}")) from None
    except RecursionError:
        raise RulesError(Problem(file=str(path), message="not valid rules: lists or objects are nested too "
                                 "deeply")) from None
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        line, column = rules_json.longest_number_at(text)
        raise RulesError(Problem(file=str(path), line=line, column=column, message="not valid rules: a "
                                 "number with thousands of digits, which no rule needs: correct it")) from None
    if duplicated:
        raise RulesError(list(_duplicate_key_problems(document, str(path), [], document)))
    return _rules_from_document(document, str(path), leaves_plain=not rules_json.leaves_need_a_look(raw, text))


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
    return _rules_from_document(document, source)


def _rules_from_document(document: Any, source: str, leaves_plain: bool = False) -> Rules:
    """``rules_from_dict``; ``leaves_plain``: the JSON text showed that no number or text in
    it can need the number and text checks (``rules_json.leaves_need_a_look``), so they are skipped."""
    problems = list(schema_problems(document, source))
    if problems:
        raise RulesError(problems)
    if not leaves_plain:
        leaves = list(_leaves(document, []))   # one walk serves the number and the text checks
        problems = list(_number_problems(leaves, document, source))
        problems += _text_problems(leaves, document, source)
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
        yield Problem(**_at(source, document, list(error.absolute_path)), message=schema_message(error))


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


def _leaves(node: Any, path: list) -> Iterable[tuple[list, Any]]:
    """Every (JSON path, value) of a document's numbers and texts, ``x-`` fields left out."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not str(key).startswith("x-"):
                yield from _leaves(value, path + [key])
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, path + [i])
    else:
        yield path, node


def _number_problems(leaves, document: Any, source: str) -> Iterable[Problem]:
    """Numbers JSON Schema accepts but arithmetic cannot use: NaN, infinity, huge integers."""
    for path, node in leaves:
        if not isinstance(node, (int, float)) or isinstance(node, bool):
            continue
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
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text_problems(leaves, document: Any, source: str) -> Iterable[Problem]:
    """Text a workbook or a CSV cannot carry: control characters, lone surrogates."""
    for path, node in leaves:
        if not isinstance(node, str):
            continue
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
    default_floor = document["scorecard"].get("default_floor", {})
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
            start = _month(th["from"])
            if previous_start is not None and start <= previous_start:
                yield Problem(
                    **_at(source, document, path + ["from"]),
                    message=f"thresholds must be in date order: {start} does not come after {previous_start}",
                )
            previous_start = start
            if (ind["polarity"] != "T" and "floor" not in th and "expected" not in th
                    and ind["polarity"] not in default_floor):
                yield Problem(**_at(source, document, path), message="missing 'floor': give the "
                              "minimum standard, or null for no Amber (or a scorecard default_floor "
                              "rule)")
            yield from _threshold_problems(ind["polarity"], th,
                                            lambda key: _at(source, document, path + [key]))
    if "workbook" in document:
        yield from workbook_problems(document, source, set(seen), _at)


def _threshold_problems(polarity: str | None, th: dict, where) -> Iterable[Problem]:
    """Problems of one threshold; ``where(key)`` gives the location fields of one of its fields."""
    target, floor = th.get("target"), th.get("floor")
    expected = th.get("expected")
    if expected and None not in expected and expected[0] > expected[1]:
        yield Problem(**where("expected"), message=f"expected range [{expected[0]:g}, "
                      f"{expected[1]:g}] has its low end above its high end: give it as [low, high]")
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
        show_comparators=card.get("show_comparators", True),
        group_by_frequency=card.get("group_by_frequency", False),
        previous_report_months=card.get("previous_report_months"),
        trend_style=card.get("trend_style", "months"),
        trend_months=None if card.get("trend_months") is None else int(card["trend_months"]),
    )
    indicators = tuple(_build_indicator(ind, card.get("default_floor", {}))
                       for ind in document["indicators"])
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


def _build_indicator(ind: dict, default_floor: dict | None = None) -> Indicator:
    thresholds = tuple([_build_threshold(ind, th, default_floor) for th in ind.get("thresholds", [])])
    return Indicator(
        id=ind["id"],
        ref=ind.get("ref", ""),
        name=ind["name"],
        section=ind.get("section", ""),
        polarity=ind["polarity"],
        period=ind["period"],
        measure=ind["measure"],
        per=_number(ind.get("per")),
        decimals=ind["decimals"],
        rag_basis=ind.get("rag_basis", "displayed"),
        dot_tolerance=_number(ind.get("dot_tolerance")),
        allow_negative=bool(ind.get("allow_negative", False)),
        source=ind.get("source", ""),
        notes=ind.get("notes", ""),
        thresholds=thresholds,
        aggregate=ind.get("aggregate"),
        frequency=ind.get("frequency") or _default_frequency(ind),
        year_start_month=ind.get("year_start_month"),
        max_age_months=ind.get("max_age_months"),
    )


def _build_threshold(ind: dict, th: dict, default_floor: dict | None) -> Threshold:
    derived = None if "floor" in th else _derived(ind, th, default_floor)
    return Threshold(
        start=_month(th["from"]),
        target=_number(th.get("target")),
        floor=_number(th["floor"]) if "floor" in th else derived,
        floor_derived=derived is not None,
        green=_band(th.get("green")),
        amber=_band(th.get("amber")),
        inferred=tuple(th.get("inferred", ())),
        expected=_expected(th.get("expected")),
        rated=th.get("rated", True),
    )


def _band(value):
    return None if value is None else (float(value[0]), float(value[1]))


def _number(value):
    return None if value is None else float(value)


def _month(text) -> Month:
    """``Month.parse``, once per text: a rules file repeats a few start months many times."""
    return _parsed_month(text) if type(text) is str else Month.parse(text)


@lru_cache(maxsize=4096)
def _parsed_month(text: str) -> Month:
    return Month.parse(text)


def _derived(ind: dict, th: dict, default_floor: dict | None):
    """The scorecard's default floor rule applied to an entry without a floor, else None."""
    factor = (default_floor or {}).get(ind["polarity"])
    target = th.get("target")
    return None if factor is None or target is None else float(target) * float(factor)


def _default_frequency(ind: dict) -> str:
    """Monthly, except an aggregated Q or annual indicator, whose figure is due once a period."""
    if ind.get("aggregate"):
        return {"Q": "quarterly", "annual": "annual"}.get(ind["period"], "monthly")
    return "monthly"


def _expected(value):
    if value is None:
        return None
    return tuple(None if v is None else float(v) for v in value)


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
