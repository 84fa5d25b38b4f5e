"""``manage.py consensus_stats RATINGS.csv``: Delphi consensus statistics as JSON on stdout.

Thin by design: parse options -> ``consensus.ratings_csv`` -> ``consensus.stats.compute_all``
-> JSON. Any bad input exits with status 2, a message on stderr (naming the CSV line when
there is one) and nothing on stdout.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from consensus.ratings_csv import RatingsFileError, read_ratings
from consensus.rules import ConsensusRule, Scale
from consensus.stats import RatingsError, compute_all

BAD_INPUT = 2  # exit status for unusable input or options, like argparse's own errors
DECIMALS = 4


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


def _number(value: Any, option: str) -> float:
    """Option value as a finite float (strings from the command line, numbers from code)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _bad(f"{option} {value!r} is not a number") from None
    if not math.isfinite(number):
        raise _bad(f"{option} {value!r} is not a finite number")
    return number


def _rounded(value: Any) -> Any:
    """Round floats to DECIMALS places, recursively (the Python API keeps full precision)."""
    if isinstance(value, float):
        return round(value, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


class Command(BaseCommand):
    help = (
        "Compute Delphi consensus statistics (median, quartiles, shares, RAND/UCLA IPR/IPRAS, "
        "classification, round-to-round stability, Kendall's W) from a CSV with the header "
        "item,panelist,round,score, and print them as JSON."
    )
    requires_system_checks: list[str] = []  # a pure computation: no models, no database
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        # Options are taken as text and validated in handle(), so that a bad value exits with
        # the same status (2) from the command line and from call_command().
        parser.add_argument("ratings", metavar="RATINGS.csv", help="CSV file of ratings.")
        parser.add_argument(
            "--scale", default="1-9", metavar="MIN-MAX", help="Rating scale (default 1-9)."
        )
        parser.add_argument(
            "--agree-from",
            default="7",
            metavar="A",
            help="Scores >= A count as agreement (default 7).",
        )
        parser.add_argument(
            "--disagree-to",
            default="3",
            metavar="D",
            help="Scores <= D count as disagreement (default 3).",
        )
        parser.add_argument(
            "--threshold",
            default="0.70",
            metavar="T",
            help="Share in (0, 1] needed for a consensus (default 0.70).",
        )
        parser.add_argument(
            "--median-min",
            default=None,
            metavar="M",
            help="Also require median >= M for consensus_agree (default: no condition).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            scale = Scale.parse(str(options["scale"]))
        except ValueError as exc:
            raise _bad(f"--scale: {exc}") from None
        median_min = options["median_min"]
        try:
            rule = ConsensusRule(
                agree_from=_number(options["agree_from"], "--agree-from"),
                disagree_to=_number(options["disagree_to"], "--disagree-to"),
                threshold=_number(options["threshold"], "--threshold"),
                median_min=None if median_min is None else _number(median_min, "--median-min"),
            )
        except ValueError as exc:
            raise _bad(str(exc)) from None
        try:
            ratings = read_ratings(options["ratings"], scale)
            report = compute_all(ratings, scale, rule)
        except RatingsFileError as exc:
            where = f"{options['ratings']}: line {exc.line}" if exc.line else options["ratings"]
            raise _bad(f"{where}: {exc.message}") from None
        except RatingsError as exc:
            raise _bad(f"{options['ratings']}: {exc}") from None
        for warning in rule.warnings_for(scale):
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(json.dumps(_rounded(report.to_json_data())))
