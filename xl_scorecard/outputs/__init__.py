"""Writing files safely (atomic replace, lock checks) and the plain results formats (CSV, JSON,
summary text).

May import: ``core``.
"""
