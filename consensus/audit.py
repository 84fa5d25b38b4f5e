"""Audited steps of a Delphi study: who did them and when, as Wagtail log entries
(`wagtail.log_actions.log`), shown in the admin's site history report and registered with
their labels in `consensus/wagtail_hooks.py`."""

from django.utils.translation import gettext_lazy as _

STUDY_CREATE = "consensus.study.create"
PROTOCOL_FREEZE = "consensus.study.protocol_freeze"
ROUND_OPEN = "consensus.round.open"
ROUND_CLOSE = "consensus.round.close"

# action → (label, message), as Wagtail's register_action takes them
LOG_ACTIONS = {
    STUDY_CREATE: (_("Create Delphi study"), _("Delphi study created")),
    PROTOCOL_FREEZE: (_("Freeze study protocol"), _("Study protocol frozen")),
    ROUND_OPEN: (_("Open Delphi round"), _("Delphi round opened")),
    ROUND_CLOSE: (_("Close Delphi round"), _("Delphi round closed")),
}
