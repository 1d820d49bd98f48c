"""Trim a Pyodide release's pyodide-lock.json to what tests/test_lite.py needs.

    npm pack pyodide@314.0.8            # the pyodide npm package (a registry download)
    tar -xzf pyodide-314.0.8.tgz package/pyodide-lock.json
    python tests/data/trim_pyodide_lock.py package/pyodide-lock.json 314.0.8

writes tests/data/pyodide-<version>-packages.json: the release's Python and, per package, its
version and whether its wheel is pure Python.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(lock_path: str, release: str) -> Path:
    lock = json.loads(Path(lock_path).read_text(encoding="utf-8"))
    packages = {name: {"version": p["version"],
                       "pure": p.get("file_name", "").endswith("-none-any.whl")}
                for name, p in sorted(lock["packages"].items())}
    out = Path(__file__).with_name(f"pyodide-{release}-packages.json")
    out.write_text(json.dumps({
        "source": f"pyodide-lock.json of the npm package pyodide@{release} "
                  f"(https://www.npmjs.com/package/pyodide/v/{release}), trimmed by "
                  "tests/data/trim_pyodide_lock.py",
        "release": release, "info": lock["info"], "packages": packages}, indent=1) + "\n",
        encoding="utf-8")
    return out


if __name__ == "__main__":
    print(main(sys.argv[1], sys.argv[2]))
