"""The Excel face: worksheet functions (argument conversion, the functions, their @xw.func
wrappers), the macros and their script entry points, and the formula engine that evaluates
--live workbooks headlessly.

May import: ``core``, ``inputs``, ``outputs``, ``layout``, ``writers``. Never ``headless``.
"""
