import factory
from django.contrib.auth.models import Group

from consensus.models import Item, ItemVersion, Panelist, Study
from consensus.services.decisions import decision_record
from tests.factories.accounts import UserFactory
from wiki.roles import FACILITATORS, PANELISTS, STEERING_COMMITTEE


def user_in(group_name: str, **kwargs):
    user = UserFactory(**kwargs)
    group, _created = Group.objects.get_or_create(name=group_name)
    user.groups.add(group)
    return user


def facilitator(**kwargs):
    return user_in(FACILITATORS, **kwargs)


def panelist_user(**kwargs):
    return user_in(PANELISTS, **kwargs)


def committee_member(**kwargs):
    return user_in(STEERING_COMMITTEE, **kwargs)


class StudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Study

    title = factory.Sequence(lambda n: f"Étude Delphi {n}")
    created_by = factory.LazyFunction(facilitator)


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item
        skip_postgeneration_save = True

    study = factory.SubFactory(StudyFactory)
    code = factory.Sequence(lambda n: f"IT-{n:03d}")
    position = factory.Sequence(int)
    version = factory.RelatedFactory(
        "tests.factories.consensus.ItemVersionFactory", factory_related_name="item"
    )


class ItemVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemVersion

    number = 1
    text = factory.Sequence(lambda n: f"Énoncé de l'item {n}")


class PanelistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panelist

    study = factory.SubFactory(StudyFactory)
    user = factory.LazyFunction(panelist_user)
    category = Panelist.Category.COLLEGE_EXPERT


def study_with_panel(n_items: int = 3, n_panelists: int = 3, **protocol) -> Study:
    study = StudyFactory(**protocol)
    for _ in range(n_items):
        ItemFactory(study=study)
    categories = [c for c, _label in Panelist.Category.choices]
    for i in range(n_panelists):
        PanelistFactory(study=study, category=categories[i % len(categories)])
    return study


ADOPTED_WORDING = "Interpréter un compte rendu d'IA en imagerie."


def decisions_recorded(*, study: Study, member) -> tuple[Item, Item, Item]:
    """The committee's decisions on a study's first three items: keep, reword (to
    ``ADOPTED_WORDING``), drop."""
    keep, reword, drop = study.items.order_by("position")[:3]
    decision_record(user=member, item=keep, decision="keep", rationale="Consensus fort.")
    decision_record(
        user=member, item=reword, decision="reword", rationale="Ambigu.", wording=ADOPTED_WORDING
    )
    decision_record(user=member, item=drop, decision="drop", rationale="Hors champ.")
    return keep, reword, drop
