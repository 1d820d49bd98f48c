"""Nothing lost: atomic writes everywhere, killed and interrupted runs, concurrent batches.

- every place that writes a file writes a temporary file beside the target and
  renames it (audited over the source);
- a ``build`` killed with SIGKILL half-way through saving leaves last month's
  workbook exactly as it was; its temporary file (which a killed process cannot
  remove) is hidden, never named like a workbook, and removed by the next
  successful write of the same target, while a live writer's is left alone;
- a ``batch`` interrupted with Ctrl+C (SIGINT) finishes the months being
  written, says which were written, exits 130 and leaves no partial file;
- two ``batch`` runs into one folder at once give workbooks equal to a single
  run's.
"""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from xl_scorecard.outputs import atomic
from xl_scorecard.outputs.atomic import stale_temps, write_text_atomic

import hostile_files as hostile

REPO_ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"
NOT_OURS = {"sheetfuncs.py", "udfs.py", "formula_engine.py"}

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and process groups as on POSIX")


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def _cli(*argv) -> list[str]:
    return [sys.executable, "-m", "xl_scorecard.cli", *map(str, argv)]


def sheet_values(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's cell values: what a workbook says, without its timestamps."""
    book = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------- the audit


# methods that write a file (save_workbook: the openpyxl save our writer uses, for charts)
WRITERS = {"save", "save_workbook", "write_text", "write_bytes", "to_excel"}
MODULE_WRITERS = {("shutil", "copy"), ("shutil", "copyfile"), ("shutil", "copy2"),
                  ("shutil", "move"), ("os", "replace"), ("os", "rename"), ("json", "dump")}


def _writes(node: ast.Call) -> str | None:
    func = node.func
    name = getattr(func, "attr", getattr(func, "id", None))
    owner = getattr(getattr(func, "value", None), "id", None)
    if (owner, name) in MODULE_WRITERS or name in WRITERS:
        return name
    if name == "to_csv" and (node.args or any(k.arg == "path_or_buf" for k in node.keywords)):
        return name
    if name == "open":
        modes = node.args[1:2] + [k.value for k in node.keywords if k.arg == "mode"]
        if any(isinstance(m, ast.Constant) and set(str(m.value)) & set("wax+") for m in modes):
            return name
    return None


def _unguarded_writes(path: Path) -> list[str]:
    """Calls that write a file outside a ``with atomic_path(...)`` block (or write_atomic)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node, guarded: bool):
        if isinstance(node, ast.With):
            names = {getattr(getattr(i.context_expr, "func", None), "id", None)
                     or getattr(getattr(i.context_expr, "func", None), "attr", None) for i in node.items}
            guarded = guarded or "atomic_path" in names
        if isinstance(node, ast.Call) and not guarded and _writes(node):
            found.append(f"{path.name}:{node.lineno} {_writes(node)}")
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(tree, False)
    return found


def test_every_file_we_write_is_written_atomically():
    # atomic.py is the mechanism itself; openpyxl_save.py holds save_workbook, whose every
    # call is audited here like Workbook.save
    sources = [p for p in (REPO_ROOT / "xl_scorecard").rglob("*.py")
               if p.name not in NOT_OURS | {"atomic.py", "openpyxl_save.py"}]
    sources += [REPO_ROOT / "workbooks" / "make_template.py",
                REPO_ROOT / "workbooks" / "make_synthetic_history.py"]
    unguarded = [w for p in sources for w in _unguarded_writes(p)]
    # The one exception: pdf.py saves the committee copy into its own private temporary
    # folder for LibreOffice to read, never to a user's path.
    assert [w.split(":")[0] + " " + w.split()[-1] for w in unguarded] == ["pdf.py save"], unguarded
    source = (REPO_ROOT / "xl_scorecard" / "headless" / "pdf.py").read_text(encoding="utf-8")
    assert 'printable = tmp / "committee.xlsx"' in source and "_committee_copy(workbook, printable" in source
    # and the check itself can fail: a bare write is found
    bare = REPO_ROOT / "tests" / "hostile_files.py"
    assert any("write_bytes" in w for w in _unguarded_writes(bare))


def test_results_out_survives_a_failed_write(tmp_path, run_cli, monkeypatch):
    target = tmp_path / "results.csv"
    target.write_text("last month\n", encoding="utf-8")

    def full_disk(self, *args, **kwargs):
        with open(self, "w", encoding="utf-8") as handle:
            handle.write("month,id,ref")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full_disk)
    code, _, err = run_cli("results", "--out", target)
    monkeypatch.undo()
    assert code == 2 and "Traceback" not in err
    assert err == (f"error: {target}: cannot be written: No space left on device; the previous file "
                   "was left as it was\n")
    assert target.read_text(encoding="utf-8") == "last month\n"
    assert temp_files(tmp_path) == []


# --------------------------------------------------------------------------- stale temporary files


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temp_files_are_removed_live_ones_kept(tmp_path):
    target = tmp_path / "results.csv"
    host = atomic._host()
    dead = tmp_path / f".results.csv.{_dead_pid()}-{host}-abcd1234.tmp"
    live = tmp_path / f".results.csv.{os.getppid()}-{host}-live5678.tmp"
    elsewhere = tmp_path / ".results.csv.4242-otherhost-else0000.tmp"
    ancient = tmp_path / ".results.csv.4243-otherhost-old00000.tmp"
    old_style = tmp_path / ".results.csv.k3j4h5g6.tmp"
    unrelated = tmp_path / ".results.csv.notes"
    other_target = tmp_path / f".other.csv.{_dead_pid()}-{host}-abcd1234.tmp"
    for path in (dead, live, elsewhere, ancient, old_style, unrelated, other_target):
        path.write_bytes(b"PK\x03\x04 half a file")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(ancient, (two_days_ago, two_days_ago))
    assert sorted(p.name for p in stale_temps(target)) == sorted([dead.name, ancient.name])
    write_text_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([other_target.name, elsewhere.name, live.name, old_style.name,
                           unrelated.name, "results.csv"])


def test_our_temp_file_is_hidden_and_not_a_workbook_name(tmp_path):
    seen = []
    with atomic.atomic_path(tmp_path / "scorecard-2012-05.xlsx") as temp:
        seen.append(temp.name)
        temp.write_bytes(b"x")
    [name] = seen
    assert name.startswith(".scorecard-2012-05.xlsx.") and name.endswith(".tmp")
    assert f".{os.getpid()}-" in name
    assert list(tmp_path.glob("*.xlsx")) == [tmp_path / "scorecard-2012-05.xlsx"]


# --------------------------------------------------------------------------- killed mid-write


# Runs the real CLI; the workbook save writes the first half of the real file, says HALFWAY,
# waits.
_SLOW_SAVE = r"""
import io, sys, time
from xl_scorecard.headless import build
real_save = build.save_workbook

def slow_save(workbook, filename):
    buffer = io.BytesIO()
    real_save(workbook, buffer)
    data = buffer.getvalue()
    with open(filename, "wb") as handle:
        handle.write(data[: len(data) // 2])
        handle.flush()
        print("HALFWAY", filename, flush=True)
        time.sleep(120)
        handle.write(data[len(data) // 2:])

build.save_workbook = slow_save
from xl_scorecard.cli import main
sys.argv = ["xl-scorecard"] + sys.argv[1:]
main()
"""


def _start_slow_build(out: Path, *extra) -> tuple[subprocess.Popen, Path]:
    process = subprocess.Popen([sys.executable, "-c", _SLOW_SAVE, "build", "--month", "2012-05",
                                "--out", str(out), *map(str, extra)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    line = process.stdout.readline()
    assert line.startswith("HALFWAY"), (line, process.stderr.read() if process.poll() is not None else "")
    return process, Path(line.split(" ", 1)[1].strip())


@pytest.fixture(scope="module")
def previous_workbook(tmp_path_factory) -> Path:
    """Last month's workbook, with an analyst's commentary typed in."""
    out = tmp_path_factory.mktemp("previous") / "scorecard-2012-05.xlsx"
    done = subprocess.run(_cli("build", "--month", "2012-04", "--out", out), capture_output=True,
                          env=_env(), timeout=120)
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out)
    ws = book["Scorecard"]
    for row in ws.iter_rows():
        if row[14].value == "SCS20":
            row[13].value = "Audit backlog cleared in June."
    book.save(out)
    return out


def test_a_killed_build_leaves_the_previous_workbook_and_the_next_one_cleans_up(tmp_path,
                                                                               previous_workbook):
    out = tmp_path / "scorecard-2012-05.xlsx"
    out.write_bytes(previous_workbook.read_bytes())
    before = hostile.sha256(out)

    process, temp = _start_slow_build(out)
    assert temp.parent == tmp_path and temp.exists() and temp.stat().st_size > 0  # half written
    process.kill()  # SIGKILL: no handler, no clean-up
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    assert hostile.sha256(out) == before  # last month's workbook, byte for byte
    assert sheet_values(out)["Scorecard"][2][1] == "2012-04"
    assert temp.exists()  # a killed process cannot remove its temporary file ...
    assert temp.name.startswith(".") and temp.suffix == ".tmp"  # ... hidden, not a workbook
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [out.name]
    assert stale_temps(out) == [temp]

    done = subprocess.run(_cli("build", "--month", "2012-05", "--out", out), capture_output=True,
                          text=True, env=_env(), timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # the stale temp is gone
    values = sheet_values(out)
    assert values["Scorecard"][2][1] == "2012-05"
    kept = [r[13] for r in values["Scorecard"] if len(r) > 14 and r[14] == "SCS20"]
    assert kept == ["Audit backlog cleared in June."]  # the commentary survived it all


def test_a_live_writers_temp_file_is_never_removed(tmp_path, previous_workbook):
    out = tmp_path / "scorecard-2012-05.xlsx"
    out.write_bytes(previous_workbook.read_bytes())
    process, temp = _start_slow_build(out)
    try:
        done = subprocess.run(_cli("build", "--month", "2012-05", "--out", out), capture_output=True,
                              text=True, env=_env(), timeout=120)
        assert done.returncode == 0, done.stderr
        assert temp.exists()  # the other build is still writing it
        assert stale_temps(out) == []
    finally:
        process.kill()
        process.wait(timeout=30)
    assert stale_temps(out) == [temp]


@pytest.mark.parametrize("delay", [0.4, 0.8, 1.2])
def test_a_build_killed_at_any_moment_leaves_a_whole_workbook(tmp_path, previous_workbook, delay):
    """No slow-down: the real build of 24 months' data, killed after ``delay`` seconds."""
    out = tmp_path / "scorecard.xlsx"
    out.write_bytes(previous_workbook.read_bytes())
    before = sheet_values(out)
    process = subprocess.Popen(_cli("build", "--data", SYNTHETIC, "--month", "2014-03", "--out", out),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env())
    time.sleep(delay)
    process.kill()
    process.wait(timeout=30)
    after = sheet_values(out)  # opens: never a partial workbook
    assert after == before or after["Scorecard"][2][1] == "2014-03"
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == ["scorecard.xlsx"]


# --------------------------------------------------------------------------- interrupted batch


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """Single-run workbooks for the months the batch tests build, to compare with."""
    folder = tmp_path_factory.mktemp("reference")
    done = subprocess.run(_cli("batch", "--data", SYNTHETIC, "--from", "2012-04", "--to", "2012-09",
                               "--out-dir", folder, "--jobs", "2"), capture_output=True, env=_env(),
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return folder


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_interrupted_batch_exits_cleanly_with_whole_files(tmp_path, reference, jobs):
    process = subprocess.Popen(_cli("batch", "--data", SYNTHETIC, "--from", "2012-04", "--to",
                                    "2014-03", "--out-dir", tmp_path, "--jobs", jobs),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
                               start_new_session=True)
    deadline = time.time() + 120
    while not list(tmp_path.glob("scorecard-*.xlsx")) and time.time() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, process.communicate()
    os.killpg(process.pid, signal.SIGINT)  # Ctrl+C reaches the whole foreground group
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    [message] = [line for line in stderr.splitlines() if line.startswith("interrupted:")]
    written = sorted(p.name for p in tmp_path.iterdir())
    assert temp_files(tmp_path) == [] and all(n.startswith("scorecard-") for n in written)
    assert 1 <= len(written) < 24
    assert message.startswith(f"interrupted: {len(written)} of 24 month(s) were written (")
    assert "no partial file was left" in message and "run the batch again" in message
    for name in written:
        values = sheet_values(tmp_path / name)
        if (reference / name).exists():
            assert values == sheet_values(reference / name), name


def test_two_batches_into_one_folder_at_once(tmp_path, reference):
    command = _cli("batch", "--data", SYNTHETIC, "--from", "2012-04", "--to", "2012-09",
                   "--out-dir", tmp_path, "--jobs", "1")
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    for process in (first, second):
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
        assert "6 of 6 month(s) written" in stdout
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(p.name for p in reference.glob("*.xlsx"))  # and no temp file left
    for name in names:
        assert sheet_values(tmp_path / name) == sheet_values(reference / name), name
