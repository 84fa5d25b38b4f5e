"""Amendments to a published edition: proposal, decision, short Delphi cycle, minor edition.

- ``amendment_propose``: a signed-in reader of the référentiel proposes a new wording of one
  competency (by its stable code) of the référentiel's **latest** edition.
- ``amendment_decide``: the référent or the steering committee accepts or refuses it, once.
- ``amendment_study_open``: a facilitator opens the short cycle, one Delphi study with a
  single round whose items are the accepted amendments' proposed wordings (the panel of the
  référentiel's previous study unless another is given).
- The round closes and the committee records its decisions as for any study
  (``decisions.decision_record``: « reword » adopts, « keep » rejects); « Appliquer les
  décisions du comité » (``lifecycle.decisions_apply``) writes the adopted wording in a draft
  revision that cites the amendment, then calls ``amendments_conclude``.
- ``amendment_edition_publish``: the committee publishes the revisions the decisions wrote and
  freezes the référentiel as its next **minor** edition (``wiki.services.editions``), whose
  provenance names the amendments.

Every refusal is an :class:`AmendmentRefused` with a French message; nothing is stored."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consensus import permissions
from consensus.exceptions import ConsensusError
from consensus.models import Amendment, Decision, Study
from consensus.services.rounds import round_open
from consensus.services.studies import PROTOCOL_FIELDS, ItemSpec, study_create
from wiki import visibility
from wiki.models import CompetencyPage, Edition, LearningOutcome, ReferentielPage
from wiki.services.editions import edition_get, edition_latest, edition_publish, edition_snapshot

TITLE_MAX_LENGTH = 255
TEXT_MAX_LENGTH = 5000


class AmendmentRefused(ConsensusError):
    default_message = _("This amendment cannot be recorded.")


def _iso(value) -> str:
    return value.isoformat() if value is not None else ""


def _latest_or_refuse(edition: Edition, *, action: str) -> Edition:
    latest = edition_latest(edition.referentiel)
    if latest is None or latest.pk != edition.pk:
        raise AmendmentRefused(
            _(
                "Edition %(version)s is not the latest edition of this référentiel: %(action)s "
                "edition %(latest)s, its latest."
            )
            % {"version": edition.version, "action": action, "latest": latest.version}
        )
    return latest


def amendable_edition(*, user, slug: str, version: str) -> Edition:
    """The edition ``version`` of référentiel ``slug`` if ``user`` may propose an amendment to
    it; otherwise AmendmentRefused saying why (not signed in, no such edition, not the
    latest)."""
    if user is None or not user.is_authenticated:
        raise AmendmentRefused(_("Sign in to propose an amendment."))
    edition = edition_get(slug, version)
    reader = visibility.reader_for(user)
    if edition is None or not visibility.may_view_page(reader, edition.referentiel):
        referentiel = ReferentielPage.objects.filter(slug=slug).first()
        latest = (
            edition_latest(referentiel)
            if referentiel is not None and visibility.may_view_page(reader, referentiel)
            else None
        )
        if latest is not None:
            raise AmendmentRefused(
                _(
                    "Edition %(version)s of « %(slug)s » does not exist: an amendment amends a "
                    "published edition (the latest is %(latest)s)."
                )
                % {"version": version, "slug": slug, "latest": latest.version}
            )
        raise AmendmentRefused(
            _(
                "Edition %(version)s of « %(slug)s » does not exist: an amendment amends a "
                "published edition."
            )
            % {"version": version, "slug": slug}
        )
    _latest_or_refuse(edition, action=_("propose your amendment to"))
    return edition


def edition_competency(edition: Edition, code: str):
    """The competency ``code`` as the edition froze it, or None."""
    return next((c for c in edition_snapshot(edition).competencies if c.code == code), None)


def _clean_text(value: str, label: str, *, required: bool, limit: int) -> str:
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not value:
        raise AmendmentRefused(_("%(field)s cannot be empty.") % {"field": label})
    if len(value) > limit:
        raise AmendmentRefused(
            _("%(field)s is too long (at most %(n)d characters).") % {"field": label, "n": limit}
        )
    return value


@transaction.atomic
def amendment_propose(
    *,
    user,
    slug: str,
    version: str,
    code: str,
    title: str,
    statement: str,
    rationale: str,
    learning_outcomes: str = "",
) -> Amendment:
    """Record a proposed new wording of competency ``code`` of edition ``version``."""
    edition = amendable_edition(user=user, slug=slug, version=version)
    # The référentiel's row lock orders proposals after a publication in flight
    # (edition_publish holds it), so « the latest edition » stays true until commit.
    ReferentielPage.objects.select_for_update().filter(pk=edition.referentiel_id).first()
    _latest_or_refuse(edition, action=_("propose your amendment to"))
    competency = edition_competency(edition, code)
    if competency is None:
        raise AmendmentRefused(
            _("Competency %(code)s is not in edition %(version)s of this référentiel.")
            % {"code": code, "version": edition.version}
        )
    title = _clean_text(title, _("The proposed title"), required=True, limit=TITLE_MAX_LENGTH)
    statement = _clean_text(
        statement, _("The proposed statement"), required=True, limit=TEXT_MAX_LENGTH
    )
    outcomes = "\n".join(
        line.strip()
        for line in _clean_text(
            learning_outcomes, _("The learning outcomes"), required=False, limit=TEXT_MAX_LENGTH
        ).splitlines()
        if line.strip()
    )
    if any(len(line) > 500 for line in outcomes.splitlines()):
        raise AmendmentRefused(_("A learning outcome is at most 500 characters long."))
    rationale = _clean_text(rationale, _("The rationale"), required=True, limit=TEXT_MAX_LENGTH)
    same_outcomes = not outcomes or outcomes.splitlines() == list(competency.learning_outcomes)
    if title == competency.title and statement == competency.statement and same_outcomes:
        raise AmendmentRefused(
            _("The proposed wording is the wording of edition %(version)s: nothing to amend.")
            % {"version": edition.version}
        )
    amendment = Amendment(
        edition=edition,
        code=code,
        proposed_by=user,
        current_title=competency.title,
        current_statement=competency.statement,
        title=title,
        statement=statement,
        learning_outcomes=outcomes,
        rationale=rationale,
    )
    amendment._history_user = user
    try:
        with transaction.atomic():
            amendment.save()
    except IntegrityError:
        raise AmendmentRefused(
            _(
                "You already have an amendment under way on %(code)s of edition %(version)s: "
                "this one was not recorded."
            )
            % {"code": code, "version": edition.version}
        ) from None
    return amendment


def _locked(amendment: Amendment) -> Amendment:
    return (
        Amendment.objects.select_for_update(of=("self",))
        .select_related("edition__referentiel")
        .get(pk=amendment.pk)
    )


@transaction.atomic
def amendment_decide(*, user, amendment: Amendment, accept: bool, reasons: str = "") -> Amendment:
    """The référent or the steering committee accepts the amendment for study, or refuses it
    with reasons; an amendment is decided once."""
    referentiel = amendment.edition.referentiel
    if not permissions.can_decide_amendment(user, referentiel):
        raise AmendmentRefused(
            _(
                "Only the référent of this référentiel and the steering committee accept or "
                "refuse an amendment: your decision was not recorded."
            )
        )
    # The row lock serialises two decisions racing: the second sees the first.
    amendment = _locked(amendment)
    if amendment.status != Amendment.Status.PROPOSED:
        raise AmendmentRefused(
            _(
                "This amendment was already decided (%(status)s, %(date)s): the second decision "
                "was not recorded."
            )
            % {
                "status": amendment.get_status_display(),
                "date": timezone.localtime(amendment.decided_at).strftime("%d/%m/%Y %H:%M"),
            }
        )
    reasons = _clean_text(reasons, _("The reasons"), required=not accept, limit=TEXT_MAX_LENGTH)
    if accept:
        _latest_or_refuse(amendment.edition, action=_("amendments now go to"))
    amendment.status = Amendment.Status.ACCEPTED if accept else Amendment.Status.REFUSED
    amendment.decided_by = user
    amendment.decided_at = timezone.now()
    amendment.decision_reasons = reasons
    amendment._history_user = user
    amendment.save()
    return amendment


def _previous_study(referentiel) -> Study | None:
    return (
        Study.objects.filter(referentiel=referentiel, panelists__isnull=False)
        .distinct()
        .order_by("-created_at", "-pk")
        .first()
    )


def _item_context(amendment: Amendment) -> str:
    parts = [amendment.statement]
    if amendment.learning_outcomes:
        parts.append(
            _("Proposed learning outcomes: %(outcomes)s")
            % {"outcomes": " ; ".join(amendment.learning_outcomes_list())}
        )
    parts.append(_("Rationale: %(rationale)s") % {"rationale": amendment.rationale})
    parts.append(
        _("Wording of edition %(version)s: %(title)s — %(statement)s")
        % {
            "version": amendment.edition.version,
            "title": amendment.current_title,
            "statement": amendment.current_statement,
        }
    )
    return "\n\n".join(parts)


@transaction.atomic
def amendment_study_open(
    *,
    user,
    amendments: Sequence[Amendment],
    panel: Iterable[tuple[Any, str]] | None = None,
) -> Study:
    """Open the short cycle of accepted amendments of one edition: a Delphi study with a
    single round whose items are the proposed wordings. The panel defaults to the panel of
    the référentiel's previous study; the protocol too (one round)."""
    if not permissions.can_create_study(user):
        raise PermissionDenied
    if not amendments:
        raise AmendmentRefused(_("Choose at least one accepted amendment."))
    locked = [_locked(a) for a in sorted(amendments, key=lambda a: a.pk)]
    editions = {a.edition_id for a in locked}
    if len(editions) > 1:
        raise AmendmentRefused(_("One study takes the amendments of one edition only."))
    for amendment in locked:
        if amendment.status != Amendment.Status.ACCEPTED:
            raise AmendmentRefused(
                _("Amendment #%(n)s is not waiting for its study (%(status)s).")
                % {"n": amendment.pk, "status": amendment.get_status_display()}
            )
    codes = [a.code for a in locked]
    if len(set(codes)) != len(codes):
        raise AmendmentRefused(
            _("Two amendments on the same competency go to separate studies: choose one of them.")
        )
    edition = locked[0].edition
    referentiel = edition.referentiel
    _latest_or_refuse(edition, action=_("amendments now go to"))
    pages = {
        p.code: p
        for p in CompetencyPage.objects.descendant_of(referentiel)
        .filter(code__in=codes)
        .select_related("latest_revision")
    }
    missing = [code for code in codes if code not in pages]
    if missing:
        raise AmendmentRefused(
            _("The competency page %(codes)s is no longer in the référentiel.")
            % {"codes": ", ".join(missing)}
        )
    previous = _previous_study(referentiel)
    if panel is None:
        panel = (
            [(p.user, p.category) for p in previous.panelists.select_related("user")]
            if previous is not None
            else []
        )
    panel = list(panel)
    if not panel:
        raise AmendmentRefused(
            _("No panel: this référentiel has no previous Delphi study whose panel to ask.")
        )
    protocol = {f: getattr(previous, f) for f in PROTOCOL_FIELDS} if previous else {}
    protocol.update(rounds_planned=1, max_rounds=1)
    protocol["min_ballots"] = min(protocol.get("min_ballots", 5), max(3, len(panel)))
    items = [
        ItemSpec(
            code=a.code,
            text=a.title,
            context=_item_context(a),
            page=pages[a.code],
            revision=pages[a.code].latest_revision,
        )
        for a in locked
    ]
    study = study_create(
        user=user,
        title=_("Amendments to edition %(version)s — %(title)s")
        % {"version": edition.version, "title": referentiel.title},
        referentiel=referentiel,
        items=items,
        panel=panel,
        **protocol,
    )
    round_open(user=user, study=study)
    by_code = {item.code: item for item in study.items.all()}
    for amendment in locked:
        amendment.status = Amendment.Status.IN_STUDY
        amendment.study = study
        amendment.item = by_code[amendment.code]
        amendment._history_user = user
        amendment.save()
    return study


