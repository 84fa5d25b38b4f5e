from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wiki import selectors


def missing_page(request: HttpRequest) -> HttpResponse:
    """Where a red wikilink leads: says the page does not exist, and lets an editor create it
    under one of the domains they may add a competency to."""
    title = " ".join((request.GET.get("titre") or "").split())[:200]
    domains = selectors.domains_user_can_add_to(request.user)
    query = urlencode({"title": title}) if title else ""
    create_links = [
        {
            "domain": domain,
            # Wagtail 8's add view ignores ?title= today; it is kept for when it does not.
            "url": f"/admin/pages/add/wiki/competencypage/{domain.pk}/"
            + (f"?{query}" if query else ""),
        }
        for domain in domains
    ]
    can_create = request.user.is_authenticated and request.user.has_perm(
        "wagtailadmin.access_admin"
    )
    return render(
        request,
        "wiki/missing_page.html",
        {"title": title, "can_create": can_create, "create_links": create_links},
        status=404,
    )
