"""`xl-scorecard map`: finding the header row and each indicator's row in the analyst's sheet,
and saving the map into rules.json with the rest of the document untouched."""

from __future__ import annotations

import io
import json
import shutil

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_scorecard import cli
from xl_scorecard.core.workbook_map import (WorkbookMap, column_letter, find_map, header_columns,
                                            match_rows, normalise)
from xl_scorecard.inputs.rules_file import load_rules

from conftest import BUNDLED_DATA, BUNDLED_RULES
from fill_workbooks import HEADER_ROW, HEADERS, analyst_workbook, published_rows, sheet_rows

RULES = load_rules(BUNDLED_RULES)
EXPECTED = {"value": "Latest Result", "rag": "RAG", "numerator": "Num", "denominator": "Denom",
            "target": "Target (for the year)", "previous": "Previous Result",
            "dot_previous": "DoT (previous to latest)", "outturn": "Outturn (March) Result",
            "dot_outturn": "DoT (outturn to latest)"}


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def grid_of(headers, **options) -> list[list]:
    """The fixture's sheet as a grid: four title rows, the header row, then the table."""
    title = [["Kent County Council"], ["Specialist Children's Services Scorecard"],
             ["Month:", "April 2012"], []]
    return title + [list(headers)] + sheet_rows(headers, **options)


def letters(headers) -> dict[str, str]:
    return {h: column_letter(i) for i, h in enumerate(headers, start=1)}


def test_a_kent_layout_sheet_is_mapped_whole():
    mapping = find_map(grid_of(HEADERS), RULES, "Scorecard")
    where = letters(HEADERS)
    assert mapping.header_row == HEADER_ROW
    assert mapping.match == {"ref": where["Ref"], "name": where["Indicator"]}
    assert mapping.columns == {field: where[h] for field, h in EXPECTED.items()}
    assert mapping.month_cell == "B3"
    match = match_rows(grid_of(HEADERS), mapping, RULES)
    assert len(match.rows) == 44 and not match.unmatched and not match.missing
    # rows follow the published order: section headings are skipped, not reported
    pub = published_rows()
    sections = len({r["section"] for r in pub})
    assert max(match.rows.values()) == HEADER_ROW + 44 + sections


@settings(max_examples=40, deadline=None)
@given(st.permutations(HEADERS), st.sets(st.sampled_from(sorted(EXPECTED)), max_size=6))
def test_columns_in_any_order_and_any_subset_are_found_where_they_are(headers, dropped):
    """Any column order, with any of the result columns left out (but one), maps exactly."""
    kept = [h for h in headers if h not in {EXPECTED[f] for f in dropped}]
    grid = grid_of(kept)
    mapping = find_map(grid, RULES, "Scorecard")
    where = letters(kept)
    assert mapping.columns == {f: where[h] for f, h in EXPECTED.items() if f not in dropped}
    assert set(mapping.match.values()) == {where["Ref"], where["Indicator"]}
    assert len(match_rows(grid, mapping, RULES).rows) == 44


def test_rows_it_cannot_match_and_indicators_it_cannot_find_are_reported():
    extra = [[45, "Percentage of care leavers in suitable accommodation", "H", "SS", 88.1],
             [None, "Adoptions within 12 months", "H", "YTD", 70.0]]
    grid = grid_of(HEADERS, skip_refs=("7", "30"), extra=extra)
    mapping = find_map(grid, RULES, "Scorecard")
    match = match_rows(grid, mapping, RULES)
    assert match.missing == ["SCS07", "SCS30"]
    assert [text for _, text in match.unmatched] == [
        "Percentage of care leavers in suitable accommodation", "Adoptions within 12 months"]
    assert len(match.rows) == 42


def test_a_row_is_matched_by_id_then_ref_then_name():
    headers = ["Code", "No.", "Measure", "Latest", "RAG"]
    grid = [headers,
            ["SCS03", 1, "a name nobody uses", 1, None],       # id wins over a wrong ref
            [None, 2.0, "whatever", 2, None],                    # ref as a float cell
            [None, None, "NI 59 percentage of IAs that were carried out within 7 working days "
             "of referral", 3, None]]                          # name, punctuation aside
    mapping = find_map(grid, RULES, "S")
    assert mapping.match == {"id": "A", "ref": "B", "name": "C"}
    rows = match_rows(grid, mapping, RULES).rows
    assert rows == {"SCS03": 2, "SCS02": 3, "SCS14": 4}


@pytest.mark.parametrize("text,meaning", [
    ("Latest Result", "value"), ("RAG", "rag"), ("RAG Status", "rag"), ("Num", "numerator"),
    ("Denom", "denominator"), ("Target (for the year)", "target"), ("Target 2012/13", "target"),
    ("Previous Result", "previous"), ("Outturn (March) Result", "outturn"),
    ("DoT (outturn to latest)", "dot_outturn"), ("Ref", "ref"), ("Indicator", "name"),
    ("England", "cmp:England"), ("Stat. N.", "cmp:Statistical neighbours"),
    ("Polarity", None), ("Commentary", None),
])
def test_header_names_as_councils_print_them(text, meaning):
    found = header_columns([text])
    assert (next(iter(found)) if found else None) == meaning


def test_two_plain_dot_columns_are_previous_then_outturn():
    assert header_columns(["Ref", "Latest", "DoT", "Outturn", "DoT"]) == {
        "ref": "A", "value": "B", "dot_previous": "C", "outturn": "D", "dot_outturn": "E"}


