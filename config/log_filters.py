"""Logging filters of the site's handlers."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """Django logs a refused request (403, 404…) with the exception's traceback: the request is
    kept in the log, as one line, and the traceback is dropped. Server errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
