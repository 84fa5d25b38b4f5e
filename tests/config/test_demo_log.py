"""`make demo`: one « prêt » line once the server listens; refused requests logged on one line."""

import logging
import socket
import subprocess
import sys

import pytest
from django.conf import settings

from config.log_filters import ClientErrorsWithoutTraceback
from config.serve import listening, wait_until_listening


def test_ready_is_told_only_once_the_port_listens():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        port = server.getsockname()[1]
        assert not listening("127.0.0.1", port)
        assert not wait_until_listening("127.0.0.1", port, deadline=0.3)
        server.listen()
        assert wait_until_listening("127.0.0.1", port, deadline=2)


def test_waiting_stops_when_the_server_process_dies():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(1)"])
    assert not wait_until_listening("127.0.0.1", port, process, deadline=10)
    assert process.returncode == 1


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        return logging.LogRecord(
            "django.request",
            logging.WARNING,
            __file__,
            1,
            "Forbidden: /x/",
            None,
            sys.exc_info(),
        )


@pytest.mark.parametrize(("status", "traceback"), [(403, False), (404, False), (500, True)])
def test_client_errors_are_logged_without_traceback(status, traceback):
    record = _record(status)
    record.status_code = status
    assert ClientErrorsWithoutTraceback().filter(record)
    handler = logging.StreamHandler()
    assert ("Traceback" in handler.format(record)) is traceback


def test_the_console_handler_uses_the_filter_and_django_does_not_print_twice():
    assert "client_errors_short" in settings.LOGGING["handlers"]["console"]["filters"]
    django_logger = logging.getLogger("django")
    assert django_logger.handlers == [] and django_logger.propagate
