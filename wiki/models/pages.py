"""The référentiel page tree: Home → Référentiel → Domain → Competency."""

import functools

from django.apps import apps
from django.db import models
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page, get_page_models
from wagtail.search import index
from wagtail.url_routing import RouteResult

from wiki import visibility
from wiki.text import NormalisedTextField

from .institutions import Institution, Profession, Specialty

SOCLE_SLUG = "socle-numerique-en-sante"


class Phase(models.IntegerChoices):
    """The four phases of the IA_SaNSeS programme."""

    INVENTORY = 1, _("Phase 1 — top down: inventory")
    PILOT = 2, _("Phase 2 — bottom up: pilot référentiels")
    CONSOLIDATION = 3, _("Phase 3 — consolidation, synthesis")
    VALIDATION = 4, _("Phase 4 — validation, diffusion")


class Cycle(models.TextChoices):
    FIRST = "1", _("1st cycle")
    SECOND = "2", _("2nd cycle")
    THIRD = "3", _("3rd cycle")


def _children(model, parent, request):
    """The children whose published version the reader may read; in the draft reader, also
    those whose drafts they may read (wiki.visibility)."""
    reader = visibility.request_reader(request)
    children = model.objects.child_of(parent)
    if getattr(request, "wiki_show_drafts", False):
        return visibility.visible_pages(children, reader)
    return visibility.published_pages(children, reader)


@functools.cache
def _plain_routing() -> bool:
    """Whether every page model of the project routes as Wagtail's `Page.route` does."""
    return all(model.route is Page.route for model in get_page_models() if model is not HomePage)


