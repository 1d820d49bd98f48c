"""Load rules.json: check it against the schema, then for meaning, into frozen rules.

Every problem is reported with the indicator id and the JSON path, e.g.
``rules.json: $.indicators[3].thresholds[0].floor (SCS04): floor 90 is above
target 85; for a higher-is-better indicator the floor must be at or below it``.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from ..core.errors import Problem, RulesError
from ..core.periods import Month
from ..core.rules import Indicator, Rules, Scorecard, Threshold


@lru_cache(maxsize=1)
def schema() -> dict:
    """The packaged JSON Schema for rules.json."""
    text = resources.files("xl_scorecard.inputs").joinpath("rules.schema.json").read_text("utf-8")
    return json.loads(text)


def load_rules(path: "str | Path") -> Rules:
    """Read, validate and return the rules in a file; RulesError names every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RulesError(Problem(str(path), "file not found")) from None
    except UnicodeDecodeError as exc:
        raise RulesError(Problem(str(path), f"is not UTF-8 text (byte {exc.start}): save it as "
                                 "UTF-8 JSON")) from None
    except OSError as exc:
        raise RulesError(Problem(str(path), f"cannot be read: {exc.strerror or exc}")) from None
    try:
        # NaN and Infinity are not JSON: kept as text, the schema reports them where they are
        document = json.loads(text, parse_constant=str)
    except json.JSONDecodeError as exc:
        where = f"{path}: line {exc.lineno} column {exc.colno}"
        raise RulesError(Problem(where, f"not valid JSON: {exc.msg}")) from None
    except RecursionError:
        raise RulesError(Problem(str(path), "not valid rules: lists or objects are nested too "
                                 "deeply")) from None
    return rules_from_dict(document, source=str(path))


def rules_from_dict(document: Any, source: str = "rules.json") -> Rules:
    """Validate a parsed rules document (schema, then meaning) and build Rules."""
    problems = list(schema_problems(document, source))
    if problems:
        raise RulesError(problems)
    problems = list(_number_problems(document, source, []))
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
        yield Problem(_where(source, document, list(error.absolute_path)), _schema_message(error))


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
            yield Problem(_where(source, document, path), f"{shown} is not a finite number: "
                          "give an ordinary number")


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
                _where(source, document, ["indicators", i, "id"]),
                f"duplicate id {ident!r}: already used by $.indicators[{seen[ident]}]",
            )
        else:
            seen[ident] = i
        previous_start = None
        for j, th in enumerate(ind.get("thresholds", [])):
            path = ["indicators", i, "thresholds", j]
            start = Month.parse(th["from"])
            if previous_start is not None and start <= previous_start:
                yield Problem(
                    _where(source, document, path + ["from"]),
                    f"thresholds must be in date order: {start} does not come after {previous_start}",
                )
            previous_start = start
            yield from _threshold_problems(ind["polarity"], th,
                                            lambda key: _where(source, document, path + [key]))


def _threshold_problems(polarity: str | None, th: dict, where) -> Iterable[Problem]:
    """Problems of one threshold; ``where(key)`` locates one of its fields."""
    target, floor = th.get("target"), th.get("floor")
    if polarity == "H" and target is not None and floor is not None and floor > target:
        yield Problem(where("floor"), f"floor {floor:g} is above target {target:g}; for a "
                      "higher-is-better indicator the floor must be at or below the target")
    if polarity == "L" and target is not None and floor is not None and floor < target:
        yield Problem(where("floor"), f"floor {floor:g} is below target {target:g}; for a "
                      "lower-is-better indicator the floor must be at or above the target")
    if polarity == "T":
        green, amber = th.get("green"), th.get("amber")
        if green is not None and green[0] > green[1]:
            yield Problem(where("green"), f"band [{green[0]:g}, {green[1]:g}] is not [low, high]")
        elif target is not None and green is not None and not green[0] <= target <= green[1]:
            yield Problem(where("target"), f"target {target:g} is outside its green band "
                          f"[{green[0]:g}, {green[1]:g}]")
        if amber is not None and amber[0] > amber[1]:
            yield Problem(where("amber"), f"band [{amber[0]:g}, {amber[1]:g}] is not [low, high]")
        elif green is not None and amber is not None and not (amber[0] <= green[0] and green[1] <= amber[1]):
            yield Problem(where("amber"), f"green band [{green[0]:g}, {green[1]:g}] is not inside "
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
    return Rules(scorecard=scorecard, indicators=indicators, source=source)


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


def _where(source: str, document: Any, parts: list) -> str:
    where = f"{source}: {json_path(parts)}"
    if len(parts) >= 2 and parts[0] == "indicators" and isinstance(parts[1], int):
        try:
            ident = document["indicators"][parts[1]].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            ident = None
        if isinstance(ident, str):
            where += f" ({ident})"
    return where


def _schema_message(error) -> str:
    kind, instance, value = error.validator, error.instance, error.validator_value
    if kind == "required":
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        name = missing[0] if missing else value[0]
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
