"""Careless and hostile inputs, round two (issue 15): each class of the adversarial pass as tests.

The CLI cases with a message and "nothing changed" are rows of tests/test_catalogue.py;
this module holds the cases that need more than one command line: the output guard other
commands call, regular-file and bounded reads, text XML cannot hold, the calendar's edges,
worksheet functions given hostile cells, the macros' rules setting, templates carrying
DDE or web formulas, batch processes, and workbooks that used to mislead the data reader.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from xl_scorecard import cli
from xl_scorecard.core.errors import UsageError
from xl_scorecard.outputs.guard import file_kind, refuse_overwriting_inputs, same_file

REPO_ROOT = Path(__file__).resolve().parent.parent


def run(*argv, cwd=None):
    out, err = io.StringIO(), io.StringIO()
    code = cli.run([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


# --------------------------------------------------------------------------- the output guard


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


def _xlsx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return path


def test_file_kind_reads_the_first_bytes_not_the_name(tmp_path):
    (tmp_path / "a.csv").write_text("indicator,period\n")
    (tmp_path / "a.pdf.csv").write_bytes(b"%PDF-1.4 ...")
    assert file_kind(tmp_path / "a.csv") == "text"
    assert file_kind(tmp_path / "a.pdf.csv") == "pdf"
    assert file_kind(_xlsx(tmp_path / "book.txt")) == "workbook"
    assert file_kind(_docx(tmp_path / "paper.bin")) == "document"
    assert file_kind(tmp_path / "missing") is None
    (tmp_path / "empty").write_bytes(b"")
    assert file_kind(tmp_path / "empty") is None


@pytest.mark.parametrize("spell", ["same", "relative", "dotted", "symlink", "hardlink",
                                   "symlinked-folder"])
def test_every_spelling_of_an_input_is_refused(tmp_path, monkeypatch, spell):
    data = tmp_path / "data.csv"
    data.write_text("indicator,period,value\nK1,2012-05,1\n")
    monkeypatch.chdir(tmp_path)
    if spell == "same":
        out = data
    elif spell == "relative":
        out = Path("data.csv")
    elif spell == "dotted":
        (tmp_path / "sub").mkdir()
        out = Path("sub") / ".." / "data.csv"
    elif spell == "symlink":
        out = tmp_path / "link.csv"
        out.symlink_to(data)
    elif spell == "hardlink":
        out = tmp_path / "hard.csv"
        os.link(data, out)
    else:
        (tmp_path / "alias").symlink_to(tmp_path)
        out = tmp_path / "alias" / "data.csv"
    with pytest.raises(UsageError) as caught:
        refuse_overwriting_inputs(out, {"--data": data}, "text")
    assert "is the --data input" in str(caught.value)
    assert data.read_text().startswith("indicator")


def test_letter_case_counts_where_the_disk_ignores_it(tmp_path):
    data = tmp_path / "Data.csv"
    data.write_text("x\n")
    other = tmp_path / "DATA.CSV"
    # on a case-insensitive disk (Windows, macOS) both names open one file: samefile says so
    assert same_file(data, other) == other.exists()


@pytest.mark.parametrize("existing, kind, refused", [
    ("workbook", "text", True), ("pdf", "text", True), ("document", "text", True),
    ("workbook", "pdf", True), ("document", "workbook", True), ("pdf", "workbook", True),
    ("text", "text", False), ("workbook", "workbook", False), ("pdf", "pdf", False),
    ("document", "document", False),
])
def test_a_file_of_another_kind_is_never_replaced(tmp_path, existing, kind, refused):
    out = tmp_path / "out.bin"
    if existing == "workbook":
        _xlsx(out)
    elif existing == "document":
        _docx(out)
    elif existing == "pdf":
        out.write_bytes(b"%PDF-1.7\n")
    else:
        out.write_text("last month\n")
    before = out.read_bytes()
    if refused:
        with pytest.raises(UsageError, match="already exists and is"):
            refuse_overwriting_inputs(out, [], kind)
    else:
        refuse_overwriting_inputs(out, [], kind)
    assert out.read_bytes() == before


@pytest.mark.parametrize("name, kind", [("x.xlsx", "text"), ("x.pdf", "text"), ("x.docx", "pdf"),
                                        ("x.xlsm", "pdf"), ("x.pdf", "document")])
def test_an_output_named_as_another_kind_is_refused(tmp_path, name, kind):
    with pytest.raises(UsageError, match="is named as"):
        refuse_overwriting_inputs(tmp_path / name, [], kind)


def test_inputs_may_be_a_plain_list_with_blanks(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("x\n")
    refuse_overwriting_inputs(tmp_path / "new.csv", [None, data], "text")
    with pytest.raises(UsageError, match="is an input"):
        refuse_overwriting_inputs(data, [None, data], "text")


# --------------------------------------------------------------------------- silent wrong answers

from xl_scorecard.core.engine import compute_month  # noqa: E402
from xl_scorecard.inputs.data import check_table, load_data  # noqa: E402
from xl_scorecard.inputs.rules_file import rules_from_dict  # noqa: E402

import pandas as pd  # noqa: E402


def _rules(**k1_extra):
    return rules_from_dict({
        "scorecard": {"title": "t"},
        "indicators": [
            {"id": "UNF", "name": "Posts unfilled", "polarity": "L", "period": "SS",
             "measure": "percent", "decimals": 1, **k1_extra,
             "thresholds": [{"from": "2012-04", "target": 10, "floor": 11}]},
            {"id": "SEEN", "name": "Children seen", "polarity": "H", "period": "SS",
             "measure": "percent", "decimals": 1,
             "thresholds": [{"from": "2012-04", "target": 85, "floor": 76.5}]},
        ]})


def _table(rows):
    return pd.DataFrame(rows, columns=["indicator", "period", "numerator", "denominator", "value"],
                        dtype=object)


@pytest.mark.parametrize("allow, warned", [(False, True), (True, False)])
def test_a_negative_figure_is_rated_but_said_unless_the_indicator_allows_it(allow, warned):
    rules = _rules(allow_negative=True) if allow else _rules()
    data = check_table(_table([["UNF", "2012-05", None, None, "-1.0"],
                               ["SEEN", "2012-05", "-170", "200", None]]), rules, "d.csv")
    texts = [str(w) for w in data.warnings]
    assert any("row 3, column 'numerator'" in t and "SEEN" in t and "far below" in t for t in texts)
    assert any("row 2, column 'value'" in t and "UNF" in t and "better than any target" in t
               for t in texts) == warned
    results = compute_month(rules, data, "2012-05").set_index("id")
    # rated as given: an analyst who meant it (over establishment) sees Green, as published
    assert results.loc["UNF", "rag"] == "Green" and results.loc["SEEN", "rag"] == "Red"


def test_the_bundled_sample_allows_its_one_genuine_negative():
    from xl_scorecard.inputs import sample
    from xl_scorecard.inputs.rules_file import load_rules

    rules = load_rules(sample.rules_path())
    assert [i.id for i in rules.indicators if i.allow_negative] == ["SCS41"]
    assert load_data(sample.data_path(), rules).warnings == []


@pytest.mark.parametrize("tolerance", [float("nan"), float("inf"), -1.0, -0.0001])
def test_the_engine_refuses_a_tolerance_no_analyst_means(tolerance):
    rules = _rules()
    data = check_table(_table([["SEEN", "2012-05", "170", "200", None]]), rules, "d.csv")
    with pytest.raises(UsageError, match="must be a finite number, zero or more"):
        compute_month(rules, data, "2012-05", tolerance=tolerance)


def test_a_live_workbook_never_holds_an_unusable_tolerance(tmp_path):
    out = tmp_path / "live.xlsx"
    code, _, err = run("build", "--live", "--tolerance", "inf", "--out", out)
    assert code == 2 and not out.exists() and "--tolerance" in err


@pytest.mark.parametrize("year", ["0000", "1899", "0001"])
def test_months_before_1900_are_refused_where_they_are(year):
    rules = _rules()
    with pytest.raises(Exception) as caught:
        check_table(_table([["SEEN", f"{year}-01", "1", "2", None]]), rules, "d.csv")
    assert "row 2, column 'period'" in str(caught.value) and "outside the years 1900" in str(caught.value)


@pytest.mark.parametrize("month", ["1900-01", "1900-03", "9999-12"])
def test_the_calendars_first_and_last_months_compute(month):
    """The previous month and the outturn of 1900-01 are in 1899: arithmetic, not a crash."""
    rules = _rules()
    data = check_table(_table([["SEEN", month, "170", "200", None]]), rules, "d.csv")
    results = compute_month(rules, data, month).set_index("id")
    assert results.loc["SEEN", "value"] == 85.0
    assert results.loc["SEEN", "rag"] == ("Green" if month > "2012-04" else "")  # thresholds from 2012-04


# --------------------------------------------------------------------------- workbooks as data

import openpyxl  # noqa: E402

from xl_scorecard.inputs import xlsx_input  # noqa: E402

HEADER = ("indicator", "period", "numerator", "denominator", "value")


def test_a_hidden_first_sheet_is_not_read_when_there_is_no_data_sheet(tmp_path):
    book = openpyxl.Workbook()
    old = book.active
    old.title = "Last year"
    for row in (HEADER, ("SEEN", "2012-05", 1, 2, None)):
        old.append(row)
    old.sheet_state = "hidden"
    current = book.create_sheet("May")
    for row in (HEADER, ("SEEN", "2012-05", 170, 200, None)):
        current.append(row)
    book.save(tmp_path / "d.xlsx")
    table = xlsx_input.read_table(tmp_path / "d.xlsx", max_rows=10)
    assert table["numerator"].tolist() == [170]


def test_one_formatted_cell_at_the_last_row_is_not_a_million_rows(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    for row in (HEADER, ("SEEN", "2012-04", 160, 200, None), ("SEEN", "2012-05", 170, 200, None)):
        ws.append(row)
    ws.cell(row=1_048_576, column=1).font = openpyxl.styles.Font(bold=True)
    book.save(tmp_path / "d.xlsx")
    table = xlsx_input.read_table(tmp_path / "d.xlsx", max_rows=1_000_000)
    assert len(table) == 2
    with pytest.raises(Exception, match="has more than 1 rows with data"):
        xlsx_input.read_table(tmp_path / "d.xlsx", max_rows=1)


def test_blank_rows_between_figures_keep_the_row_numbers(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(HEADER)
    ws.append(("SEEN", "2012-04", 160, 200, None))
    ws.cell(row=5, column=1, value="NOPE")
    ws.cell(row=5, column=2, value="2012-05")
    book.save(tmp_path / "d.xlsx")
    with pytest.raises(Exception) as caught:
        load_data(tmp_path / "d.xlsx", _rules())
    assert "row 5, column 'indicator'" in str(caught.value)


def test_a_formula_with_its_saved_result_is_read(tmp_path):
    """The same workbook, calculated and saved by LibreOffice, reads the formula's result."""
    import shutil
    import subprocess

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice saves the formula's result")
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Data"
    for row in (HEADER, ("SEEN", "2012-05", "=100+70", 200, None)):
        ws.append(row)
    book.save(tmp_path / "raw.xlsx")
    with pytest.raises(Exception, match="no saved result"):
        load_data(tmp_path / "raw.xlsx", _rules())
    out = tmp_path / "saved"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(tmp_path / "raw.xlsx")],
                   capture_output=True, timeout=180, check=True)
    data = load_data(out / "raw.xlsx", _rules())
    assert data.frame["numerator"].tolist() == [170.0]


