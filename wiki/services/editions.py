"""Publishing and reading editions (wiki.models.Edition).

`edition_publish` freezes what the public reads of a référentiel at that moment (its published
pages, wiki.snapshots) under the next version number: 1.0 for the first edition, then x.y+1
for a minor amendment and x+1.0 for a major revision. The provenance (decisions, votes,
studies) comes from the consensus side as plain data: the wiki never imports consensus.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext as _

from wiki import signals, visibility
from wiki.models import Edition, EditionRefused, ReferentielPage
from wiki.rendering import links_version_bump
from wiki.snapshots import (
    ReferentielSnapshot,
    referentiel_snapshot_live,
    snapshot_digest,
    snapshot_from_json,
    snapshot_to_json,
)

SOCLE_SLUG = "socle-numerique-en-sante"
VERSION_RE = re.compile(r"^(\d{1,4})\.(\d{1,4})$")


def version_parse(version: str) -> tuple[int, int] | None:
    """(major, minor) of « 1.0 », or None when it is not a version number."""
    match = VERSION_RE.match(version or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def _light(queryset):
    """Editions without their snapshot loaded (it loads on first use): its title suffices
    to show a page whose body comes from the cache."""
    return queryset.defer("snapshot", "provenance").annotate(snapshot_title=KT("snapshot__title"))


def edition_latest(referentiel: ReferentielPage) -> Edition | None:
    return _light(Edition.objects.for_referentiel(referentiel)).newest_first().first()


def editions_of(referentiel: ReferentielPage):
    """Every edition of `referentiel`, newest first, without their (large) snapshots."""
    return (
        Edition.objects.for_referentiel(referentiel)
        .newest_first()
        .defer("snapshot", "provenance", "changelog")
    )


def edition_get(slug: str, version: str) -> Edition | None:
    """The edition `version` of the référentiel whose slug is `slug` today, or, failing that,
    whose slug was `slug` when the edition was published."""
    parsed = version_parse(version)
    if parsed is None:
        return None
    major, minor = parsed
    editions = _light(Edition.objects.filter(major=major, minor=minor)).select_related(
        "referentiel"
    )
    return (
        editions.filter(referentiel__slug=slug).first()
        or editions.filter(slug=slug).order_by("-published_at").first()
    )


def edition_previous(edition: Edition) -> Edition | None:
    """The edition published just before `edition` for the same référentiel."""
    earlier = Q(major__lt=edition.major) | Q(major=edition.major, minor__lt=edition.minor)
    return (
        Edition.objects.filter(earlier, referentiel_id=edition.referentiel_id)
        .newest_first()
        .first()
    )


def edition_snapshot(edition: Edition) -> ReferentielSnapshot:
    return snapshot_from_json(edition.snapshot)


def _next_version(latest: Edition | None, kind: str) -> tuple[int, int]:
    if kind not in Edition.Kind.values:
        raise EditionRefused(_("The kind of an edition is « major » or « minor »."))
    if latest is None:
        if kind == Edition.Kind.MINOR:
            raise EditionRefused(
                _("The first edition of a référentiel is a major one: it is version 1.0.")
            )
        return 1, 0
    if kind == Edition.Kind.MAJOR:
        return latest.major + 1, 0
    return latest.major, latest.minor + 1


def _version_checked(latest: Edition | None, kind: str, version: str) -> tuple[int, int]:
    parsed = version_parse(version)
    if parsed is None:
        raise EditionRefused(
            _("« %(version)s » is not a version number (for example 1.0).") % {"version": version}
        )
    if latest is not None and parsed <= (latest.major, latest.minor):
        raise EditionRefused(
            _(
                "Version %(version)s does not follow the latest edition (%(latest)s): a version "
                "number never goes backwards nor repeats."
            )
            % {"version": version, "latest": latest.version}
        )
    major, minor = parsed
    if major < 1 or (kind == Edition.Kind.MAJOR) != (minor == 0):
        raise EditionRefused(
            _("Version %(version)s does not match a %(kind)s edition.")
            % {"version": version, "kind": Edition.Kind(kind).label}
        )
    return parsed


@transaction.atomic
def edition_publish(
    *,
    referentiel: ReferentielPage,
    kind: str,
    user=None,
    provenance: dict | None = None,
    changelog: str = "",
    version: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Edition:
    """Freeze the published pages of `referentiel` as its next edition.

    `version` may name the number wanted; one that goes backwards or repeats is refused
    (EditionRefused, a French message), and so is a référentiel that is not published."""
    # One publication at a time per référentiel: the row lock orders concurrent ones.
    referentiel = ReferentielPage.objects.select_for_update().get(pk=referentiel.pk)
    if not visibility.may_read_published(visibility.PUBLIC, referentiel):
        raise EditionRefused(
            _("« %(title)s » is not published: it cannot have an edition.")
            % {"title": referentiel.title}
        )
    latest = edition_latest(referentiel)
    if version is None:
        major, minor = _next_version(latest, kind)
    else:
        _next_version(latest, kind)  # the kind's own rules (a first edition is major)
        major, minor = _version_checked(latest, kind, version)
    data = snapshot_to_json(referentiel_snapshot_live(referentiel, progress=progress))
    if referentiel.slug == SOCLE_SLUG:
        socle_version = f"{major}.{minor}"
    else:
        socle = Edition.objects.filter(referentiel__slug=SOCLE_SLUG).newest_first().first()
        socle_version = socle.version if socle is not None else ""
    edition = Edition(
        referentiel=referentiel,
        slug=referentiel.slug,
        major=major,
        minor=minor,
        kind=kind,
        # Whole seconds: Django serialises datetimes to the millisecond (fixtures, dumps).
        published_at=timezone.now().replace(microsecond=0),
        published_by=user if user is not None and user.is_authenticated else None,
        snapshot=data,
        digest=snapshot_digest(data),
        provenance=provenance or {},
        changelog=changelog,
        socle_version=socle_version,
    )
    try:
        with transaction.atomic():
            edition.save()
    except IntegrityError:
        # The database's guards (unique version, versions only go forward).
        raise EditionRefused(
            _("Version %(version)s of this référentiel already exists or is older than the latest.")
            % {"version": edition.version}
        ) from None
    # Pages that list editions (the home page) are kept by the full-page cache until the
    # published content's version moves (wiki/page_cache.py).
    transaction.on_commit(links_version_bump)
    # Its files are built ahead (wiki.views.editions.edition_published_files_build, connected
    # in wiki.apps); robust: never a reason for the publication to fail.
    transaction.on_commit(
        lambda: signals.edition_published.send(sender=Edition, edition_id=edition.pk),
        robust=True,
    )
    return edition
