"""The benchmark items, one module each: ``bench(settings, tmp) -> harness.Item``.

Numbered in the order bench/run.py runs them; ``--only`` takes the numbers or the names.
"""

from . import batch, build, formulas, functions, growth, libreoffice

ITEMS = {"build": build, "batch": batch, "functions": functions, "libreoffice": libreoffice,
         "formulas": formulas, "growth": growth}
