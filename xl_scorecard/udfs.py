"""Old home of the worksheet functions, kept for workbooks whose xlwings ``UDF Modules``
setting names ``xl_scorecard.udfs``: everything lives in ``xl_scorecard.excel.udfs``."""

from .excel.udfs import *  # noqa: F401,F403
from .excel.udfs import __all__  # noqa: F401
