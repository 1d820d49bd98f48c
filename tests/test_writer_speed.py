"""The openpyxl writer's shortcuts write exactly what openpyxl's own calls write.

The writer merges ranges through ``openpyxl_merges.Merger`` (the first merge of each kind by
``ws.merge_cells``, the rest copied) because ``merge_cells`` is quadratic in the number of
merges. These tests build every sheet of real months both ways and compare every cell's
style ids, value and type, and the merged ranges.
"""

from __future__ import annotations

import openpyxl
import pytest

from xl_scorecard.core.month_report import compute_report
from xl_scorecard.inputs.data import load_data
from xl_scorecard.inputs.rules_file import load_rules
from xl_scorecard.layout import workbook_layout
from xl_scorecard.writers import openpyxl_merges, openpyxl_writer

from conftest import REPO_ROOT

SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"


def _render(layouts):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for layout in layouts:
        openpyxl_writer.render_sheet(wb.create_sheet(layout.name), layout)
    return wb


def _contents(wb):
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = (
            {rc: (type(c).__name__, c.value, c.data_type, tuple(c._style))
             for rc, c in ws._cells.items()},
            sorted(str(r) for r in ws.merged_cells.ranges))
    return out


class _PlainMerger:
    """openpyxl's own way, for comparison."""

    def __init__(self, ws):
        self.ws = ws

    def merge(self, r1, c1, r2, c2):
        self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


@pytest.mark.parametrize("month", ["2012-05", "2013-09", "2014-03"])
def test_fast_merges_write_what_merge_cells_writes(month, monkeypatch):
    rules = load_rules(REPO_ROOT / "rules.json")
    report = compute_report(rules, load_data(SYNTHETIC, rules), month)
    layouts = workbook_layout(report)
    assert sum(len(layout.merges) for layout in layouts) > 10
    fast = _contents(_render(layouts))
    monkeypatch.setattr(openpyxl_writer, "Merger", _PlainMerger)
    plain = _contents(_render(layouts))
    assert fast == plain


def test_a_merge_over_cells_of_other_looks_is_done_by_openpyxl_again():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"].border = openpyxl.styles.Border(top=openpyxl.styles.Side(style="thin"))
    ws["A2"].border = openpyxl.styles.Border(top=openpyxl.styles.Side(style="thick"))
    merger = openpyxl_merges.Merger(ws)
    merger.merge(1, 1, 1, 3)
    merger.merge(2, 1, 2, 3)
    assert len(merger._outcomes) == 2
    assert ws["B2"].border.top.style == "thick" and ws["B1"].border.top.style == "thin"
    assert sorted(str(r) for r in ws.merged_cells.ranges) == ["A1:C1", "A2:C2"]


# --------------------------------------------------------------------------- charts

import io  # noqa: E402
import json  # noqa: E402
import zipfile  # noqa: E402

from xl_scorecard import cli  # noqa: E402
from xl_scorecard.writers import openpyxl_charts, openpyxl_save  # noqa: E402


class _EveryChartByOpenpyxl(openpyxl_charts.LineCharts):
    def add(self, ws, anchor, look, texts, build, numbers=None):
        ws.add_chart(build(texts, numbers or {}), anchor)


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


@pytest.fixture(scope="module")
def awkward_rules(tmp_path_factory):
    """The bundled rules with indicator names openpyxl must escape or mark specially."""
    document = json.loads((REPO_ROOT / "rules.json").read_text(encoding="utf-8"))
    names = ["Children & young people <18> \"looked after\"", "Cost per child (£) – net",
             "Ends with a space ", " starts with one", "Two\nlines", "Tab\there", "ümlaut ñ 漢字",
             "]]> and &amp; already escaped"]
    for ind, name in zip(document["indicators"], names):
        ind["name"] = name
    path = tmp_path_factory.mktemp("awkward") / "rules.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize("month", ["2012-05", "2013-09"])
def test_charts_from_a_template_are_the_bytes_openpyxl_writes(tmp_path, monkeypatch,
                                                              awkward_rules, month):
    argv = ["build", "--rules", str(awkward_rules), "--data", str(SYNTHETIC), "--month", month]
    fast, plain = tmp_path / "fast.xlsx", tmp_path / "plain.xlsx"
    assert cli.run(argv + ["--out", str(fast)], io.StringIO(), io.StringIO()) == 0
    monkeypatch.setattr(openpyxl_writer, "LineCharts", _EveryChartByOpenpyxl)
    assert cli.run(argv + ["--out", str(plain)], io.StringIO(), io.StringIO()) == 0
    a, b = _parts(fast), _parts(plain)
    assert sorted(a) == sorted(b)
    charts = [n for n in a if n.startswith("xl/charts/")]
    # one chart per indicator on Trend (44) and one per Red indicator on Exceptions (issue 14)
    assert len(charts) == {"2012-05": 44 + 12, "2013-09": 44 + 9}[month]
    assert [n for n in a if a[n] != b[n]] == []


