"""A link from the Wagtail admin to the Delphi pages, for those who run or judge studies, and
the labels of the audited Delphi steps (consensus.audit) in the admin's history."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from consensus import permissions
from consensus.audit import LOG_ACTIONS


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
