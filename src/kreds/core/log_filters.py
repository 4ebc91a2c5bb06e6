"""Keeps personal data out of the logs, even in tracebacks of unexpected errors.

PostgreSQL explains a broken unique constraint with the value itself
(`DETAIL: Key (email)=(...) already exists`), and an exception message may quote an
email address. This filter, on every handler, removes both before a record is written.
"""

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
DETAIL = re.compile(r"^DETAIL:.*$", re.MULTILINE)


def redact(text: str) -> str:
    return EMAIL.sub("<email>", DETAIL.sub("DETAIL: <removed>", text))


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), ()
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
