"""The VBA that openpyxl keeps for an .xlsm, closed when the workbook has been saved.

``load_workbook(keep_vba=True)`` copies the package into an in-memory zip
(``workbook.vba_archive``, opened for appending) and never closes it. Left to the garbage
collector, its ``__del__`` may run after its buffer is gone and fail ("I/O operation on
closed file"), an error Python can only print. ``vba_kept_until_saved`` closes it at a known
moment instead.
"""

from __future__ import annotations

import contextlib


@contextlib.contextmanager
def vba_kept_until_saved(workbook):
    """Use the workbook (and save it) inside; its VBA archive, if any, is closed on the way out."""
    try:
        yield workbook
    finally:
        archive = getattr(workbook, "vba_archive", None)
        if archive is not None:
            archive.close()
            workbook.vba_archive = None
