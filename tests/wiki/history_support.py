"""Shared helpers of the history / recent changes / patrol tests (seeded data)."""

from django.contrib.auth import get_user_model

from wiki.models import Change, CompetencyPage


def account(username: str):
    return get_user_model().objects.get(username=username)


def radiology_competency() -> CompetencyPage:
    return CompetencyPage.objects.get(code="RAD-D1-C01")


def general_medicine_competency() -> CompetencyPage:
    return CompetencyPage.objects.get(code="MG-D1-C01")


def socle_competency() -> CompetencyPage:
    return CompetencyPage.objects.get(code="SOCLE-D1-C01")


def edit(page, user, *, publish: bool = False, **fields) -> Change:
    """Save a new revision of `page` (its latest draft) with `fields` changed, published when
    `publish`; its Change."""
    page = page.specific_class.objects.get(pk=page.pk).get_latest_revision_as_object()
    for name, value in fields.items():
        setattr(page, name, value)
    revision = page.save_revision(user=user)
    if publish:
        revision.publish(user=user)
    return Change.objects.get(revision=revision)