# --------------------------------------------------------------------------- commentary formulas


def test_a_commentary_formula_stays_a_formula_through_rebuilds(tmp_path):
    out = tmp_path / "scorecard.xlsx"
    assert run("build", "--out", out)[0] == 0
    book = openpyxl.load_workbook(out)
    ws = book["Scorecard"]
    header = next(r for r in ws.iter_rows() if any(c.value == "Commentary" for c in r))
    col = {c.value: c.column for c in header}
    row = next(r[0].row for r in ws.iter_rows(min_row=header[0].row + 1)
               if r[col["ID"] - 1].value == "SCS03")
    ws.cell(row=row, column=col["Commentary"]).value = '="Up "&TEXT(E7,"0.0")&" on April"'
    ws.cell(row=row + 1, column=col["Commentary"]).value = "plain text stays text"
    book.save(out)
    for _ in range(2):
        assert run("build", "--out", out)[0] == 0
    ws = openpyxl.load_workbook(out)["Scorecard"]
    kept = ws.cell(row=row, column=col["Commentary"])
    assert kept.data_type == "f" and kept.value == '="Up "&TEXT(E7,"0.0")&" on April"'
    assert ws.cell(row=row + 1, column=col["Commentary"]).value == "plain text stays text"


def test_formula_looking_commentary_typed_as_text_stays_text(tmp_path):
    """An analyst's text '=see note' (stored as text, not a formula) is not turned into a formula."""
    from xl_scorecard.layout.commentary import KeptFormula, formula_or_value

    assert formula_or_value("=see note", False) == "=see note"
    assert not isinstance(formula_or_value("=see note", False), KeptFormula)
    assert isinstance(formula_or_value("=A1", True), KeptFormula)
    assert formula_or_value(12, True) == 12


