"""The committee-paper face: the covering report for the cabinet committee, drafted from the
month's results (sentences from templates in ``wording``), with trend charts, officers'
commentary from the month's workbook and an appendix table, written as Word (python-docx) and,
through LibreOffice, as PDF.

May import: ``core``, ``inputs``, ``outputs``, ``layout``. Never ``headless``, ``excel`` or
``writers``.
"""
