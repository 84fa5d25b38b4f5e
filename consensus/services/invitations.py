"""Invitations and reminders by e-mail, each with a personal sign-in link (no password).

A link is a random 256-bit token; the database keeps only its SHA-256, with an expiry and the
time it was used. Each e-mail is addressed to its one recipient (no CC, no BCC, no other name):
a reminder reveals to nobody else who has not answered. Facilitators see who has not answered
(they send the reminders), never what anyone rated (« Panelist anonymity » in ARCHITECTURE.md).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consensus import permissions
from consensus.exceptions import (
    RoundStateError,
    SignInLinkExpired,
    SignInLinkInvalid,
    SignInLinkUsed,
)
from consensus.models import Ballot, Panelist, Round, SignInLink, Study

# How long a link sent by e-mail stays valid.
SIGNIN_LINK_LIFETIME = timedelta(days=14)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_allowed(user) -> bool:
    """Accounts that can reach the admin sign in with their password, never by e-mail link."""
    return bool(user.is_active and user.email and not user.is_superuser and not user.is_staff)


def signin_link_create(*, user, study: Study, purpose: str) -> str:
    """A new link's token (to put in the e-mail; it is not stored)."""
    token = secrets.token_urlsafe(32)
    SignInLink.objects.create(
        user=user,
        study=study,
        purpose=purpose,
        token_hash=_hash(token),
        expires_at=timezone.now() + SIGNIN_LINK_LIFETIME,
    )
    return token


def signin_link_check(token: str) -> SignInLink:
    """The link of ``token`` if it can still sign in, else the reason (a ``SignInLinkInvalid``)."""
    if not token or len(token) > 100:
        raise SignInLinkInvalid
    link = (
        SignInLink.objects.select_related("user", "study").filter(token_hash=_hash(token)).first()
    )
    if link is None or not link_allowed(link.user):
        raise SignInLinkInvalid
    if link.used_at is not None:
        raise SignInLinkUsed
    if link.expires_at <= timezone.now():
        raise SignInLinkExpired
    return link


@transaction.atomic
def signin_link_use(token: str) -> SignInLink:
    """Spend the link: once only, even under concurrent requests. Returns the link (its user
    is then logged in by the view)."""
    link = signin_link_check(token)
    now = timezone.now()
    spent = SignInLink.objects.filter(pk=link.pk, used_at=None, expires_at__gt=now).update(
        used_at=now
    )
    if not spent:
        raise SignInLinkUsed
    link.used_at = now
    return link


@dataclass(frozen=True)
class MailingReport:
    sent: int
    skipped: int  # panelists without a usable e-mail address or allowed a link


def _message(
    panelist: Panelist, study: Study, delphi_round: Round | None, purpose: str, base_url: str
):
    user = panelist.user
    token = signin_link_create(user=user, study=study, purpose=purpose)
    context = {
        "name": user.get_full_name() or user.get_username(),
        "study": study,
        "round": delphi_round,
        "link": base_url.rstrip("/") + reverse("consensus:signin-link", args=[token]),
        "expires": timezone.localtime(timezone.now() + SIGNIN_LINK_LIFETIME),
    }
    if purpose == SignInLink.Purpose.REMINDER:
        subject = _("Reminder: your ballot for %(title)s, round %(n)d") % {
            "title": study.title,
            "n": delphi_round.number,
        }
        body = render_to_string("consensus/emails/reminder.txt", context)
    else:
        subject = _("Invitation to the Delphi study %(title)s") % {"title": study.title}
        body = render_to_string("consensus/emails/invitation.txt", context)
    # One recipient per message: nobody learns who else was invited or reminded.
    return EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )


def _send(messages: list[EmailMessage]) -> None:
    if messages:
        transaction.on_commit(lambda: get_connection().send_messages(messages))


@transaction.atomic
def invitations_send(*, user, study: Study, base_url: str) -> MailingReport:
    """E-mail every panelist not invited yet a personal sign-in link."""
    if not permissions.can_manage_study(user, study):
        raise PermissionDenied
    panelists = list(
        Panelist.objects.select_for_update()
        .filter(study=study, invitation_sent_at=None)
        .select_related("user")
    )
    delphi_round = study.rounds.open().first()
    messages, skipped = [], 0
    for panelist in panelists:
        if not link_allowed(panelist.user):
            skipped += 1
            continue
        messages.append(
            _message(panelist, study, delphi_round, SignInLink.Purpose.INVITATION, base_url)
        )
        panelist.invitation_sent_at = timezone.now()
        panelist.save(update_fields=["invitation_sent_at"])
    _send(messages)
    return MailingReport(sent=len(messages), skipped=skipped)


def pending_panelists(delphi_round: Round) -> list[Panelist]:
    """Panelists of the round's study who have not submitted it (the facilitator's list)."""
    submitted = Ballot.objects.filter(round=delphi_round, submitted_at__isnull=False).values(
        "panelist_id"
    )
    return list(
        Panelist.objects.filter(study_id=delphi_round.study_id)
        .exclude(pk__in=submitted)
        .select_related("user")
        .order_by("pk")
    )


@transaction.atomic
def reminders_send(*, user, delphi_round: Round, base_url: str) -> MailingReport:
    """E-mail each panelist who has not submitted the open round a reminder with a new link."""
    study = delphi_round.study
    if not permissions.can_manage_study(user, study):
        raise PermissionDenied
    if not delphi_round.is_open:
        raise RoundStateError(_("Reminders are sent for the open round only."))
    messages, skipped = [], 0
    for panelist in pending_panelists(delphi_round):
        if not link_allowed(panelist.user):
            skipped += 1
            continue
        messages.append(
            _message(panelist, study, delphi_round, SignInLink.Purpose.REMINDER, base_url)
        )
    _send(messages)
    return MailingReport(sent=len(messages), skipped=skipped)
