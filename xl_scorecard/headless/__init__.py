"""The headless face: one month's workbook (build), many months (batch), and the PDF pack,
written with openpyxl and LibreOffice; no Excel anywhere.

May import: ``core``, ``inputs``, ``outputs``, ``layout``, ``writers``. Never ``excel``.
"""
