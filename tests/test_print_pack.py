"""The committee pack as printed: LibreOffice renders the PDF, pdftotext reads it page by page.

One module, its renders made once (LibreOffice is the slowest part of the suite):
the bundled sample (May 2012), a month of the synthetic history with four-period
trend tables (September 2013), a generated 60-indicator card, and a ``--live``
workbook carrying the values Excel would have saved.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from xl_scorecard import load_data, load_rules
from xl_scorecard.core.engine import compute_month
from xl_scorecard.headless.pdf import workbook_to_pdf
from xl_scorecard.outputs.libreoffice import find_soffice
from xl_scorecard.layout.exceptions_sheet import red_count_sentence

from conftest import BUNDLED_DATA, BUNDLED_RULES, REPO_ROOT

SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"

pytestmark = pytest.mark.skipif(find_soffice() is None or shutil.which("pdftotext") is None,
                                reason="needs LibreOffice and poppler's pdftotext")


def pages(pdf) -> list[str]:
    """Each page's text, whitespace collapsed."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [" ".join(page.split()) for page in out.split("\f")[:-1]]


def _build(run_cli, tmp_path, name, *args) -> "Path":
    out = tmp_path / f"{name}.xlsx"
    code, _, err = run_cli("build", "--out", out, *args)
    assert code == 0, err
    return out


def _larger_card(tmp_path, total: int):
    """The bundled 44 plus copies under new ids, names and sections, to ``total`` rows."""
    document = json.loads(BUNDLED_RULES.read_text(encoding="utf-8"))
    document.pop("$schema", None)
    bundled = document["indicators"]
    data = pd.read_csv(BUNDLED_DATA, dtype={"period": str})
    extra, tables = [], [data]
    for k in range(total - len(bundled)):
        ind = bundled[k % len(bundled)]
        suffix = f"X{k}"
        extra.append(dict(ind, id=ind["id"] + suffix, ref=f"{ind.get('ref', '')}.{k}",
                          name=f"Copy {k}: " + ind["name"],
                          section=f"Generated {k // 20}: " + ind["section"]))
        rows = data[data["indicator"] == ind["id"]].copy()
        rows["indicator"] = ind["id"] + suffix
        tables.append(rows)
    document["indicators"] = bundled + extra
    rules = tmp_path / f"rules{total}.json"
    rules.write_text(json.dumps(document), encoding="utf-8")
    table = tmp_path / f"data{total}.csv"
    pd.concat(tables).to_csv(table, index=False)
    return rules, table, [e["name"] for e in extra]


def _with_saved_values(live, static, target):
    """The --live workbook as Excel would save it: each formula keeps the value it calculated
    (taken from the static build of the same month, whose cells are the same)."""
    import openpyxl
    from xml.sax.saxutils import escape

    names = openpyxl.load_workbook(live).sheetnames
    values = openpyxl.load_workbook(static)
    formula_cell = re.compile(r'<c r="([A-Z]+\d+)"([^>]*)><f>(.*?)</f><v\s*/></c>')
    with zipfile.ZipFile(live) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
            if match:
                ws = values[names[int(match.group(1)) - 1]]

                def cached(m, ws=ws):
                    ref, attrs, formula = m.groups()
                    value = ws[ref].value
                    if value is None:
                        return f'<c r="{ref}"{attrs} t="str"><f>{formula}</f><v></v></c>'
                    if isinstance(value, str):
                        return f'<c r="{ref}"{attrs} t="str"><f>{formula}</f><v>{escape(value)}</v></c>'
                    return f'<c r="{ref}"{attrs}><f>{formula}</f><v>{value!r}</v></c>'

                data = formula_cell.sub(cached, data.decode("utf-8")).encode("utf-8")
            dst.writestr(item, data)


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    import io

    from xl_scorecard import cli

    tmp = tmp_path_factory.mktemp("pack")

    def run_cli(*argv):
        out, err = io.StringIO(), io.StringIO()
        return cli.run([str(a) for a in argv], out, err), out.getvalue(), err.getvalue()

    rules60, data60, extra_names = _larger_card(tmp, 60)
    rules130, data130, _ = _larger_card(tmp, 130)
    books = {
        "sample": _build(run_cli, tmp, "sample", "--month", "2012-05"),
        "history": _build(run_cli, tmp, "history", "--data", SYNTHETIC, "--month", "2013-09"),
        "sixty": _build(run_cli, tmp, "sixty", "--rules", rules60, "--data", data60),
        "long": _build(run_cli, tmp, "long", "--rules", rules130, "--data", data130),
    }
    live = _build(run_cli, tmp, "live", "--live", "--month", "2012-05")
    _with_saved_values(live, books["sample"], tmp / "saved.xlsx")
    books["saved"] = tmp / "saved.xlsx"
    rendered = {name: pages(workbook_to_pdf(book, tmp / f"{name}.pdf")) for name, book in books.items()}
    rendered["extra_names"] = extra_names
    return rendered


