"""Old home of the macro entry points, kept for VBA ``RunPython`` calls and xlwings Server
settings that name ``xl_scorecard.scripts``: everything lives in ``xl_scorecard.excel.scripts``."""

from .excel.scripts import *  # noqa: F401,F403
from .excel.scripts import __all__  # noqa: F401