# --- Applying the committee's decision -----------------------------------------------------


def amendment_draft_apply(draft: CompetencyPage, decision: Decision) -> bool:
    """On top of the decision's wording (``decisions_apply`` writes the statement), an adopted
    amendment also writes its proposed title and learning outcomes in the draft. Whether the
    draft changed."""
    amendment = Amendment.objects.filter(item_id=decision.item_id).first()
    if amendment is None or decision.decision != Decision.Choice.REWORD:
        return False
    changed = False
    if amendment.title and draft.title != amendment.title:
        draft.title = amendment.title
        changed = True
    outcomes = amendment.learning_outcomes_list()
    if outcomes and [o.text for o in draft.learning_outcomes.all()] != outcomes:
        draft.learning_outcomes = [
            LearningOutcome(text=text, sort_order=i) for i, text in enumerate(outcomes)
        ]
        changed = True
    return changed


def amendment_citation(decision: Decision) -> str:
    """« amendment #n to edition x.y » for the change summary of the revision, or ""."""
    amendment = Amendment.objects.filter(item_id=decision.item_id).select_related("edition").first()
    if amendment is None:
        return ""
    return _("amendment #%(n)s to edition %(version)s") % {
        "n": amendment.pk,
        "version": amendment.edition.version,
    }


def amendments_conclude(*, referentiel) -> int:
    """After the decisions are applied: each studied amendment whose decision is applied is
    adopted (« reword ») or rejected (« keep »). How many changed."""
    changed = 0
    amendments = (
        Amendment.objects.select_for_update(of=("self",))
        .filter(
            edition__referentiel=referentiel,
            status__in=(Amendment.Status.IN_STUDY, Amendment.Status.ADOPTED),
        )
        .select_related("item__decision__application")
    )
    for amendment in amendments:
        decision = getattr(amendment.item, "decision", None)
        application = getattr(decision, "application", None) if decision else None
        if application is None or not application.matches(decision):
            continue
        status = (
            Amendment.Status.ADOPTED
            if decision.decision == Decision.Choice.REWORD
            else Amendment.Status.REJECTED
        )
        if status != amendment.status:
            amendment.status = status
            amendment.concluded_at = timezone.now()
            amendment._history_user = application.applied_by
            amendment.save()
            changed += 1
    return changed


