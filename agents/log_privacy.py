"""Logs are scrubbed too: every log record's message passes ``policies.scrubber``.

Installed once per process (each Ray actor is a process) by ``Agent.start``, so
no agent can print a phone number or a name into a log file, whatever it logs.
"""

from __future__ import annotations

import logging
from typing import Any

from policies.scrubber import scrub

_INSTALLED = False


def install_log_scrubber() -> None:
    """Wrap the log record factory: the formatted message of every record is scrubbed."""
    global _INSTALLED
    if _INSTALLED:
        return
    _INSTALLED = True
    make = logging.getLogRecordFactory()

    def scrubbed(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        try:
            record.msg = scrub(record.getMessage()).text
            record.args = None
        except Exception:  # a record that cannot be formatted is logging's own business
            pass
        return record

    logging.setLogRecordFactory(scrubbed)
