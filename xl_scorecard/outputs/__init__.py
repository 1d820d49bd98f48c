"""Writing files safely (atomic replace, lock checks), the plain results formats (CSV, JSON,
summary text), and problems as the CLI reports them (text lines or JSON).

May import: ``core``.
"""
