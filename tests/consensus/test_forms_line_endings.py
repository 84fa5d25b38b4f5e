"""Text typed into the consensus forms is stored with LF line endings, as the wiki's is: a
browser sends a textarea's breaks as CRLF, and a decision's wording or rationale would otherwise
carry them into the draft revision and its diff."""

import pytest

from consensus.forms import DecisionForm, ItemRewordForm, LifecycleVoteForm


@pytest.mark.parametrize(
    ("form_class", "data", "fields"),
    [
        (
            DecisionForm,
            {"decision": "reword", "rationale": "Un\r\ndeux\rtrois", "wording": "A\r\nB"},
            ("rationale", "wording"),
        ),
        (
            ItemRewordForm,
            {"text": "Savoir\r\nfaire", "context": "Note\r\n\r\nsuite"},
            ("text", "context"),
        ),
    ],
)
def test_typed_text_is_cleaned_to_lf_line_endings(form_class, data, fields):
    form = form_class(data=data)
    assert form.is_valid(), form.errors
    for name in fields:
        assert "\r" not in form.cleaned_data[name]
        typed = data[name].replace("\r", "").replace("\n", "")
        assert form.cleaned_data[name].replace("\n", "") == typed
    assert form.cleaned_data[fields[0]].count("\n") == data[fields[0]].count("\r")


def test_non_text_values_pass_through_unchanged():
    form = DecisionForm(data={"decision": "keep", "rationale": "Consensus", "wording": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"decision": "keep", "rationale": "Consensus", "wording": ""}


def test_a_vote_comment_is_cleaned_to_lf_line_endings():
    form = LifecycleVoteForm(data={"choice": "reject", "comment": "Raison 1\r\nRaison 2"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["comment"] == "Raison 1\nRaison 2"
