"""``manage.py consensus_stats`` and the CSV reader behind it. No database is touched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from consensus.ratings_csv import RatingsFileError, parse_ratings, read_ratings
from consensus.rules import Scale
from consensus.stats import compute_all

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
TWO_ROUNDS = DATA / "two_rounds.csv"

ITEM_KEYS = [
    "item", "round", "n", "median", "q1", "q3", "iqr", "mean", "share_agree", "share_neutral",
    "share_disagree", "p30", "p70", "ipr", "iprcp", "ai", "ipras", "disagreement",
    "classification", "rand_ucla",
]  # fmt: skip
STABILITY_KEYS = [
    "item", "from_round", "to_round", "n_paired", "unchanged", "weighted_kappa", "net_change",
]  # fmt: skip
PANEL_KEYS = ["round", "n_panelists", "kendall_w"]
RAND_KEYS = ["p30", "p70", "ipr", "iprcp", "ai", "ipras", "disagreement", "rand_ucla"]


def run(*args: str) -> tuple[dict, str]:
    out, err = StringIO(), StringIO()
    call_command("consensus_stats", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


# --- success -------------------------------------------------------------------------------


def test_exact_keys_and_order():
    data, err = run(str(TWO_ROUNDS))
    assert err == ""
    assert list(data) == ["items", "stability", "panel"]
    assert all(list(row) == ITEM_KEYS for row in data["items"])
    assert all(list(row) == STABILITY_KEYS for row in data["stability"])
    assert all(list(row) == PANEL_KEYS for row in data["panel"])
    assert [(r["item"], r["round"]) for r in data["items"]] == [
        ("A", 1), ("A", 2), ("B", 1), ("B", 2), ("C", 1), ("C", 2),
    ]  # fmt: skip
    assert [(r["item"], r["from_round"], r["to_round"]) for r in data["stability"]] == [
        ("A", 1, 2), ("B", 1, 2), ("C", 1, 2),
    ]  # fmt: skip
    assert [r["round"] for r in data["panel"]] == [1, 2]


def test_values_worked_by_hand():
    """two_rounds.csv, computed by hand (type-7 percentiles, Cohen quadratic kappa, W)."""
    data, _ = run(str(TWO_ROUNDS))
    a1 = data["items"][0]  # scores 3 7 8 9
    assert a1 == {
        "item": "A", "round": 1, "n": 4, "median": 7.5, "q1": 6.0, "q3": 8.25, "iqr": 2.25,
        "mean": 6.75, "share_agree": 0.75, "share_neutral": 0.0, "share_disagree": 0.25,
        "p30": 6.6, "p70": 8.1, "ipr": 1.5, "iprcp": 7.35, "ai": 2.35, "ipras": 5.875,
        "disagreement": False, "classification": "consensus_agree", "rand_ucla": "appropriate",
    }  # fmt: skip
    stab = {r["item"]: r for r in data["stability"]}
    # A: 7->8, 8->8, 9->9, 3->7: kappa = 1 - 4*17 / (4*203 + 4*258 - 2*27*32) = 1 - 68/116
    assert stab["A"] == {
        "item": "A", "from_round": 1, "to_round": 2, "n_paired": 4, "unchanged": 0.5,
        "weighted_kappa": 0.4138, "net_change": 0.25,
    }  # fmt: skip
    # B: p4 skipped round 2; net change over all ratings: (1/3 + 1/6 + 1/12 + 1/4) / 2 = 5/12
    assert (stab["B"]["n_paired"], stab["B"]["unchanged"]) == (3, 0.6667)
    assert (stab["B"]["weighted_kappa"], stab["B"]["net_change"]) == (0.6667, 0.4167)
    # Round 1: 4 complete panelists, R = 9.5, 6.5, 8, ties 12: W = 54/336.
    # Round 2: p4 did not rate B, so 3 panelists: R = 8.5, 3, 6.5, ties 6: W = 186/198.
    assert data["panel"] == [
        {"round": 1, "n_panelists": 4, "kendall_w": 0.1607},
        {"round": 2, "n_panelists": 3, "kendall_w": 0.9394},
    ]


def test_defaults_are_the_documented_ones():
    default, _ = run(str(TWO_ROUNDS))
    explicit, _ = run(
        str(TWO_ROUNDS),
        "--scale", "1-9", "--agree-from", "7", "--disagree-to", "3", "--threshold", "0.70",
    )  # fmt: skip
    assert default == explicit


def test_floats_rounded_to_four_decimals_in_json_only():
    data, _ = run(str(TWO_ROUNDS))
    report = compute_all(read_ratings(TWO_ROUNDS))
    assert report.stability[0].stability.weighted_kappa == pytest.approx(1 - 68 / 116, abs=1e-15)
    floats = [
        value
        for section in data.values()
        for row in section
        for value in row.values()
        if isinstance(value, float)
    ]
    assert floats and all(value == round(value, 4) for value in floats)


def test_median_min_and_threshold_options():
    data, _ = run(str(TWO_ROUNDS), "--median-min", "8")
    assert data["items"][0]["classification"] == "no_consensus"  # A round 1: median 7.5
    assert data["items"][1]["classification"] == "consensus_agree"  # A round 2: median 8
    data, _ = run(str(TWO_ROUNDS), "--threshold", "0.8")
    assert data["items"][0]["classification"] == "no_consensus"  # 75 % agree
    data, _ = run(str(TWO_ROUNDS), "--threshold", "1")
    assert data["items"][1]["classification"] == "consensus_agree"  # 100 % agree


def test_other_scale_gives_null_rand_fields(tmp_path):
    path = tmp_path / "five.csv"
    path.write_text("item,panelist,round,score\nA,p1,1,4\nA,p2,1,5\nA,p3,1,1\n")
    data, err = run(str(path), "--scale", "1-5", "--agree-from", "4", "--disagree-to", "2")
    (row,) = data["items"]
    assert all(row[key] is None for key in RAND_KEYS)
    assert (row["share_agree"], row["share_disagree"], row["median"]) == (0.6667, 0.3333, 4.0)
    assert list(row) == ITEM_KEYS and err == ""
    # Keeping the 1-9 defaults on a 1-5 scale is legal, with a warning on stderr.
    data, err = run(str(path), "--scale", "1-5")
    assert data["items"][0]["share_agree"] == 0.0
    assert "no score can count as agreement" in err


def test_empty_file_with_header_only(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("item,panelist,round,score\n")
    assert run(str(path))[0] == {"items": [], "stability": [], "panel": []}


# --- bad input -----------------------------------------------------------------------------

HEADER = "item,panelist,round,score\n"
GOOD_ROW = "A,p1,1,7\n"

# id -> (file content or None for a missing file, extra args, line named or None, fragment)
BAD_INPUTS: dict[str, tuple[str | bytes | None, list[str], int | None, str]] = {
    "missing_file": (None, [], None, "file not found"),
    "empty_file": ("", [], 1, "empty file"),
    "missing_column": ("item,panelist,score\nA,p1,7\n", [], 1, "missing column(s) round"),
    "repeated_column": ("item,panelist,round,score,score\n", [], 1, "more than once"),
    "non_numeric_score": (HEADER + GOOD_ROW + "A,p2,1,abc\n", [], 3, "score 'abc'"),
    "decimal_score": (HEADER + GOOD_ROW + "A,p2,1,7.5\n", [], 3, "score '7.5'"),
    "empty_score": (HEADER + GOOD_ROW + "A,p2,1,\n", [], 3, "score ''"),
    "score_above_scale": (HEADER + GOOD_ROW + "A,p2,1,10\n", [], 3, "outside the scale 1-9"),
    "score_below_scale": (HEADER + GOOD_ROW + "A,p2,1,0\n", [], 3, "outside the scale 1-9"),
    "score_off_custom_scale": (HEADER + GOOD_ROW, ["--scale", "1-5"], 2, "outside the scale 1-5"),
    "decimal_round": (HEADER + GOOD_ROW + "A,p2,1.5,7\n", [], 3, "round '1.5'"),
    "text_round": (HEADER + GOOD_ROW + "A,p2,one,7\n", [], 3, "round 'one'"),
    "round_zero": (HEADER + GOOD_ROW + "A,p2,0,7\n", [], 3, "round 0 must be 1 or more"),
    "round_of_41_digits": (HEADER + GOOD_ROW + "A,p2," + "9" * 41 + ",7\n", [], 3, "too large"),
    "round_above_smallint": (HEADER + GOOD_ROW + "A,p2,32768,7\n", [], 3, "too large"),
    "score_of_5000_digits": (HEADER + GOOD_ROW + "A,p2,1," + "9" * 5000 + "\n", [], 3, "outside"),
    "negative_score_of_5000_digits": (
        HEADER + GOOD_ROW + "A,p2,1,-" + "9" * 5000 + "\n",
        [],
        3,
        "outside the scale",
    ),
    "duplicate_rating": (
        HEADER + GOOD_ROW + "B,p1,1,7\nA,p1,1,8\n",
        [],
        4,
        "already rated item 'A' in round 1 (line 2)",
    ),
    "too_few_fields": (HEADER + GOOD_ROW + "A,p2,1\n", [], 3, "expected 4 fields, found 3"),
    "too_many_fields": (HEADER + "A,p2,1,7,x\n", [], 2, "expected 4 fields, found 5"),
    "empty_panelist": (HEADER + "A,,1,7\n", [], 2, "empty panelist"),
    "quoted_multiline_then_bad": (
        HEADER + '"A\nsecond line",p1,1,7\nA,p2,1,x\n',
        [],
        4,
        "score 'x'",
    ),
    "invalid_utf8": (HEADER.encode() + b"A,p1,1,7\n\xff\xfe,p2,1,7\n", [], 3, "UTF-8"),
    "scale_reversed": (HEADER + GOOD_ROW, ["--scale", "9-1"], None, "--scale"),
    "scale_not_a_range": (HEADER + GOOD_ROW, ["--scale", "abc"], None, "--scale"),
    "threshold_zero": (HEADER + GOOD_ROW, ["--threshold", "0"], None, "threshold"),
    "threshold_above_one": (HEADER + GOOD_ROW, ["--threshold", "1.5"], None, "threshold"),
    "threshold_not_a_number": (HEADER + GOOD_ROW, ["--threshold", "abc"], None, "--threshold"),
    "agree_below_disagree": (
        HEADER + GOOD_ROW,
        ["--agree-from", "3", "--disagree-to", "5"],
        None,
        "disagree_to",
    ),
    "median_min_not_a_number": (HEADER + GOOD_ROW, ["--median-min", "x"], None, "--median-min"),
}


def _bad_file(tmp_path: Path, name: str) -> str:
    content = BAD_INPUTS[name][0]
    path = tmp_path / f"{name}.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_call_command(tmp_path, name):
    _, args, line, fragment = BAD_INPUTS[name]
    out = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("consensus_stats", _bad_file(tmp_path, name), *args, stdout=out)
    assert excinfo.value.returncode == 2
    message = str(excinfo.value)
    assert fragment in message
    if line is not None:
        assert f"line {line}:" in message
    assert out.getvalue() == ""


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_command_line(tmp_path, capsys, name):
    """The manage.py code path (run_from_argv): exit 2, message on stderr, stdout empty."""
    _, args, line, fragment = BAD_INPUTS[name]
    argv = ["manage.py", "consensus_stats", _bad_file(tmp_path, name), *args]
    with pytest.raises(SystemExit) as excinfo:
        ManagementUtility(argv).execute()
    assert excinfo.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert fragment in captured.err
    if line is not None:
        assert f"line {line}:" in captured.err
    assert "Traceback" not in captured.err


# --- real processes ------------------------------------------------------------------------

SUBPROCESS_CASES = [
    "missing_file",
    "missing_column",
    "non_numeric_score",
    "decimal_round",
    "duplicate_rating",
    "scale_reversed",
    "threshold_above_one",
]


@pytest.fixture(scope="module")
def processes(tmp_path_factory):
    """Start every `manage.py consensus_stats` run at once (each pays Django's start-up)."""
    tmp = tmp_path_factory.mktemp("cli")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    runs = {
        "ok": [str(TWO_ROUNDS)],
        "unknown_option": [str(TWO_ROUNDS), "--bogus"],
        **{name: [_bad_file(tmp, name), *BAD_INPUTS[name][1]] for name in SUBPROCESS_CASES},
    }
    started = {
        name: subprocess.Popen(
            [sys.executable, "manage.py", "consensus_stats", *args],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, args in runs.items()
    }
    results = {}
    for name, process in started.items():
        out, err = process.communicate(timeout=300)
        results[name] = (process.returncode, out, err)
    return results


def test_subprocess_success(processes):
    code, out, err = processes["ok"]
    assert (code, err) == (0, "")
    assert json.loads(out) == run(str(TWO_ROUNDS))[0]


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_subprocess_bad_input(processes, name):
    code, out, err = processes[name]
    _, _, line, fragment = BAD_INPUTS[name]
    assert code == 2
    assert out == ""
    assert fragment in err
    if line is not None:
        assert f"line {line}:" in err
    assert "Traceback" not in err


def test_subprocess_unknown_option(processes):
    code, out, err = processes["unknown_option"]
    assert (code, out) == (2, "")
    assert "--bogus" in err


# --- the CSV reader ------------------------------------------------------------------------


def test_reader_accepts_bom_spaces_extra_columns_and_blank_lines(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "\ufeff Item , Panelist ,Round,Score,comment\r\n"
        "Compétence 1, p1 , 1 , 7 ,très bien\r\n"
        "\r\n"
        "Compétence 1,p2,1,+8,\r\n".encode()
    )
    ratings = read_ratings(path)
    assert ratings.item_labels == ("Compétence 1",)
    assert ratings.panelist_labels == ("p1", "p2")
    assert ratings.score.tolist() == [7, 8]
    data, _ = run(str(path))
    assert data["items"][0]["item"] == "Compétence 1"


def test_reader_labels_sorted_and_codes_consistent():
    ratings = parse_ratings([HEADER, "b,z,2,1\n", "a,y,1,9\n", "b,y,1,5\n"], Scale())
    assert ratings.item_labels == ("a", "b") and ratings.panelist_labels == ("y", "z")
    assert [ratings.item_labels[i] for i in ratings.item] == ["b", "a", "b"]
    assert [ratings.panelist_labels[p] for p in ratings.panelist] == ["z", "y", "y"]
    assert ratings.round.tolist() == [2, 1, 1]


def test_reader_error_carries_line():
    with pytest.raises(RatingsFileError) as excinfo:
        parse_ratings([HEADER, GOOD_ROW, "A,p1,1,7\n"], Scale())
    assert excinfo.value.line == 3
    assert str(excinfo.value).startswith("line 3: ")
