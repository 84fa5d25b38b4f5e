"""The free texts of the methods report: what only the study's team knows (ACCORD, CREDES).

The texts that describe how the study was set up belong to its protocol: like the scale and the
consensus rule, they freeze when round 1 opens (``Study.protocol_frozen_at``), so that the
report shows what was written before any rating. Funding and conflicts of interest, and the
interpretation and limitations, are written as the study ends and stay editable.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from consensus import permissions
from consensus.exceptions import ProtocolFrozen
from consensus.models import Study

# Pre-specified with the protocol: frozen when round 1 opens.
REPORT_PROTOCOL_TEXTS = (
    "aim_background",
    "registration",
    "eligibility_recruitment",
    "steering_committee",
    "piloting",
    "ethics_consent",
)
# Written at any time, typically when the study ends.
REPORT_CLOSING_TEXTS = ("funding_conflicts", "limitations")
REPORT_TEXTS = REPORT_PROTOCOL_TEXTS + REPORT_CLOSING_TEXTS


def _normalised(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


@transaction.atomic
def study_report_texts_update(*, user, study: Study, **texts: str) -> Study:
    """Save the report's free texts; a frozen study refuses a change to a protocol text."""
    if not permissions.can_manage_study(user, study):
        raise PermissionDenied
    unknown = set(texts) - set(REPORT_TEXTS)
    if unknown:
        raise TypeError(f"unknown report texts: {sorted(unknown)}")
    study = Study.objects.select_for_update().get(pk=study.pk)
    changed = []
    for name, value in texts.items():
        value = _normalised(value or "")
        if value == getattr(study, name):
            continue
        if study.is_frozen and name in REPORT_PROTOCOL_TEXTS:
            raise ProtocolFrozen(
                _(
                    "“%(field)s” is part of the protocol, frozen when round 1 opened: it can "
                    "no longer be changed."
                )
                % {"field": Study._meta.get_field(name).verbose_name}
            )
        setattr(study, name, value)
        changed.append(name)
    if changed:
        study.save(update_fields=changed)
    return study
