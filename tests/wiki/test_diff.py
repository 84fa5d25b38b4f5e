"""wiki.diff is pure: word-level differences of two revision contents, no database."""

from wiki.diff import (
    DELETE,
    EQUAL,
    INSERT,
    Segment,
    diff_text,
    revisions_diff,
    tokens,
    word_diff,
)


def test_tokens_rejoin_to_the_text():
    text = "Données de santé : l'interopérabilité,\n  le RGPD (art. 9)."
    assert "".join(tokens(text)) == text
    assert "interopérabilité" in tokens(text)


def test_identical_texts_are_one_equal_segment():
    assert diff_text("Cybersécurité des données", "Cybersécurité des données") == [
        Segment(EQUAL, "Cybersécurité des données")
    ]


def test_a_changed_word_is_deleted_then_inserted_and_the_rest_kept():
    segments = diff_text("Protéger les données de santé", "Protéger les données des patients")
    assert segments == [
        Segment(EQUAL, "Protéger les données "),
        Segment(DELETE, "de santé"),
        Segment(INSERT, "des patients"),
    ]


def test_pure_addition_and_pure_deletion():
    assert diff_text("", "Télésanté") == [Segment(INSERT, "Télésanté")]
    assert diff_text("Télésanté", "") == [Segment(DELETE, "Télésanté")]
    assert diff_text("a b", "a b c") == [Segment(EQUAL, "a b"), Segment(INSERT, " c")]


def test_words_are_whole_not_characters():
    segments = diff_text("anonymisation", "pseudonymisation")
    assert segments == [Segment(DELETE, "anonymisation"), Segment(INSERT, "pseudonymisation")]


def test_revisions_diff_covers_text_list_and_identifier_fields():
    old = {
        "title": "Sécuriser le PACS",
        "code": "RAD-D1-C01",
        "statement": "Appliquer les règles",
        "rank": "A",
        "body": "Corps",
        "references": "",
        "learning_outcomes": [{"text": "Chiffrer les échanges"}, {"text": "Tracer les accès"}],
        "evaluation_methods": [1],
        "socle_refs": [10],
    }
    new = dict(
        old,
        statement="Appliquer les règles de sécurité",
        rank="B",
        learning_outcomes=[{"text": "Chiffrer les échanges"}, {"text": "Auditer les accès"}],
        evaluation_methods=[1, 2],
        socle_refs=[],
    )
    labels = {
        "evaluation_methods": {1: "ECOS", 2: "Simulation"},
        "socle_refs": {10: "SOCLE-D2-C01 Cybersécurité"},
        "rank": {"A": "Rang A", "B": "Rang B"},
    }
    fields = {f.name: f for f in revisions_diff(old, new, labels=labels)}
    assert not fields["title"].changed and not fields["body"].changed
    assert fields["statement"].segments[-1] == Segment(INSERT, " de sécurité")
    assert [s for s in fields["rank"].segments if s.op != EQUAL] == [
        Segment(DELETE, "A"),
        Segment(INSERT, "B"),
    ]
    outcomes = fields["learning_outcomes"].segments
    assert Segment(DELETE, "Tracer") in outcomes and Segment(INSERT, "Auditer") in outcomes
    assert Segment(INSERT, "\nSimulation") in fields["evaluation_methods"].segments
    assert fields["socle_refs"].segments == [Segment(DELETE, "SOCLE-D2-C01 Cybersécurité")]
    assert "intro" not in fields  # absent from both revisions: not a field of this page type


def test_unknown_identifiers_still_show_and_missing_fields_count_as_empty():
    fields = {f.name: f for f in revisions_diff({"socle_refs": [7]}, {"title": "Nouveau"})}
    assert fields["socle_refs"].segments == [Segment(DELETE, "#7")]
    assert fields["title"].segments == [Segment(INSERT, "Nouveau")]


def test_markup_is_kept_as_text_for_the_template_to_escape():
    fields = revisions_diff({"body": "a"}, {"body": "a <script>alert(1)</script>"})
    inserted = "".join(s.text for s in fields[0].segments if s.op == INSERT)
    assert inserted == " <script>alert(1)</script>"


def test_word_diff_gives_op_text_pairs():
    assert [tuple(s) for s in word_diff("un deux", "un trois")] == [
        ("equal", "un "),
        ("delete", "deux"),
        ("insert", "trois"),
    ]
