"""The fill face: write a month's results into the analyst's own scorecard workbook, in place.

Edits the .xlsx/.xlsm package at the level of the file (zipfile and lxml with
entities and the network off, after ``inputs.xlsx_input.check_xlsx``): only the
mapped cells of the mapped sheet change, and the few parts that must change
with them; every other part is copied byte for byte. Never loads and re-saves
the workbook through openpyxl.

May import: ``core``, ``inputs``, ``outputs``. Never ``headless``, ``excel``, ``layout`` or
``writers``.
"""
