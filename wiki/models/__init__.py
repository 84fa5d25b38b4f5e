from .case import CaseImport, CaseItem
from .changes import Change
from .discussions import Message, Thread
from .editions import Edition, EditionRefused
from .institutions import (
    AmiCmaAction,
    AmiCmaProject,
    Institution,
    PlanPost,
    Profession,
    Specialty,
)
from .links import PageLink
from .pages import (
    CompetencyPage,
    DomainPage,
    EvaluationMethod,
    HomePage,
    InventoryPage,
    LearningOutcome,
    Phase,
    ReferentielPage,
)
from .watchlists import Notification, Watch, WatchlistVisit

__all__ = [
    "CaseImport",
    "CaseItem",
    "Change",
    "Edition",
    "EditionRefused",
    "Message",
    "Notification",
    "PageLink",
    "Thread",
    "Watch",
    "WatchlistVisit",
    "AmiCmaAction",
    "AmiCmaProject",
    "PlanPost",
    "CompetencyPage",
    "DomainPage",
    "EvaluationMethod",
    "HomePage",
    "InventoryPage",
    "Institution",
    "LearningOutcome",
    "Phase",
    "Profession",
    "ReferentielPage",
    "Specialty",
]
from .audit import MembershipHistoricalRecords  # noqa: E402, F401 (audits group memberships)
