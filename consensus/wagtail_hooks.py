"""A link from the Wagtail admin to the Delphi pages, for those who run or judge studies, the
labels of the audited Delphi steps (consensus.audit) in the admin's history, and the
committee seats' admin (superusers and the accounts granted its permissions)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from consensus import permissions
from consensus.audit import LOG_ACTIONS
from consensus.models import CommitteeSeat
from consensus.views.lifecycle_admin import ReferentielPageViewSet


class ConsensusMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        user = request.user
        return (
            permissions.is_facilitator(user)
            or permissions.is_committee_member(user)
            or permissions.is_panelist(user)
        )


@hooks.register("register_admin_menu_item")
def register_consensus_menu_item() -> MenuItem:
    return ConsensusMenuItem(
        _("Delphi consensus"), reverse("consensus:home"), icon_name="list-ul", order=900
    )


@hooks.register("register_log_actions")
def register_consensus_log_actions(actions) -> None:
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


class CommitteeSeatViewSet(ModelViewSet):
    """The seats of the voting bodies, managed in the Wagtail admin.

    Wagtail's model permission policy: superusers, and the accounts granted the Django
    permissions on committee seats (the committee's administrators) — not every committee
    member. Every change is audited by django-simple-history (who, when, what: the request's
    user through HistoryRequestMiddleware) and by Wagtail's log."""

    model = CommitteeSeat
    icon = "group"
    menu_label = _("Committee seats")
    menu_order = 910
    add_to_admin_menu = True
    copy_view_enabled = False
    form_fields = ["body", "institution", "role_label", "holder", "active"]
    list_display = ["__str__", "role_label", "holder", "active"]
    list_filter = ["body", "active"]


@hooks.register("register_admin_viewset")
def register_committee_seat_viewset() -> CommitteeSeatViewSet:
    return CommitteeSeatViewSet("committee_seats")


@hooks.register("register_admin_viewset")
def register_referentiel_page_viewset() -> ReferentielPageViewSet:
    """The référentiel's admin views say the lifecycle's refusals on the page."""
    from wiki.models import ReferentielPage

    return ReferentielPageViewSet("referentiel_pages", model=ReferentielPage)
