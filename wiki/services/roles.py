"""Roles are Django groups; college editing rights are Wagtail page permissions per subtree."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page

from wiki.models import Institution, ReferentielPage
from wiki.roles import (  # noqa: F401 (re-exported: callers import role names from here too)
    ADMIN_ROLES,
    COLLEGE_EDITOR_PAGE_PERMISSIONS,
    COMMITTEE_PAGE_PERMISSIONS,
    FACILITATORS,
    PANELISTS,
    PATROLLERS,
    ROLE_GROUPS,
    ROLE_LABELS,
    STEERING_COMMITTEE,
    TRUSTED_EDITORS,
)


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _admin_access() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


@transaction.atomic
def role_groups_ensure(home: Page) -> dict[str, Group]:
    """Create the role groups and the committee's rights on the whole tree. Idempotent."""
    groups = {}
    for role, name in ROLE_GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        if role in ADMIN_ROLES:
            group.permissions.add(_admin_access())
        else:
            group.permissions.remove(_admin_access())
        groups[role] = group
    for codename in COMMITTEE_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=groups["steering_committee"], page=home, permission=_page_permission(codename)
        )
    return groups


@transaction.atomic
def college_editors_group_ensure(college: Institution) -> Group:
    if college.editors_group_id:
        return college.editors_group
    group, _created = Group.objects.get_or_create(
        name=f"Éditeurs — {college.acronym or college.name}"[:150]
    )
    group.permissions.add(_admin_access())
    college.editors_group = group
    college.save(update_fields=["editors_group"])
    return group


@transaction.atomic
def referentiel_grant_college(referentiel: ReferentielPage) -> None:
    """Give the owning college's editors add/change rights on this référentiel's subtree."""
    group = college_editors_group_ensure(referentiel.college)
    for codename in COLLEGE_EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=referentiel, permission=_page_permission(codename)
        )
