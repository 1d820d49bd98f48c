"""Where the bundled sample lives: inside the package (wheel) or at the repository root."""

from __future__ import annotations

from pathlib import Path

SAMPLE_DATA = "kent_scs_2012.csv"
SAMPLE_MONTH = "2012-05"


PACKAGE = Path(__file__).resolve().parent.parent


def _packaged(name: str) -> Path | None:
    path = PACKAGE / "_sample" / name
    return path if path.exists() else None


def _checkout_root() -> Path:
    return PACKAGE.parent


def rules_path() -> Path:
    """The bundled rules.json."""
    return _packaged("rules.json") or _checkout_root() / "rules.json"


def data_path() -> Path:
    """The bundled sample data table."""
    return _packaged(SAMPLE_DATA) or _checkout_root() / "workbooks" / SAMPLE_DATA
