"""Personal data in an unexpected error never reaches the log."""

import logging

from kreds.core.log_filters import RedactPersonalData


def test_email_and_postgres_detail_are_removed_from_message_and_traceback():
    record = None
    try:
        raise ValueError(
            "duplicate key value violates unique constraint\n"
            "DETAIL:  Key (email)=(pia.marker@example.org) already exists."
        )
    except ValueError:
        import sys

        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Failed for %s",
            ("ole@example.org",),
            sys.exc_info(),
        )

    assert RedactPersonalData().filter(record) is True
    written = logging.Formatter().format(record)

    assert "ole@example.org" not in written
    assert "pia.marker" not in written
    assert "Failed for <email>" in written
    assert "DETAIL: <removed>" in written
    assert "ValueError" in written  # the traceback itself is kept