# --------------------------------------------------------------------------- formulas that reach out

from xl_scorecard.headless.active_content import reaching_out  # noqa: E402


@pytest.mark.parametrize("formula", [
    "=SUM(A1:A3)", '="CALL(me) | WEBSERVICE("&A1', '=HYPERLINK("https://www.kent.gov.uk","Kent")',
    "='Scorecard'!B3", "=RAG(E7,I7,76.5,\"H\",1)", '=IF(A1="file:",1,0)', "=A1|B1",
])
def test_ordinary_formulas_are_not_mistaken_for_active_content(formula):
    expected = "is a DDE link (it can start a program)" if formula == "=A1|B1" else None
    assert reaching_out(formula) == expected


def test_the_committed_template_and_a_live_build_pass_the_check(tmp_path):
    live = tmp_path / "live.xlsx"
    assert run("build", "--live", "--out", live)[0] == 0
    assert run("build", "--live", "--out", live)[0] == 0  # regenerating our own formulas
    assert run("build", "--template", REPO_ROOT / "workbooks" / "scorecard-template.xlsx",
               "--out", tmp_path / "from-template.xlsx")[0] == 0


# --------------------------------------------------------------------------- batch processes

import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from xl_scorecard.headless.batch import worker_count  # noqa: E402

SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"