# --- The minor edition ---------------------------------------------------------------------


def _provenance(amendments: list[Amendment]) -> dict:
    """The amendments, their studies and decisions as plain data (no person's name)."""
    studies = {}
    for a in amendments:
        study = a.study
        closed = [r.closed_at for r in study.rounds.all() if r.closed_at is not None]
        studies[study.pk] = {
            "id": study.pk,
            "title": study.title,
            "rounds": len(closed),
            "items": study.items.count(),
            "panelists": study.panelists.count(),
            "closed_at": _iso(max(closed) if closed else None),
        }
    return {
        "source": "amendment",
        "amendments": [
            {
                "id": a.pk,
                "item": a.code,
                "edition": a.edition.version,
                "title": a.title,
                "statement": a.statement,
                "previous_title": a.current_title,
                "previous_statement": a.current_statement,
                "rationale": a.rationale,
                "proposed_at": _iso(a.proposed_at),
                "accepted_at": _iso(a.decided_at),
                "study": a.study.title,
            }
            for a in amendments
        ],
        "studies": list(studies.values()),
        "decisions": [
            {
                "study": a.study.title,
                "item": a.code,
                "choice": a.item.decision.decision,
                "wording": a.item.decision.wording,
                "rationale": a.item.decision.rationale,
                "decided_at": _iso(a.item.decision.decided_at),
            }
            for a in amendments
        ],
        "votes": [],
    }


