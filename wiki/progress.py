"""Progress of long management commands (reindex, link graph rebuild)."""

import time


class ProgressBar:
    """A one-line progress bar on a terminal; a line every 10 % otherwise (logs, CI)."""

    WIDTH = 40

    def __init__(self, total: int, stream) -> None:
        self.total, self.done, self.stream = max(total, 1), 0, stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()
        self._last_decile = -1

    def advance(self, count: int) -> None:
        self.done += count
        ratio = min(1.0, self.done / self.total)
        if self.tty:
            filled = int(ratio * self.WIDTH)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total} ({ratio:4.0%})")
            self.stream.flush()
        elif int(ratio * 10) > self._last_decile:
            self._last_decile = int(ratio * 10)
            self.stream.write(f"{self.done}/{self.total} ({ratio:.0%})\n")

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