@pytest.mark.parametrize("jobs, months, cores, expected", [
    (1000, 24, 2, 2), (1000, 3, 64, 3), (4, 24, 8, 4), (1, 24, 8, 1), (8, 1, 8, 1), (0, 5, 2, 1),
])
def test_workers_are_capped_at_the_work_and_the_cores(monkeypatch, jobs, months, cores, expected):
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert worker_count(jobs, months) == expected


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir() or os.name != "posix", reason="reads /proc")
@pytest.mark.parametrize("jobs", [1, 1000])
def test_sigterm_during_a_batch_is_handled_like_ctrl_c(tmp_path, jobs):
    """A real batch process, a real SIGTERM: the interrupted line, exit 143, workers ended,
    every written workbook whole and no temporary file left."""
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    out = tmp_path / "out"
    batch = subprocess.Popen([sys.executable, "-m", "xl_scorecard.cli", "batch", "--data", str(SYNTHETIC),
                              "--out-dir", str(out), "--jobs", str(jobs)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(out.glob("scorecard-*.xlsx")):
        workers |= _children(batch.pid)
        time.sleep(0.05)
    workers |= _children(batch.pid)
    batch.send_signal(signal.SIGTERM)
    stdout, stderr = batch.communicate(timeout=120)
    assert batch.returncode == 143, stderr
    assert "Traceback" not in stderr
    [line] = [l for l in stderr.splitlines() if l.startswith("interrupted: ")]
    assert "month(s) were written" in line and "run the batch again" in line
    if jobs > 1:
        assert len(workers) <= (os.cpu_count() or 1) + 1  # capped (+1: the pool's own helper)
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)]
    assert not list(out.glob(".*.tmp"))
    for path in out.glob("scorecard-*.xlsx"):
        openpyxl.load_workbook(path).close()


