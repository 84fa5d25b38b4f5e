"""The link graph: backlinks, wanted pages, red after deletion, blue after creation."""

import pytest
from django.test import Client
from wagtail.models import Page

from tests.wiki.history_support import account, radiology_competency
from wiki.markdown import render
from wiki.models import CompetencyPage, DomainPage, PageLink
from wiki.selectors import page_backlinks, wanted_pages, wikilink_targets_resolved
from wiki.services.links import LINKED_PAGE_MODELS, page_links_rebuild, page_links_update
from wiki.visibility import PUBLIC, reader_for

pytestmark = pytest.mark.django_db


def new_competency(domain, code: str, title: str, body: str = "", live: bool = True):
    page = CompetencyPage(title=title, slug=code.lower(), code=code, body=body, live=live)
    domain.add_child(instance=page)
    revision = page.save_revision(user=account("copil"))
    if live:
        revision.publish()
    return CompetencyPage.objects.get(pk=page.pk)


@pytest.fixture
def domain():
    return DomainPage.objects.live().get(code="D2", url_path__contains="socle")


def links_of(page, version: str = "in_latest") -> dict[str, int | None]:
    """The links of the page's latest (working) version, or of its published one."""
    return dict(
        PageLink.objects.filter(source=page, **{version: True}).values_list(
            "target_text", "target_id"
        )
    )


def test_seeded_bodies_are_in_the_graph():
    page_links_rebuild()
    source = radiology_competency()
    target = CompetencyPage.objects.get(code="RAD-D1-C02")
    assert links_of(source)["RAD-D1-C02"] == target.pk
    assert source in page_backlinks(target, reader_for(account("patrouilleur")))


def test_a_saved_revision_replaces_the_links(domain):
    page = new_competency(domain, "TST-L-01", "Page de test liens", "Voir [[SOCLE-D2-C02]].")
    target = CompetencyPage.objects.get(code="SOCLE-D2-C02")
    assert links_of(page) == {"SOCLE-D2-C02": target.pk}

    page.body = "Voir [[Cybersécurité]] et [[Page qui manque]]."
    page.references = "[[socle-d2-c02|le même, en minuscules]]"
    page.save_revision(user=account("copil"))

    links = links_of(page)
    assert links["Cybersécurité"] == domain.pk
    assert links["Page qui manque"] is None
    assert links["socle-d2-c02"] == target.pk
    assert "SOCLE-D2-C02" not in links
    # The published version still holds its own link until the draft is published.
    assert links_of(page, "in_live") == {"SOCLE-D2-C02": target.pk}
    page.get_latest_revision().publish()
    assert links_of(page, "in_live") == links


def test_wanted_pages_count_the_pages_asking(domain):
    one = new_competency(domain, "TST-W-01", "Demandeur un", "[[Page très demandée]]")
    two = new_competency(domain, "TST-W-02", "Demandeur deux", "[[page très demandée]] [[Autre]]")
    wanted = {entry["title"]: entry for entry in wanted_pages(reader_for(account("patrouilleur")))}
    assert "page très demandée" not in wanted  # the same title, whatever its case
    assert [p.pk for p in wanted["Page très demandée"]["sources"]] == [one.pk, two.pk]
    assert wanted["Page très demandée"]["count"] == 2
    assert wanted["Autre"]["count"] == 1
    public = {entry["title"] for entry in wanted_pages(PUBLIC)}
    assert "Page très demandée" in public


def test_creating_the_page_turns_red_links_blue_and_deleting_it_turns_them_red(domain):
    source = new_competency(domain, "TST-C-01", "Source", "[[TST-C-02]] et [[La future page]]")
    assert links_of(source) == {"TST-C-02": None, "La future page": None}
    assert "wikilink--missing" in render(source.body, wikilink_targets_resolved)

    by_code = new_competency(domain, "TST-C-02", "Cible par code")
    by_title = new_competency(domain, "TST-C-03", "La future page")
    assert links_of(source) == {"TST-C-02": by_code.pk, "La future page": by_title.pk}
    html = render(source.body, wikilink_targets_resolved)
    assert "wikilink--missing" not in html
    assert set(page_backlinks(by_title, reader_for(account("patrouilleur")))) == {source}

    Page.objects.get(pk=by_title.pk).delete()
    assert links_of(source) == {"TST-C-02": by_code.pk, "La future page": None}
    assert "wikilink--missing" in render(source.body, wikilink_targets_resolved)
    assert "La future page" in {
        e["title"] for e in wanted_pages(reader_for(account("patrouilleur")))
    }


def test_renaming_a_page_moves_the_links_that_name_it(domain):
    target = new_competency(domain, "TST-R-01", "Ancien titre")
    old = new_competency(domain, "TST-R-02", "Lien ancien", "[[Ancien titre]]")
    new = new_competency(domain, "TST-R-03", "Lien nouveau", "[[Nouveau titre]]")
    assert links_of(old)["Ancien titre"] == target.pk

    target.title = "Nouveau titre"
    target.save_revision(user=account("copil")).publish()

    assert links_of(old)["Ancien titre"] is None
    assert links_of(new)["Nouveau titre"] == target.pk


def test_a_self_link_and_a_loop_render(domain, client: Client):
    body = "Moi : [[TST-S-01]]. Toi : [[TST-S-02]]."
    first = new_competency(domain, "TST-S-01", "Boucle un", body)
    second = new_competency(domain, "TST-S-02", "Boucle deux", "Retour : [[Boucle un]].")
    page_links_update(first)  # TST-S-02 exists now
    assert links_of(first) == {"TST-S-01": first.pk, "TST-S-02": second.pk}
    assert links_of(second) == {"Boucle un": first.pk}

    for page in (first, second):
        response = client.get(page.url)
        assert response.status_code == 200
    assert f'href="{first.url}"' in client.get(first.url).content.decode()
    assert set(page_backlinks(first, reader_for(account("patrouilleur")))) == {first, second}


def test_the_rebuild_command_shows_its_progress(capsys):
    from django.core.management import call_command

    call_command("links_rebuild")
    captured = capsys.readouterr()
    pages = sum(model.objects.count() for model in LINKED_PAGE_MODELS)
    # Outside a terminal, a line per tenth of the pages, on stderr.
    assert f"{pages}/{pages} (100%)" in captured.err
    assert "links recorded" in captured.out
