"""Backends that render the layout's sheets: openpyxl (a file) and xlwings (an open Book).
Siblings: one layout, two writers; neither knows where its sheets came from.

May import: ``core`` and ``layout``.
"""
