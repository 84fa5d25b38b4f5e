from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def missing_page(request: HttpRequest) -> HttpResponse:
    """Where a red wikilink leads: says the page does not exist, and who can create it."""
    title = (request.GET.get("titre") or "").strip()[:200]
    can_create = request.user.is_authenticated and request.user.has_perm(
        "wagtailadmin.access_admin"
    )
    return render(
        request, "wiki/missing_page.html", {"title": title, "can_create": can_create}, status=404
    )