class HomePage(Page):
    intro = NormalisedTextField(_("introduction (Markdown)"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["wiki.ReferentielPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """The page at the end of the path in one query on Wagtail's `url_path` (kept by
        Wagtail through moves and slug changes), not two queries per level. Same answer as
        Wagtail's walk: a missing slug or a page that is not live is a 404. Taken only while no
        page model below the home page routes by itself (`plain_routing`)."""
        if not path_components or not _plain_routing():
            return super().route(request, path_components)
        url_path = self.url_path + "/".join(path_components) + "/"
        page = Page.objects.filter(url_path=url_path).specific().first()
        if page is None or not page.live:
            raise Http404
        return RouteResult(page)

    def get_context(self, request, *args, **kwargs):
        reader = visibility.request_reader(request)
        context = super().get_context(request, *args, **kwargs)
        referentiels = list(self.referentiels_for(reader))
        # The Edition model by name: wiki/models/editions.py imports this module.
        editions = apps.get_model("wiki", "Edition").objects
        latest = editions.latest_by_referentiel(referentiels)
        for referentiel in referentiels:
            referentiel.latest_edition = latest.get(referentiel.pk)
        context["referentiels"] = referentiels
        context["socle_domains"] = self.socle_domains_for(reader)
        return context

    @staticmethod
    def referentiels_for(reader: visibility.Reader):
        """The référentiels whose published version `reader` may read."""
        return visibility.published_pages(
            ReferentielPage.objects.select_related("college", "specialty"), reader
        ).order_by("phase", "title")

    @staticmethod
    def socle_domains_for(reader: visibility.Reader):
        socle = visibility.published_pages(
            ReferentielPage.objects.filter(slug=SOCLE_SLUG), reader
        ).first()
        if socle is None:
            return DomainPage.objects.none()
        return visibility.published_pages(DomainPage.objects.child_of(socle), reader)


class ReferentielPage(Page):
    """A competency framework for one specialty or profession and one cycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONSENSUS = "consensus", _("In consensus")
        FINAL = "final", _("Final version")
        IN_VALIDATION = "in_validation", _("In validation")
        CHANGES_REQUESTED = "changes_requested", _("Sent back for changes")
        VALIDATED = "validated", _("Validated")

    # Phase and status are derived from the référentiel's lifecycle workflow (Wagtail's
    # WorkflowState, see consensus/lifecycle.py) and written only by the lifecycle service:
    # not editable, not in any form, and kept across revisions (with_content_json).
    LIFECYCLE_FIELDS = ("phase", "status")

    college = models.ForeignKey(
        Institution,
        verbose_name=_("owning institution"),
        on_delete=models.PROTECT,
        related_name="referentiels",
    )
    specialty = models.ForeignKey(
        Specialty,
        verbose_name=_("specialty"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referentiels",
    )
    professions = ParentalManyToManyField(Profession, verbose_name=_("professions"), blank=True)
    cycle = models.CharField(_("cycle"), max_length=1, choices=Cycle.choices)
    phase = models.PositiveSmallIntegerField(
        _("phase"), choices=Phase.choices, default=1, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    intro = NormalisedTextField(_("introduction (Markdown)"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("college"),
                FieldPanel("specialty"),
                FieldPanel("professions"),
                FieldPanel("cycle"),
                FieldPanel("source"),
            ],
            heading=_("Référentiel"),
        ),
        FieldPanel("intro"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wiki.HomePage"]
    subpage_types = ["wiki.InventoryPage", "wiki.DomainPage"]

    class Meta:
        verbose_name = _("référentiel")
        verbose_name_plural = _("référentiels")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["domains"] = _children(DomainPage, self, request)
        return context

    def with_content_json(self, content):
        """A revision never carries the phase or the status: publishing or reverting to an
        old revision keeps the ones the lifecycle wrote on the row."""
        obj = super().with_content_json(content)
        for name in self.LIFECYCLE_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj


class InventoryPage(Page):
    """The « état des lieux » of a référentiel: the deliverable of phase 1 (existing teaching,
    international benchmarking, working methodology)."""

    existing_teaching = models.TextField(_("existing teaching (Markdown)"), blank=True)
    benchmarking = models.TextField(_("international benchmarking (Markdown)"), blank=True)
    methodology = models.TextField(_("methodology (Markdown)"), blank=True)

    SECTIONS = ("existing_teaching", "benchmarking", "methodology")

    content_panels = [
        *Page.content_panels,
        FieldPanel("existing_teaching"),
        FieldPanel("benchmarking"),
        FieldPanel("methodology"),
    ]
    parent_page_types = ["wiki.ReferentielPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("inventory (état des lieux)")
        verbose_name_plural = _("inventories (états des lieux)")


class DomainPage(Page):
    code = models.CharField(_("code"), max_length=20)
    intro = NormalisedTextField(_("introduction (Markdown)"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("code"), FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wiki.ReferentielPage"]
    subpage_types = ["wiki.CompetencyPage"]

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["competencies"] = _children(CompetencyPage, self, request)
        return context


class EvaluationMethod(models.Model):
    """How a competency is assessed (ECOS, simulation, portfolio…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("evaluation method")
        verbose_name_plural = _("evaluation methods")

    def __str__(self) -> str:
        return self.name


class CompetencyPage(Page):
    class Rank(models.TextChoices):
        A = "A", _("Rank A")
        B = "B", _("Rank B")
        C = "C", _("Rank C")

    # Stable across renames: Delphi items, exports and wikilinks point to it.
    code = models.CharField(_("code"), max_length=30, unique=True)
    statement = NormalisedTextField(_("statement"), blank=True)
    rank = models.CharField(_("rank"), max_length=1, choices=Rank.choices, blank=True)
    evaluation_methods = ParentalManyToManyField(
        EvaluationMethod, verbose_name=_("evaluation methods"), blank=True
    )
    socle_refs = ParentalManyToManyField(
        "self",
        verbose_name=_("socle competencies refined"),
        symmetrical=False,
        blank=True,
        related_name="refined_by",
    )
    body = NormalisedTextField(_("body (Markdown)"), blank=True)
    references = NormalisedTextField(_("references (Markdown)"), blank=True)
    # Set in a draft revision by a committee decision « drop » (consensus lifecycle): the
    # competency leaves the draft of the référentiel; what is published does not change.
    withdrawn = models.BooleanField(_("withdrawn from the draft"), default=False, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("code"),
        FieldPanel("statement"),
        FieldPanel("rank"),
        InlinePanel("learning_outcomes", label=_("Learning outcomes")),
        FieldPanel("evaluation_methods"),
        FieldPanel("socle_refs"),
        FieldPanel("body"),
        FieldPanel("references"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("code", boost=5),
        index.AutocompleteField("code"),
        index.SearchField("statement"),
        index.SearchField("body"),
        index.FilterField("code"),
    ]
    parent_page_types = ["wiki.DomainPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        reader = visibility.request_reader(request)
        # Lazy: computed only when the article is rendered, not when its cached fragment
        # (wiki/fragments.py) is served.
        context["placement"] = SimpleLazyObject(lambda: self.placement_for(reader))
        context["refined_by"] = SimpleLazyObject(lambda: list(self.refined_by_for(reader)))
        return context

    def placement_for(self, reader: visibility.Reader) -> dict:
        """Where the competency sits: its domain and référentiel (if `reader` may see them)
        and the professions it applies to (those of its référentiel)."""
        domain = DomainPage.objects.parent_of(self).first()
        referentiel = ReferentielPage.objects.ancestor_of(self).select_related("specialty").first()
        if domain is not None and not visibility.may_view_page(reader, domain):
            domain = None
        if referentiel is not None and not visibility.may_view_page(reader, referentiel):
            referentiel = None
        professions = list(referentiel.professions.all()) if referentiel is not None else []
        return {"domain": domain, "referentiel": referentiel, "professions": professions}

    def refined_by_for(self, reader: visibility.Reader):
        """The specialty competencies that refine this socle competency (« Déclinée dans »)
        that `reader` may see: published ones, and drafts for those who may read them (linked
        to the draft reader, as wikilinks to drafts are)."""
        refining = CompetencyPage.objects.filter(socle_refs=self).order_by("code")
        return visibility.visible_pages(refining, reader)


class LearningOutcome(Orderable):
    page = ParentalKey(CompetencyPage, related_name="learning_outcomes", on_delete=models.CASCADE)
    text = models.CharField(_("learning outcome"), max_length=500)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("learning outcome")

    def __str__(self) -> str:
        return self.text
