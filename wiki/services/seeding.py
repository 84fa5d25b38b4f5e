"""Load the seed data of `fixtures/` into the database. Idempotent: what exists is left alone,
so running it twice changes nothing and editors' later changes are never overwritten."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Locale, Page, Site

from wiki.models import (
    AmiCmaAction,
    AmiCmaProject,
    CompetencyPage,
    DomainPage,
    EvaluationMethod,
    HomePage,
    Institution,
    LearningOutcome,
    PlanPost,
    Profession,
    ReferentielPage,
    Specialty,
)
from wiki.services import institutions, roles

EVALUATION_METHODS = {
    "ecos": "ECOS",
    "simulation": "Simulation",
    "portfolio": "Portfolio",
    "written_test": "Épreuve écrite",
    "direct_observation": "Observation directe",
}

SOCLE_SLUG = "socle-numerique-en-sante"

HOME_INTRO = """\
Le **wiki IA_SaNSeS** (*Intelligence Artificielle et Santé Numérique pour les Spécialités en \
Santé*) est l'espace où les collèges de spécialité rédigent ensemble les référentiels de \
compétences en santé numérique et en IA des 2e et 3e cycles des études de santé.

Les items sont retenus par un consensus Delphi, le comité de pilotage valide chaque version au \
fil des quatre phases du programme, et chacun peut consulter, rechercher et télécharger les \
référentiels publiés.
"""


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())


def _load(name: str) -> dict | list:
    path = Path(settings.FIXTURES_DIR) / name
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def initial_data_load(*, with_accounts: bool = True) -> SeedReport:
    report = SeedReport()
    _institutions_load(report)
    _professions_load(report)
    _ami_cma_load(report)
    for code, name in EVALUATION_METHODS.items():
        _obj, created = EvaluationMethod.objects.get_or_create(code=code, defaults={"name": name})
        report.count("evaluation_methods", created)
    home = _home_ensure(report)
    roles.role_groups_ensure(home)
    _referentiel_load(home, _load("socle.json"), live=True, report=report)
    for pilot in ("pilot_radiologie.json", "pilot_medecine_generale.json"):
        _referentiel_load(home, _load(pilot), live=False, report=report)
    _socle_edition_ensure(report)
    if with_accounts:
        _accounts_load(report)
    return report


def _socle_edition_ensure(report: SeedReport) -> None:
    """The socle (arrêté du 10 novembre 2022) is published edition 1.0."""
    from wiki.services.editions import edition_publish

    socle = ReferentielPage.objects.filter(slug=SOCLE_SLUG, live=True).first()
    if socle is None or socle.editions.exists():
        return
    edition_publish(
        referentiel=socle,
        kind="major",
        provenance={"source": "seed"},
        changelog="Édition initiale : le socle de l’arrêté du 10 novembre 2022.",
    )
    report.count("editions", True)


def _institutions_load(report: SeedReport) -> None:
    data = _load("specialties.json")
    for item in data.get("other_institutions", []):
        _obj, created = Institution.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "acronym": item.get("acronym", ""),
                "kind": item.get("kind", Institution.Kind.COORDINATION),
            },
        )
        report.count("institutions", created)
    for item in data["specialties"]:
        college_data = item["college"]
        college, created = Institution.objects.get_or_create(
            slug=college_data["slug"],
            defaults={
                "name": college_data["name"],
                "acronym": college_data.get("acronym", ""),
                "kind": Institution.Kind.COLLEGE,
            },
        )
        report.count("institutions", created)
        roles.college_editors_group_ensure(college)
        _obj, created = Specialty.objects.get_or_create(
            slug=item["slug"], defaults={"name": item["name"], "college": college}
        )
        report.count("specialties", created)


def _professions_load(report: SeedReport) -> None:
    data = _load("professions.json")
    for item in data["socle_professions"]:
        _obj, created = Profession.objects.get_or_create(
            slug=item["slug"],
            defaults={"name": item["name"], "kind": Profession.Kind.PROFESSION, "in_socle": True},
        )
        report.count("professions", created)
    for item in data["target_professions"]:
        _obj, created = Profession.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "kind": item.get("kind", Profession.Kind.FIELD),
                "is_target": True,
            },
        )
        report.count("professions", created)


def _universities(label: str, report: SeedReport) -> list[Institution]:
    found = institutions.universities_ensure(label)
    for _institution, created in found:
        report.count("institutions", created)
    return [institution for institution, _created in found]


def _ami_cma_load(report: SeedReport) -> None:
    data = _load("ami_cma.json")
    actions = {}
    for item in data["actions"]:
        action, created = AmiCmaAction.objects.get_or_create(
            number=item["number"], defaults={"title": item["title"]}
        )
        actions[action.number] = action
        report.count("ami_cma_actions", created)
    projects = {}
    for position, item in enumerate(data["projects"], start=1):
        lead, *co_leads = _universities(item["lead"], report)
        project, created = AmiCmaProject.objects.get_or_create(
            name=item["name"], defaults={"lead": lead, "position": position}
        )
        if created:
            project.co_leads.set(co_leads)
            project.actions.set([actions[n] for n in item.get("actions", [])])
        projects[project.name] = project
        report.count("ami_cma_projects", created)
    for position, item in enumerate(data["ia_sanses_universities"], start=1):
        university, *others = _universities(item["university"], report)
        post, created = PlanPost.objects.get_or_create(
            project=projects[item["project"]],
            institution=university,
            defaults={"ccu_posts": item.get("ccu_posts", 0), "position": position},
        )
        if created:
            post.co_institutions.set(others)
        report.count("plan_posts", created)


def _home_ensure(report: SeedReport) -> HomePage:
    home = HomePage.objects.first()
    if home is not None:
        return home
    # A flushed database (transactional tests) has lost Wagtail's root and locale too.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    # Wagtail's initial migration leaves a bare "Welcome" page as the site root.
    placeholder = Page.objects.filter(depth=2, content_type__model="page").first()
    if placeholder is not None:
        Site.objects.filter(root_page=placeholder).delete()
        placeholder.delete()
        root.refresh_from_db()
    home = root.add_child(
        instance=HomePage(title="Wiki IA_SaNSeS", slug="accueil", intro=HOME_INTRO)
    )
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "Wiki IA_SaNSeS",
        },
    )
    report.count("pages", True)
    return home


def _child(parent: Page, model, slug: str):
    return model.objects.child_of(parent).filter(slug=slug).first()


def _add_page(parent: Page, page: Page, *, live: bool) -> Page:
    page.live = live
    parent.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return page


def _referentiel_load(home: HomePage, data: dict, *, live: bool, report: SeedReport) -> None:
    referentiel = _child(home, ReferentielPage, data["slug"])
    if referentiel is None:
        college = _referentiel_owner(data)
        referentiel = ReferentielPage(
            title=data["title"],
            slug=data["slug"],
            college=college,
            specialty=Specialty.objects.filter(slug=data.get("specialty") or "").first(),
            cycle=str(data.get("cycle", "3")),
            phase=int(data.get("phase", 1)),
            status=(ReferentielPage.Status.VALIDATED if live else ReferentielPage.Status.DRAFT),
            source=data.get("source", ""),
            intro=data.get("intro", ""),
        )
        if "professions" in data:
            referentiel.professions = list(Profession.objects.filter(slug__in=data["professions"]))
        elif data["slug"] == "socle-numerique-en-sante":
            referentiel.professions = list(Profession.objects.filter(in_socle=True))
        _add_page(home, referentiel, live=live)
        roles.referentiel_grant_college(referentiel)
        report.count("pages", True)
    for domain_data in data["domains"]:
        domain = _child(referentiel, DomainPage, domain_data["slug"])
        if domain is None:
            domain = _add_page(
                referentiel,
                DomainPage(
                    title=domain_data["title"],
                    slug=domain_data["slug"],
                    code=domain_data["code"],
                    intro=domain_data.get("intro", ""),
                ),
                live=live,
            )
            report.count("pages", True)
        for item in domain_data["competencies"]:
            if CompetencyPage.objects.filter(code=item["code"]).exists():
                continue
            page = CompetencyPage(
                title=item["title"],
                slug=item["slug"],
                code=item["code"],
                statement=item.get("statement", ""),
                rank=item.get("rank", ""),
                body=item.get("body", ""),
                references=item.get("references", ""),
                learning_outcomes=[
                    LearningOutcome(text=text, sort_order=i)
                    for i, text in enumerate(item.get("learning_outcomes", []))
                ],
            )
            page.evaluation_methods = list(
                EvaluationMethod.objects.filter(code__in=item.get("evaluation_methods", []))
            )
            page.socle_refs = list(
                CompetencyPage.objects.filter(code__in=item.get("socle_refs", []))
            )
            _add_page(domain, page, live=live)
            report.count("pages", True)


def _referentiel_owner(data: dict) -> Institution:
    if data.get("college"):
        return Institution.objects.get(slug=data["college"])
    # The socle is a national text: owned by the state's digital-health agency.
    owner = Institution.objects.filter(kind=Institution.Kind.STATE).order_by("pk").first()
    if owner is None:
        owner, _created = Institution.objects.get_or_create(
            slug="etat", defaults={"name": "État", "kind": Institution.Kind.STATE}
        )
    return owner


def _accounts_load(report: SeedReport) -> None:
    user_model = get_user_model()
    groups = {role: roles.ROLE_GROUPS[role] for role in roles.ROLE_GROUPS}
    for item in _load("accounts.json"):
        user, created = user_model.objects.get_or_create(
            username=item["username"],
            defaults={
                "first_name": item.get("first_name", ""),
                "last_name": item.get("last_name", ""),
                "email": item.get("email", ""),
            },
        )
        report.count("accounts", created)
        password = settings.DEMO_PASSWORD
        if password and not user.check_password(password):
            user.set_password(password)
        elif created and not password:
            user.set_unusable_password()
        role = item["role"]
        if role == "administrator":
            user.is_staff = user.is_superuser = True
        user.save()
        if role == "college_editor":
            college = Institution.objects.get(slug=item["college"])
            user.groups.add(roles.college_editors_group_ensure(college))
        elif role in groups:
            from django.contrib.auth.models import Group

            user.groups.add(Group.objects.get(name=groups[role]))
