from django.utils import translation

from consensus.display import count, num, pct


def test_numbers_use_a_narrow_no_break_space_in_french():
    with translation.override("fr"):
        assert count(20000) == "20\u202f000"
        assert num(1234.5, 1) == "1\u202f234,5"
        assert pct(0.7) == "70\u202f%"
    with translation.override("en"):
        assert count(20000) == "20,000"
