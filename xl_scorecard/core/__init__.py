"""The pure core: rules model, periods, rounding, rates, RAG, direction of travel, the engine,
summaries and data notes.

May import: the standard library, numpy and pandas. Never openpyxl, xlwings, jsonschema, nor
anything from the other folders of xl_scorecard. Runs under Pyodide.
"""
