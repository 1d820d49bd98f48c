"""Reading what the analyst gives us: rules.json (schema and meaning checks), the data table
(CSV or XLSX), months written as text, workbook safety checks, the bundled sample.

May import: ``core``. Never a face (headless, excel, cli) nor the layout.
"""
