"""Item 4: LibreOffice recalculating the analyst's nested-IF formulas against our build."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

from harness import (
    SAMPLE_MONTH,
    Case,
    Item,
    Settings,
    build_case,
    measure,
    median,
    sample_report,
    seconds,
    times_x,
)


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _if_rag(row: int, polarity: str, decimals: int) -> str:
    v = f"ROUND(H{row},{decimals})"
    if polarity == "H":
        rule = (f'IF({v}>=I{row},"Green",IF(AND(ISNUMBER(J{row}),{v}>=J{row}),"Amber","Red"))')
        need = f"ISNUMBER(I{row})"
    elif polarity == "L":
        rule = (f'IF({v}<=I{row},"Green",IF(AND(ISNUMBER(J{row}),{v}<=J{row}),"Amber","Red"))')
        need = f"ISNUMBER(I{row})"
    else:  # T: green band K:L, amber band M:N
        rule = (f'IF(AND({v}>=K{row},{v}<=L{row}),"Green",IF(AND(ISNUMBER(M{row}),{v}>=M{row},'
                f'{v}<=N{row}),"Amber","Red"))')
        need = f"ISNUMBER(K{row})"
    return f'=IF(AND(ISNUMBER(H{row}),{need}),{rule},"")'


def _if_dot(row: int, polarity: str, other: str) -> str:
    new, old = f"H{row}", f"{other}{row}"
    if polarity == "H":
        better, worse = f"{new}>{old}", f"{new}<{old}"
    elif polarity == "L":
        better, worse = f"{new}<{old}", f"{new}>{old}"
    else:
        near_new, near_old = f"ABS({new}-I{row})", f"ABS({old}-I{row})"
        better, worse = f"{near_new}<{near_old}", f"{near_new}>{near_old}"
    return (f'=IF(AND(ISNUMBER({new}),ISNUMBER({old})),'
            f'IF({better},"↑",IF({worse},"↓","→")),"")')


IF_HEADERS = ("ID", "Polarity", "Decimals", "Numerator", "Denominator", "Multiplier", "Given",
              "Value", "Target", "Floor", "Green low", "Green high", "Amber low", "Amber high",
              "Previous", "Outturn", "RAG", "DoT Previous", "DoT Outturn")


def write_if_workbook(report, path: Path) -> int:
    """The analyst's workbook: one row per indicator, value, RAG and arrows as native formulas
    (nested IF with ROUND, ABS). Returns the number of formula cells."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Scorecard"
    ws.append(IF_HEADERS)
    formulas = 0

    def number(v):
        return None if v is None or v != v else float(v)

    for i, r in enumerate(report.results.itertuples(index=False), start=2):
        ind = report.rules[r.id]
        pair = number(r.numerator) is not None and number(r.denominator) is not None
        value = (f'=IF(E{i}=0,"",D{i}/E{i}*F{i})' if pair and r.measure != "count"
                 else number(r.value))
        ws.append([r.id, r.polarity or "", int(r.decimals), number(r.numerator),
                   number(r.denominator), ind.multiplier, None, value, number(r.target),
                   number(r.floor), number(r.green_low), number(r.green_high), number(r.amber_low),
                   number(r.amber_high), number(r.previous), number(r.outturn)])
        formulas += isinstance(value, str)
        if r.polarity:
            ws.cell(row=i, column=17, value=_if_rag(i, r.polarity, int(r.decimals)))
            ws.cell(row=i, column=18, value=_if_dot(i, r.polarity, "O"))
            ws.cell(row=i, column=19, value=_if_dot(i, r.polarity, "P"))
            formulas += 3
    wb.save(path)
    return formulas


def soffice_convert(soffice: str, source: Path, outdir: Path, profile: Path) -> Path:
    """LibreOffice opens the workbook, calculates its formulas and saves the first sheet as
    UTF-8 CSV (the values it computed)."""
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir",
               str(outdir), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    produced = outdir / (source.stem + ".csv")
    if done.returncode != 0 or not produced.exists():
        raise RuntimeError(f"LibreOffice failed: {(done.stderr or done.stdout).strip()[-300:]}")
    return produced


def bench(s: Settings, tmp: Path) -> Item:
    item = Item(4, "libreoffice", "LibreOffice recalculating nested-IF formulas vs our build")
    soffice = find_soffice()
    if soffice is None:
        item.skipped = "LibreOffice (soffice) is not installed"
        return item
    report = sample_report()
    source = tmp / "analyst_if_formulas.xlsx"
    n_formulas = write_if_workbook(report, source)
    profile, outdir = tmp / "lo-profile", tmp / "lo-out"
    outdir.mkdir(exist_ok=True)

    # What LibreOffice computed must be what our engine computed.
    produced = soffice_convert(soffice, source, outdir, profile)
    with open(produced, encoding="utf-8", newline="") as handle:
        got = list(csv.reader(handle))[1:]
    results = report.results
    agree = sum(row[16] == rag and row[17] == p and row[18] == o
                for row, rag, p, o in zip(got, results["rag"], results["dot_previous"],
                                          results["dot_outturn"]))
    if agree != len(results):
        raise RuntimeError(f"LibreOffice's IF formulas agree with the engine on only {agree} of "
                           f"{len(results)} rows")

    import openpyxl

    tiny = tmp / "one_cell.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = 1
    book.save(tiny)
    cases = [Case("libreoffice", lambda: soffice_convert(soffice, source, outdir, profile)),
             build_case("build", tmp, "--month", SAMPLE_MONTH),
             Case("start-up", lambda: soffice_convert(soffice, tiny, outdir, profile))]
    # the check above has already started LibreOffice with this profile once: --quick needs
    # no other warm-up
    t = measure(cases, s.slow_repeats + (0 if s.quick else 2), 0 if s.quick else s.warmup)
    lo_t, ours = median(t["libreoffice"]), median(t["build"])
    item.row(f"LibreOffice headless: open, calculate {n_formulas} formula cells, save CSV",
             seconds(lo_t))
    item.row("LibreOffice headless, the same on a one-cell workbook (start-up alone)",
             seconds(median(t["start-up"])))
    item.row("`xl-scorecard build`, May 2012 (full six-sheet workbook)", seconds(ours))
    item.row("**LibreOffice / build**", "", times_x(lo_t / ours))
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip()
    item.notes.append(
        f"The analyst's alternative: a workbook (written with openpyxl before timing) with one row "
        f"per indicator of the May 2012 sample whose value (`=IF(E2=0,\"\",D2/E2*F2)`), RAG (nested "
        f"`IF` over `ROUND(value, decimals)` against target and floor, or the green and amber "
        f"bands for T) and both arrows (`IF` comparisons, `ABS` distance to target for T) are "
        f"native formulas, {n_formulas} in all. Timed: `soffice --headless --convert-to csv` with "
        f"a private profile (`-env:UserInstallation`, warmed up first), which starts LibreOffice, "
        f"calculates every formula and writes the values; before timing, its RAG and arrows are "
        f"checked equal to the engine's for all {len(results)} indicators. The same conversion of a "
        f"one-cell workbook, timed in the same rounds, shows how much of it is LibreOffice "
        f"starting up, which a headless run pays every time. ({version})")
    return item
