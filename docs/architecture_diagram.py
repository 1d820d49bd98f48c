"""Draw docs/architecture.png: the package's folders on their floors and the imports between them.

Measured from the code each time (every ``import`` of every module, read with ``ast``), so the
picture cannot drift from the tree. Run from the repository root:

    python3 docs/architecture_diagram.py            # writes docs/architecture.png (matplotlib)
    python3 docs/architecture_diagram.py --print    # the measured folder imports, as text
"""

from __future__ import annotations

import argparse
import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "xl_scorecard"
OUTPUT = ROOT / "docs" / "architecture.png"

# floor (0 = ground) and column of each room; a room only imports rooms on lower floors
PLACES = {
    "cli.py": (4, 1.5), "headless": (3, -0.15), "paper": (3, 0.95), "fill": (3, 2.05),
    "excel": (3, 3.15), "writers": (2, 2.3), "inputs": (1, 0), "outputs": (1, 1.5),
    "layout": (1, 3), "core": (0, 1.5),
}
TOP_FILES = ("cli.py", "commands.py")  # the top room: the arguments and what each command does
GROUND = "core"  # every room imports it: drawn as the ground, its arrows left out
SAYS = {
    "cli.py": "xl-scorecard: validate, results, summary, build, batch, pdf, report, map, fill, rules",
    "headless": "build one month, batch, PDF (openpyxl, LibreOffice)",
    "excel": "worksheet functions, udfs, macros, formula engine, xlwings Lite",
    "paper": "the committee paper: Word (python-docx), charts (matplotlib)",
    "fill": "fill the analyst's own workbook in place, part by part",
    "writers": "render a SheetLayout: openpyxl or xlwings",
    "inputs": "rules.json + schema, data table, xlsx safety",
    "outputs": "atomic writes, results CSV/JSON/text, problems",
    "layout": "the six sheets as plain values, commentary",
    "core": "pure: rules, periods, rounding, RAG, DoT, engine, summary",
}


def room_of(module: str) -> str | None:
    """The room an ``xl_scorecard...`` module belongs to (None for the package's own face)."""
    parts = module.split(".")
    if parts[0] != "xl_scorecard" or len(parts) < 2:
        return None
    if f"{parts[1]}.py" in TOP_FILES:
        return "cli.py"
    return parts[1] if parts[1] in PLACES else None


def folder_imports() -> Counter:
    """(importer room, imported room) -> how many import statements, across the package."""
    counts: Counter = Counter()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        here = "cli.py" if relative.as_posix() in TOP_FILES else relative.parts[0]
        if here not in PLACES:
            continue  # the thin re-exports (udfs.py, scripts.py, __init__.py)
        package = ".".join(("xl_scorecard", *relative.parent.parts))
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                targets = [".".join([*base, node.module] if node.module else base)]
            elif isinstance(node, ast.ImportFrom):
                targets = [node.module or ""]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            for target in targets:
                there = room_of(target)
                if there and there != here:
                    counts[(here, there)] += 1
    return counts


def lines_of(room: str) -> int:
    paths = ([PACKAGE / name for name in TOP_FILES] if room == "cli.py"
             else (PACKAGE / room).rglob("*.py"))
    return sum(len(p.read_text("utf-8").splitlines()) for p in paths)


def draw(counts: Counter, output: Path = OUTPUT) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    import textwrap

    width, height = 1.0, 0.6
    fig, ax = plt.subplots(figsize=(10.5, 7), dpi=100)
    ax.set_xlim(-0.75, 3.75)  # the faces' floor reaches 3.65
    ax.set_ylim(-0.85, 4.75)
    ax.axis("off")
    centre = {room: (col, floor) for room, (floor, col) in PLACES.items()}
    for (here, there), n in sorted(counts.items()):
        if there == GROUND:
            continue
        (x1, y1), (x2, y2) = centre[here], centre[there]
        arrow = FancyArrowPatch((x1, y1 - height / 2), (x2, y2 + height / 2),
                                arrowstyle="-|>", mutation_scale=12, linewidth=0.6 + 0.25 * n ** 0.5,
                                color="#52606d", alpha=0.75, shrinkA=2, shrinkB=2,
                                connectionstyle="arc3,rad=0.06", zorder=1)
        ax.add_patch(arrow)
    for room, (x, y) in centre.items():
        colour = "#e3edf7" if room != GROUND else "#d9ead3"
        wide = 3 + width if room == GROUND else width
        ax.add_patch(FancyBboxPatch((x - wide / 2, y - height / 2), wide, height,
                                    boxstyle="round,pad=0.02", facecolor=colour,
                                    edgecolor="#334e68", linewidth=1.1, zorder=2))
        wide_room = room in (GROUND, "cli.py")
        if room == "cli.py":
            wide = 2.2
            ax.patches[-1].remove()
            ax.add_patch(FancyBboxPatch((x - wide / 2, y - height / 2), wide, height,
                                        boxstyle="round,pad=0.02", facecolor=colour,
                                        edgecolor="#334e68", linewidth=1.1, zorder=2))
        title = " + ".join(TOP_FILES) if room == "cli.py" else room + "/"
        ax.text(x, y + 0.15, f"{title}  ({lines_of(room):,} lines)", ha="center", va="center",
                fontsize=9.5, fontweight="bold", color="#102a43", zorder=3)
        ax.text(x, y - 0.1, textwrap.fill(SAYS[room], 48 if wide_room else 26), ha="center",
                va="center",
                fontsize=7.5, color="#334e68", zorder=3, linespacing=1.15)
    ax.text(-0.72, 4.72, "xl_scorecard: each folder imports only the floors below it",
            fontsize=12, fontweight="bold", color="#102a43", va="top")
    users = sorted(here for here, there in counts if there == GROUND)
    ax.text(-0.72, -0.8, f"arrow A -> B: A imports B (thicker: more import statements). The ground, "
            f"{GROUND}/, is imported by {len(users)} of the {len(PLACES) - 1} rooms; those arrows are "
            "not drawn.\nMeasured from the code by docs/architecture_diagram.py; "
            "tests/test_architecture.py enforces the direction.", fontsize=7.4, color="#52606d",
            va="bottom")
    fig.savefig(output, dpi=100, bbox_inches="tight", pad_inches=0.1)
    plt.close(fig)
    from PIL import Image  # matplotlib's own dependency: a 64-colour palette keeps the file small

    with Image.open(output) as picture:
        picture.convert("RGB").quantize(64).save(output, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print", action="store_true", help="print the measured imports instead")
    args = parser.parse_args()
    counts = folder_imports()
    if args.print:
        for (here, there), n in sorted(counts.items()):
            print(f"{here:9} -> {there:8} {n}")
        return
    draw(counts)
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
