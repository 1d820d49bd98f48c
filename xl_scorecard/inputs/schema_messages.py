"""jsonschema's errors about rules.json, said in the analyst's terms."""

from __future__ import annotations

from .workbook_map_rules import workbook_message


def schema_message(error) -> str:
    """A jsonschema error as one sentence an analyst can act on."""
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
    path = list(error.absolute_path)
    if path[-1:] == ["decimals"] and kind in ("type", "minimum", "maximum"):
        hint = ('; to rate the value unrounded, set "rag_basis": "unrounded"'
                if isinstance(instance, str) else "")  # "none", as =RAG() takes it
        low, high = error.schema.get("minimum", 0), error.schema.get("maximum")  # the schema's bounds
        return f"{instance!r} is not a whole number from {low} to {high}{hint}"
    if kind == "type":
        wanted = value if isinstance(value, str) else " or ".join(value)
        return f"{instance!r} is not {_article(wanted)} {wanted}"
    if kind in ("minItems", "maxItems") and error.schema.get("minItems") == error.schema.get("maxItems") == 2:
        return f"a band must be two numbers [low, high], not {instance!r}"
    if kind == "minItems" and list(error.absolute_path) == ["indicators"]:
        return "there must be at least one indicator"
    if "workbook" in error.absolute_path and kind in ("pattern", "anyOf", "maxLength"):
        return workbook_message(error)
    if kind == "exclusiveMinimum":
        hint = " (the multiplier, e.g. 10000 for per 10,000)" if path[-1:] == ["per"] else ""
        return f"{instance!r} is not allowed: it must be greater than {value:g}{hint}"
    if kind == "minLength" and value == 1:
        return f"is empty: give the {path[-1] if path else 'text'}"
    if path[-1:] == ["year_start_month"] and kind in ("minimum", "maximum"):
        return f"{instance!r} is not a month number: give 1 (January) to 12 (December)"
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


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