def test_a_workbook_saved_by_openpyxl_itself_still_has_correct_charts(tmp_path):
    rules = load_rules(REPO_ROOT / "rules.json")
    report = compute_report(rules, load_data(SYNTHETIC, rules), "2013-09")
    wb = _render(workbook_layout(report))
    templated = [c for c in wb["Trend"]._charts if isinstance(c, openpyxl_charts.SerialisedChart)]
    # Every Trend chart whose title lines and references are plain text is filled in from its
    # look's template (the issue 14 charts' looks include their axis bounds and size).
    plain = [c for c in next(la for la in workbook_layout(report) if la.name == "Trend").charts
             if all(openpyxl_charts._plain(line) for line in c.title.split("\n"))]
    assert len(templated) == len(plain) == 44
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    openpyxl_save.save_workbook(wb, ours)
    wb.save(theirs)  # parses the serialised charts back into elements
    back = openpyxl.load_workbook(theirs)["Trend"]._charts
    assert len(back) == 44
    refs = [[s.val.numRef.f for s in c.series] for c in back]
    assert refs == [[s.val.numRef.f for s in c.series] for c in openpyxl.load_workbook(ours)["Trend"]._charts]


def test_the_garbage_collector_is_paused_only_while_a_workbook_is_written(tmp_path, monkeypatch):
    import gc

    from xl_scorecard.core.errors import WorkbookError
    from xl_scorecard.headless import build

    seen = []
    real = build.save_workbook

    def recording(workbook, path):
        seen.append(gc.isenabled())
        real(workbook, path)

    monkeypatch.setattr(build, "save_workbook", recording)
    rules = load_rules(REPO_ROOT / "rules.json")
    report = compute_report(rules, load_data(SYNTHETIC, rules), "2013-09")
    assert gc.isenabled()
    build.write_report(report, tmp_path / "a.xlsx")
    assert seen == [False] and gc.isenabled()

    def failing(workbook, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build, "save_workbook", failing)
    with pytest.raises(WorkbookError):
        build.write_report(report, tmp_path / "b.xlsx")
    assert gc.isenabled()


def test_charts_differing_only_in_axis_numbers_share_one_template(tmp_path, monkeypatch):
    """The sample's 56 charts have 28 different value axes (bounds, step, format) but few
    looks: each look is serialised by openpyxl once, its axis numbers being slots like its
    texts (before, the axis numbers were part of the look: 35 serialisations)."""
    made = []
    real = openpyxl_charts._Template.__init__

    def counted(self, *args):
        made.append(self)
        real(self, *args)

    monkeypatch.setattr(openpyxl_charts._Template, "__init__", counted)
    out = tmp_path / "sample.xlsx"
    assert cli.run(["build", "--month", "2012-05", "--out", str(out)], io.StringIO(), io.StringIO()) == 0
    with zipfile.ZipFile(out) as archive:
        charts = [archive.read(n) for n in archive.namelist() if n.startswith("xl/charts/chart")]
    axes = {chart[chart.find(b"<valAx>"):chart.find(b"</valAx>")] for chart in charts}
    assert len(charts) == 56 and len(axes) == 28
    assert len(made) < 12
    assert any(t.numbers for t in made)    # the axis numbers are slots (a chart with
    # negative figures has an automatic axis: no numbers)


@pytest.mark.parametrize("title", ["Trend", "Exceptions", "My sheet", "Officer's notes", "''", "Ω"])
@pytest.mark.parametrize("first, last", [(5, 5), (5, 17), (26, 27), (1, 16384)])
def test_a_charts_row_reference_is_the_one_openpyxl_writes(title, first, last):
    from openpyxl.chart import Reference

    from xl_scorecard.layout.model import Chart

    ws = openpyxl.Workbook().create_sheet(title)
    spec = Chart(title="", series_rows=(6,), title_col=4, first_col=first, last_col=last,
                 category_row=5, anchor="B9")
    expected = str(Reference(ws, min_col=first, max_col=last, min_row=6, max_row=6))
    assert openpyxl_writer._row_ref(ws, spec, 6) == expected