def _scorecard_pages(texts):
    return [t for t in texts if "Performance Scorecard" in t and "Latest Result" in t
            and ": summary" not in t]


@pytest.mark.parametrize("name, month", [("sample", "2012-05"), ("history", "2013-09")])
def test_every_page_says_page_n_of_m_under_the_council_and_month(pack, name, month):
    texts = pack[name]
    label = pd.Period(month).strftime("%B %Y")
    for n, text in enumerate(texts, start=1):
        assert f"Page {n} of {len(texts)}" in text, (name, n)
        assert "Kent County Council" in text and f"Scorecard: {label}" in text, (name, n)
        assert re.search(r"Produced \d{1,2} [A-Z][a-z]+ \d{4}", text), (name, n)


@pytest.mark.parametrize("name", ["sample", "history", "sixty"])
def test_the_scorecard_prints_on_one_page(pack, name):
    texts = pack[name]
    rules = load_rules(BUNDLED_RULES)
    assert len(_scorecard_pages(texts)) == 1, name
    first = texts[0]
    for ind in rules.indicators:
        assert " ".join(ind.name.split())[:24] in first, (name, ind.id)
    assert "Key" in first and "Rolling 12 Months" in first and "Snapshot" in first
    if name == "sixty":
        for extra in pack["extra_names"]:
            assert " ".join(extra.split())[:24] in first
    assert ": summary" in texts[1]  # the Summary starts the next page


def test_a_longer_card_repeats_its_title_block_and_headers_on_every_page(pack):
    scorecard = [t for t in pack["long"] if "Latest Result" in t and ": summary" not in t
                 and "Data notes" not in t]
    assert len(scorecard) >= 2
    for page in scorecard:  # pdftotext reads a table column by column: look for each piece
        for piece in ("Specialist Children's Services Performance Scorecard Kent County Council",
                      "Month 2012-05", "Direction (vs previous)", "Polarity", "Data Period",
                      "Latest Result", "Previous Result", "DoT Previous", "Commentary"):
            assert piece in page
    assert "Copy 85:" in " ".join(scorecard[1:])  # the rows run on


def test_the_sample_says_why_its_outturn_columns_are_empty(pack):
    assert "No outturn: the data has no March 2012 figures" in pack["sample"][0]
    assert "No outturn" not in pack["history"][0]


@pytest.mark.parametrize("name, month", [("sample", "2012-05"), ("history", "2013-09")])
def test_each_exception_block_is_whole_on_its_own_page(pack, name, month):
    rules = load_rules(BUNDLED_RULES)
    data = load_data(BUNDLED_DATA if name == "sample" else SYNTHETIC, rules)
    results = compute_month(rules, data, month)
    red = results[results["rag"] == "Red"]
    texts = pack[name]
    exception_pages = [t for t in texts if "Data notes" in t]
    assert len(exception_pages) == len(red)
    assert red_count_sentence(len(red)) in exception_pages[0]
    months = sorted(m for m in data.frame["period"].unique() if m <= month)[-4:]
    for page, r in zip(exception_pages, red.itertuples()):
        heading = " ".join(f"{r.ref}. {r.name}".split())
        assert heading in page, (name, r.id)
        assert "Period Result Target RAG" in page
        for m in months:
            assert pd.Period(m).strftime("%B %Y") in page, (name, r.id, m)
        assert "Target:" in page and "Tolerance:" in page and "Commentary" in page
        assert page.count("Data notes") == 1 and page.count("Commentary") == 1


def test_a_live_workbook_prints_the_values_excel_saved(pack):
    saved, static = pack["saved"], pack["sample"]
    assert "#NAME" not in " ".join(saved)
    assert saved[0].count("Red") == static[0].count("Red")
    assert saved[0].count("Green") == static[0].count("Green")