def test_normalise_ignores_case_spacing_punctuation_and_ampersands():
    assert normalise("Number of New & Updated  Core Assessments ") == \
        normalise("number of new and updated core-assessments")
    assert normalise(12.0) == "12"


def test_map_prints_the_map_and_writes_it_into_rules_keeping_the_rest(tmp_path):
    book = analyst_workbook(tmp_path / "own.xlsx", skip_refs=("9",))
    rules = tmp_path / "rules.json"
    shutil.copy(BUNDLED_RULES, rules)
    original = rules.read_text("utf-8")
    code, out, err = run("map", "--workbook", str(book), "--rules", str(rules))
    assert code == 0, err
    assert "map (found automatically): sheet 'Scorecard', header row 5" in out
    assert "write rag           column F  'RAG'" in out
    assert "1 indicator(s) found on no row (not filled): SCS09" in out
    assert rules.read_text("utf-8") == original  # not without --write-rules
    code, out, err = run("map", "--workbook", str(book), "--rules", str(rules), "--write-rules")
    assert code == 0 and "wrote the map into" in err
    text = rules.read_text("utf-8")
    end = original.rstrip().rstrip("}").rstrip()
    assert text.startswith(end)  # the rest of the document, byte for byte
    saved = json.loads(text)["workbook"]
    assert saved["sheet"] == "Scorecard" and saved["columns"]["rag"] == "F"
    assert load_rules(rules).workbook == WorkbookMap(**{**saved, "rows": {}})
    # a second --write-rules replaces the section in place
    assert run("map", "--workbook", str(book), "--rules", str(rules), "--write-rules")[0] == 0
    assert rules.read_text("utf-8") == text
    # and fill now uses the saved map
    code, out, err = run("fill", "--workbook", str(book), "--rules", str(rules), "--data",
                         str(BUNDLED_DATA), "--month", "2012-05")
    assert code == 0, err
    assert "found automatically" not in out and "SCS09" in out


def test_map_json_is_a_workbook_section(tmp_path):
    book = analyst_workbook(tmp_path / "own.xlsx")
    code, out, _ = run("map", "--workbook", str(book), "--format", "json")
    assert code == 0
    assert json.loads(out)["workbook"]["match"] == {"ref": "A", "name": "B"}


def test_fill_reads_the_sheet_it_was_told_even_when_another_fits(tmp_path):
    book = analyst_workbook(tmp_path / "own.xlsx")
    code, _, err = run("map", "--workbook", str(book), "--sheet", "RAG by section")
    assert code == 2 and "no header row" in err and "sheet 'RAG by section'" in err
    assert openpyxl.load_workbook(book)["Scorecard"]["F9"].value == "Amber"


@pytest.mark.parametrize("current,expected", [
    ("April 2012", "May 2012"), (None, "May 2012"), ("2012-04", "May 2012"),
    (41000.0, 41030.0),  # a date cell (1 April 2012) gets 1 May 2012 as a serial
])
def test_the_month_cell_keeps_its_kind(current, expected):
    import datetime as dt

    from xl_scorecard.core.fill_plan import month_value
    from xl_scorecard.core.periods import Month

    assert month_value(Month(2012, 5), current) == expected
    if isinstance(expected, float):
        assert dt.date(1899, 12, 30) + dt.timedelta(days=expected) == dt.date(2012, 5, 1)


def test_fill_runs_as_a_real_process_without_a_traceback(tmp_path):
    import subprocess
    import sys

    from conftest import REPO_ROOT

    book = analyst_workbook(tmp_path / "own.xlsx", merges=("I8:I9",))
    done = subprocess.run([sys.executable, "-m", "xl_scorecard.cli", "fill", "--workbook", str(book)],
                          capture_output=True, text=True, timeout=120, cwd=REPO_ROOT,
                          env={**__import__("os").environ, "PYTHONPATH": str(REPO_ROOT)})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: {book} [Scorecard] cell I9: $.workbook.columns.target: "
                                  "is inside the merged range I8:I9")
    assert "(in the map found automatically;" in done.stderr


def test_write_rules_never_changes_the_bundled_sample(tmp_path):
    book = analyst_workbook(tmp_path / "own.xlsx")
    before = BUNDLED_RULES.read_bytes()
    code, out, err = run("map", "--workbook", str(book), "--write-rules")
    assert code == 2 and "--write-rules needs --rules FILE" in err
    assert BUNDLED_RULES.read_bytes() == before


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_saved_section_follows_the_file_and_the_rest_is_kept(newline):
    from xl_scorecard.fill.rules_writer import with_workbook

    text = newline.join(['{', '  "scorecard": {"title": "T"},', '  "indicators": [',
                         '    {"id": "A", "name": "a", "polarity": "H", "period": "SS",',
                         '     "measure": "count", "decimals": 0}', '  ]', '}', ''])
    mapping = WorkbookMap("S", 3, {"ref": "A"}, {"rag": "C"})
    new = with_workbook(text, mapping)
    head = text[:text.rindex("]") + 1]
    assert new.startswith(head) and new.endswith(newline + "}" + newline)
    assert ("\r\n" in new) == (newline == "\r\n") and "\r\r" not in new
    assert json.loads(new)["workbook"] == mapping.as_json()
    assert with_workbook(new, mapping) == new  # replacing gives the same text
