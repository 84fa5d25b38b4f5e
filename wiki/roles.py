"""Role names and what each role holds: constants only, importable from anywhere in the wiki
(permissions, visibility, services) without touching the models."""

from django.utils.translation import gettext_lazy as _

PATROLLERS = "Patrouilleurs"
STEERING_COMMITTEE = "Comité de pilotage"
FACILITATORS = "Animateurs Delphi"
PANELISTS = "Panélistes"
# Editors whose changes need no review (autopatrolled), like MediaWiki's « autopatrolled ».
TRUSTED_EDITORS = "Éditeurs de confiance"

ROLE_GROUPS = {
    "patroller": PATROLLERS,
    "steering_committee": STEERING_COMMITTEE,
    "facilitator": FACILITATORS,
    "panelist": PANELISTS,
    "trusted_editor": TRUSTED_EDITORS,
}

COLLEGE_EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
COMMITTEE_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")

ROLE_LABELS = {
    "college_editor": _("College editor"),
    "patroller": _("Patroller"),
    "panelist": _("Delphi panelist"),
    "facilitator": _("Delphi facilitator"),
    "steering_committee": _("Steering committee member"),
    "administrator": _("Administrator"),
}

# Only the roles that edit pages reach the Wagtail admin: college editors (their groups are
# made per college by wiki.services.roles) and the steering committee. Patrollers, Delphi
# facilitators and panelists work in the wiki and in /consensus/.
ADMIN_ROLES = ("steering_committee",)
