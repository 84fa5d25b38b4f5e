"""`make demo`'s server: daphne in a child process, and one « prêt : http://… » line once it
listens (after the accounts), so whoever reads the terminal knows when to open the browser.

    python -m config.serve HOST PORT
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time


def listening(host: str, port: int, timeout: float = 0.5) -> bool:
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until_listening(
    host: str,
    port: int,
    process: subprocess.Popen | None = None,
    deadline: float = 120.0,
    interval: float = 0.2,
) -> bool:
    """Wait until host:port listens; False if `process` ended first or the deadline passed."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if listening(host, port):
            return True
        if process is not None and process.poll() is not None:
            return False
        time.sleep(interval)
    return False


def main(argv: list[str]) -> int:
    host, port = argv[0], int(argv[1])
    daphne = os.path.join(os.path.dirname(sys.executable), "daphne")
    process = subprocess.Popen([daphne, "-b", host, "-p", str(port), "config.asgi:application"])
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        if wait_until_listening(host, port, process):
            print(f"prêt : http://{host}:{port}/", flush=True)
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