@transaction.atomic
def amendment_edition_publish(*, user, referentiel) -> Edition:
    """Publish the revisions the adopted amendments' decisions wrote and freeze the référentiel
    as its next minor edition, naming the amendments."""
    if not permissions.can_publish_amendments(user):
        raise PermissionDenied
    amendments = list(
        Amendment.objects.select_for_update(of=("self",))
        .filter(edition__referentiel=referentiel, status=Amendment.Status.ADOPTED)
        .select_related("edition", "study", "item__decision__application__revision")
        .order_by("code", "pk")
    )
    if not amendments:
        raise AmendmentRefused(_("No adopted amendment waits for publication."))
    for amendment in amendments:
        _latest_or_refuse(amendment.edition, action=_("amendments now go to"))
        decision = amendment.item.decision
        application = getattr(decision, "application", None)
        if application is None or not application.matches(decision):
            raise AmendmentRefused(
                _(
                    "The committee's decision on %(code)s changed since it was applied: apply "
                    "the decisions again before publishing."
                )
                % {"code": amendment.code}
            )
    for amendment in amendments:
        revision = amendment.item.decision.application.revision
        if revision is not None:
            # What the cycle adopted, not a later draft (an editor's newer draft stays a draft).
            revision.publish(user=user, skip_permission_checks=True)
    edition = edition_publish(
        referentiel=referentiel,
        kind=Edition.Kind.MINOR,
        user=user,
        provenance=_provenance(amendments),
        changelog=_("Minor edition from the amendments to edition %(version)s: %(codes)s.")
        % {
            "version": amendments[0].edition.version,
            "codes": ", ".join(a.code for a in amendments),
        },
    )
    for amendment in amendments:
        amendment.status = Amendment.Status.PUBLISHED
        amendment.published_edition = edition
        amendment._history_user = user
        amendment.save()
    return edition
