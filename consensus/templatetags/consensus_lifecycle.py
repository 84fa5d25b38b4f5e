"""The link from a référentiel's page to its lifecycle page, for those who may open it (the
wiki's templates load this library; the wiki's Python never imports consensus)."""

from django import template
from django.urls import reverse

from consensus import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def lifecycle_url(context, referentiel) -> str:
    """The lifecycle page's URL if the request's user may see it, else ""."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    if not permissions.can_view_lifecycle(user, referentiel):
        return ""
    return reverse("consensus:lifecycle", args=[referentiel.pk])