# --------------------------------------------------------------------------- a full disk, for real

import shutil as _shutil  # noqa: E402


def _cli(*argv, **kwargs):
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    return subprocess.run([sys.executable, "-m", "xl_scorecard.cli", *map(str, argv)],
                          capture_output=True, text=True, env=env, timeout=300, **kwargs)


@pytest.fixture
def full_disk(tmp_path):
    """A 64 kB tmpfs, filled up: a real ENOSPC (needs root and mount; skipped elsewhere)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    if _shutil.which("mount") is None or os.name != "posix":
        pytest.skip("no mount command")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                          capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (not root, or no CAP_SYS_ADMIN)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


@pytest.mark.parametrize("command", ["build", "results", "batch", "pdf"])
def test_a_full_disk_is_one_line_with_no_stray_traceback(full_disk, tmp_path, command):
    (full_disk / "last-month.txt").write_text("kept\n")
    (full_disk / "pad").write_bytes(b"\0" * 52_000)  # leaves about two pages free
    if command == "build":
        done = _cli("build", "--out", full_disk / "scorecard.xlsx")
    elif command == "results":
        done = _cli("results", "--format", "json", "--out", full_disk / "results.json")
    elif command == "batch":
        done = _cli("batch", "--out-dir", full_disk / "months")
    else:
        if _shutil.which("soffice") is None:
            pytest.skip("the PDF needs LibreOffice")
        workbook = tmp_path / "scorecard.xlsx"
        assert _cli("build", "--out", workbook).returncode == 0
        done = _cli("pdf", workbook, "--out", full_disk / "committee.pdf")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    errors = [l for l in (done.stderr + done.stdout).splitlines() if "No space left on device" in l]
    assert errors, done.stderr
    assert (full_disk / "last-month.txt").read_text() == "kept\n"
    assert not [p for p in full_disk.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_a_full_output_stream_is_said_and_exits_2(stream):
    """/dev/full as standard output (or error): the stream case of a full disk."""
    with open("/dev/full", "w") as full:
        kwargs = {stream: full}
        argv = ["results"] if stream == "stdout" else ["results", "--data", "nowhere.csv"]
        env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
        done = subprocess.run([sys.executable, "-m", "xl_scorecard.cli", *argv], env=env,
                              timeout=120, text=True,
                              **{"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs})
    assert done.returncode == 2
    if stream == "stdout":
        assert done.stderr.strip() == ("error: cannot write the output: No space left on device "
                                       "(is the disk full, or was the pipe closed?)")
    else:
        assert done.stdout == ""


# --------------------------------------------------------------------------- hostile data text

DATA_HEADER = "indicator,period,numerator,denominator,value\n"


@pytest.mark.parametrize("row, where", [
    ("SEEN\x01,2012-05,1,2,\n", "row 2, column 'indicator'"),
    ("SEEN,2012-05\x0b,1,2,\n", None),  # a vertical tab is white space around the month: read
    ("SEEN,2012-05,1\x00,2,\n", "row 2, column 'numerator'"),
    ("\ufeffSEEN,2012-05,1,2,\n", "row 2, column 'indicator'"),
    ("SEEN,2012-05,inf,2,\n", "row 2, column 'numerator'"),
    ("SEEN,2012-05,1e999,2,\n", "row 2, column 'numerator'"),
    ("SEEN,2012-05,1,2," + "9" * 5000 + "\n", "row 2, column 'value'"),
    ("S" * 100_000 + ",2012-05,1,2,\n", "row 2, column 'indicator'"),
])
def test_hostile_text_in_data_is_one_short_line_naming_the_cell(tmp_path, row, where):
    path = tmp_path / "d.csv"
    path.write_text(DATA_HEADER + row, encoding="utf-8", newline="")
    rules = _rules()
    try:
        data = load_data(path, rules)
    except Exception as exc:  # noqa: BLE001 - which kind is asserted below
        from xl_scorecard.core.errors import DataError

        assert isinstance(exc, DataError), repr(exc)
        [problem] = exc.problems
        text = str(problem)
        assert where in text and len(text) <= 400 and "\n" not in text, text
        assert all(c.isprintable() for c in text), text
        return
    # accepted: white space around a month, or a huge value that is still a finite number
    assert where is None or where.endswith("'value'"), where
    assert data.frame["period"].tolist() == ["2012-05"]


def test_data_text_never_reaches_a_workbook_or_csv_it_cannot_be_written_to(tmp_path):
    """The data sheet shows only ids from the rules and months we wrote: fuzz the other columns."""
    path = tmp_path / "d.csv"
    path.write_text(DATA_HEADER + "SEEN,2012-05,170,200,\nSEEN,2012-04,160,200,\x7f\n",
                    encoding="utf-8")
    rules_file = tmp_path / "rules.json"
    rules_file.write_text(json.dumps({"scorecard": {"title": "t"}, "indicators": [
        {"id": "SEEN", "name": "Seen", "polarity": "H", "period": "SS", "measure": "percent",
         "decimals": 1, "thresholds": [{"from": "2012-04", "target": 85, "floor": 76.5}]}]}))
    code, _, err = run("results", "--rules", rules_file, "--data", path)
    assert code == 2 and "row 3, column 'value'" in err and "\x7f" not in err.replace("\\x7f", "")


@pytest.mark.parametrize("text", ["\x01", "\ud800", "\x0b", "\ufffe"])
def test_no_face_crashes_on_rules_text_a_workbook_cannot_hold(tmp_path, text):
    document = json.loads((REPO_ROOT / "rules.json").read_text("utf-8"))
    document["indicators"][0]["name"] = f"Referrals{text}"
    rules_file = tmp_path / "rules.json"
    rules_file.write_text(json.dumps(document), encoding="utf-8")
    for argv in (["validate"], ["results"], ["summary"], ["build", "--out", tmp_path / "s.xlsx"],
                 ["batch", "--out-dir", tmp_path / "months"]):
        code, out, err = run(*argv, "--rules", rules_file)
        assert code == 2, (argv, err)
        assert "$.indicators[0].name (SCS01)" in err and "Traceback" not in err
    assert not (tmp_path / "s.xlsx").exists() and not (tmp_path / "months").exists()


# --------------------------------------------------------------------------- paths, round two


def test_paths_the_system_refuses_are_one_line(tmp_path):
    afile = tmp_path / "a-file.txt"
    afile.write_text("x")
    cases = [
        (["results", "--out", afile / "under-a-file.csv"], "a file rather than a folder"),
        (["results", "--out", afile / "deeper" / "r.csv"], "a file rather than a folder"),
        (["batch", "--out-dir", afile], "--out-dir is a file, not a folder"),
        (["results", "--data", "bad\x00name.csv"], "NUL"),
        (["build", "--out", tmp_path / ("d" * 300) / "s.xlsx"], "File name too long"),
    ]
    for argv, expected in cases:
        code, out, err = run(*argv)
        assert code == 2, (argv, err)
        assert "Traceback" not in err and err.count("\n") >= 1 and expected in err, (argv, err)


def test_a_file_name_with_terminal_escapes_is_shown_escaped(tmp_path):
    name = tmp_path / "evil\x1b[2J\x07.csv"
    code, _, err = run("results", "--data", name)
    assert code == 2 and "\x1b" not in err and "\x07" not in err
    assert "\\x1b[2J\\x07.csv: file not found" in err
