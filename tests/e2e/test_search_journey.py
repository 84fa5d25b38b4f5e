"""Search from the home page with autocompletion, narrow by facets, open a result; the same
queries through the JSON API. Headless Chromium against the live server, real Elasticsearch."""

import re

import pytest
from playwright.sync_api import expect

from search.connection import breaker
from search.indexing import index_drop_all, index_rebuild

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def search_indexed(seeded, elasticsearch):
    breaker.reset()
    index_rebuild()  # the seed was reloaded after Django flushed the tables: new page ids
    yield
    index_drop_all()


def test_search_journey_with_autocompletion_and_facets(search_indexed, page, axe):
    page.goto("/")
    box = page.get_by_role("combobox", name="Rechercher dans le wiki")
    box.fill("donn")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("option", name=re.compile("Données de santé"))).to_be_visible()
    # Keyboard: the arrows move through the suggestions, Escape closes the list.
    box.press("ArrowDown")
    first = page.get_by_role("listbox").get_by_role("option").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert axe(page) == []

    # Enter without a chosen suggestion runs the full search.
    box.fill("données de santé")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/recherche/\?q=donn%C3%A9es"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rechercher dans le wiki")
    count = page.locator("#search-count")
    expect(count).to_contain_text("résultats pour « données de santé »")
    expect(page.locator(".result-list > li").first).to_be_visible()
    assert page.locator(".result-list mark").count() > 0
    total = int(re.match(r"\d+", count.inner_text().strip()).group())
    assert axe(page) == []

    # Narrow by facets: a form of checkboxes, one fieldset per facet.
    facets = page.get_by_role("complementary", name="Affiner les résultats")
    type_group = facets.get_by_role("group", name="Type")
    type_group.get_by_role("checkbox", name=re.compile("^Compétence")).check()
    facets.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"type=competency"))
    narrowed = int(re.match(r"\d+", count.inner_text().strip()).group())
    assert 0 < narrowed < total
    badges = page.locator(".result-list .badge:not(.badge--edition)").all_inner_texts()
    assert set(badges) == {"Compétence"}
    # The socle is read in its published edition, and says so.
    assert set(page.locator(".result-list .badge--edition").all_inner_texts()) == {"Édition 1.0"}
    expect(type_group.get_by_role("checkbox", name=re.compile("^Compétence"))).to_be_checked()
    assert axe(page) == []
    html_titles = page.locator(".result__title a").all_inner_texts()

    # The same queries through the JSON API.
    api = page.request.get("/api/search/?q=données de santé").json()
    assert api["count"] == total
    api = page.request.get("/api/search/?q=données de santé&type=competency").json()
    assert api["count"] == narrowed
    assert [r["title"] for r in api["results"]] == html_titles
    assert {r["type"] for r in api["results"]} == {"competency"}

    # Open a result.
    first_result = page.locator(".result__title a").first
    title = first_result.inner_text()
    first_result.click()
    # A socle competency opens in the published edition, scrolled to its anchor.
    expect(page).to_have_url(re.compile(r"/referentiels/socle-numerique-en-sante/v1\.0/#.+"))
    anchor = page.url.rsplit("#", 1)[1]
    heading = page.locator(f"[id='{anchor}'] h3")
    expect(heading).to_contain_text(title)
    expect(heading).to_be_in_viewport()


def test_choosing_a_suggestion_opens_its_page(search_indexed, page):
    page.goto("/recherche/")
    box = page.get_by_role("combobox", name="Termes de la recherche")
    box.press_sequentially("cybers", delay=30)
    expect(page.get_by_role("option", name=re.compile("Cybersécurité"))).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    # The public reads the socle's edition: the suggestion opens the domain in edition 1.0.
    expect(page).to_have_url(re.compile(r"/referentiels/socle-numerique-en-sante/v1\.0/#d2$"))
    domain = page.locator("#d2")
    expect(domain).to_contain_text("Cybersécurité")
    expect(domain).to_be_in_viewport()
    api = page.request.get("/api/search/autocomplete/?q=cybers").json()
    assert api["results"][0]["url"] == "/referentiels/socle-numerique-en-sante/v1.0/#d2"
