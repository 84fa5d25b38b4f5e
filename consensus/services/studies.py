"""Creating a study, its panel and items; changing its protocol before it is frozen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from consensus import audit, permissions
from consensus.exceptions import InvalidProtocol, ProtocolFrozen, RewordNotAllowed
from consensus.models import Item, ItemVersion, Panelist, Study
from consensus.rules import ConsensusRule, Scale
from wiki.models import CompetencyPage

PROTOCOL_FIELDS = (
    "scale_min",
    "scale_max",
    "agree_from",
    "disagree_to",
    "threshold",
    "median_min",
    "rounds_planned",
    "max_rounds",
    "stop_when_all_classified",
    "stability_max_net_change",
    "min_ballots",
)


@dataclass(frozen=True)
class ItemSpec:
    code: str
    text: str
    context: str = ""
    page: Any = None  # wagtail Page
    revision: Any = None  # wagtail Revision


def _protocol_check(study: Study) -> None:
    """Reuse the pure value objects' validation, with a translated message."""
    try:
        Scale(study.scale_min, study.scale_max)
        ConsensusRule(
            agree_from=study.agree_from,
            disagree_to=study.disagree_to,
            threshold=study.threshold,
            median_min=study.median_min,
        )
    except ValueError as error:
        raise InvalidProtocol(
            _("The protocol is not valid: %(error)s") % {"error": error}
        ) from None
    try:
        study.full_clean(exclude=["created_by", "referentiel"])
    except ValidationError as error:
        raise InvalidProtocol("; ".join(error.messages)) from None


def items_from_referentiel(referentiel) -> list[ItemSpec]:
    """One item per competency page of the référentiel, tied to the page's latest revision."""
    pages = CompetencyPage.objects.descendant_of(referentiel).order_by("path")
    specs = []
    for page in pages.select_related("latest_revision"):
        revision = page.latest_revision
        # The wording is the revision's, so a later edit of the page does not change the item.
        content = revision.as_object() if revision else page
        specs.append(
            ItemSpec(
                code=page.code,
                text=content.title,
                context=content.statement,
                page=page,
                revision=revision,
            )
        )
    return specs


@transaction.atomic
def study_create(
    *,
    user,
    title: str,
    referentiel=None,
    items: Iterable[ItemSpec] | None = None,
    panel: Iterable[tuple[Any, str]] = (),
    new_panelists: Iterable[tuple[str, str]] = (),
    **protocol: Any,
) -> Study:
    """Create a study with its protocol, panel ``[(user, category)]`` and items.

    ``new_panelists`` ``[(e-mail, category)]`` get a panelist account without a password (they
    sign in through the link of their invitation e-mail). Items default to the référentiel's
    competency pages.
    """
    if not permissions.can_create_study(user):
        raise PermissionDenied
    unknown = set(protocol) - set(PROTOCOL_FIELDS)
    if unknown:
        raise TypeError(f"unknown protocol fields: {sorted(unknown)}")
    study = Study(title=title, referentiel=referentiel, created_by=user, **protocol)
    _protocol_check(study)
    study.save()
    if items is None:
        items = items_from_referentiel(referentiel) if referentiel is not None else []
    for position, spec in enumerate(items):
        item = Item.objects.create(study=study, code=spec.code, position=position, page=spec.page)
        ItemVersion.objects.create(
            item=item, number=1, text=spec.text, context=spec.context, revision=spec.revision
        )
    for panel_user, category in panel:
        Panelist.objects.create(study=study, user=panel_user, category=category)
    for email, category in new_panelists:
        Panelist.objects.create(study=study, user=panelist_account_create(email), category=category)
    log(instance=study, action=audit.STUDY_CREATE, user=user, title=study.title)
    return study


def panelist_account_create(email: str):
    """An account in the panelists' group for ``email`` (its username), with no usable
    password; an existing account of that address is returned as is."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from wiki.services.roles import PANELISTS

    users = get_user_model().objects
    user = users.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = users.create_user(username=email[:150], email=email)  # no password: unusable
        user.groups.add(Group.objects.get_or_create(name=PANELISTS)[0])
    return user


def _lock(study: Study) -> Study:
    return Study.objects.select_for_update().get(pk=study.pk)


@transaction.atomic
def study_protocol_update(*, user, study: Study, **protocol: Any) -> Study:
    if not permissions.can_manage_study(user, study):
        raise PermissionDenied
    study = _lock(study)
    if study.is_frozen:
        raise ProtocolFrozen
    for field, value in protocol.items():
        if field not in PROTOCOL_FIELDS:
            raise TypeError(f"{field} is not a protocol field")
        setattr(study, field, value)
    _protocol_check(study)
    study.save()
    return study


@transaction.atomic
def panelist_add(*, user, study: Study, panel_user, category: str) -> Panelist:
    if not permissions.can_manage_study(user, study):
        raise PermissionDenied
    study = _lock(study)
    if study.is_frozen:
        raise ProtocolFrozen
    panelist, _created = Panelist.objects.update_or_create(
        study=study, user=panel_user, defaults={"category": category}
    )
    return panelist


@transaction.atomic
def item_reword(*, user, item: Item, text: str, context: str | None = None) -> ItemVersion:
    """A new wording makes a new version; ratings already given stay on the old one."""
    if not permissions.can_manage_study(user, item.study):
        raise PermissionDenied
    study = _lock(item.study)
    if study.rounds.open().exists():
        raise RewordNotAllowed
    text = text.strip()
    if not text:
        raise InvalidProtocol(_("The wording cannot be empty."))
    current = item.current_version()
    if (
        current is not None
        and current.text == text
        and (context is None or context == current.context)
    ):
        return current
    return ItemVersion.objects.create(
        item=item,
        number=(current.number + 1) if current else 1,
        text=text,
        context=current.context if context is None and current else (context or ""),
        revision=None,
    )
