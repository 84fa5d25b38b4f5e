from .institutions import AmiCmaAction, AmiCmaProject, Institution, Profession, Specialty
from .pages import (
    CompetencyPage,
    DomainPage,
    EvaluationMethod,
    HomePage,
    LearningOutcome,
    Phase,
    ReferentielPage,
)

__all__ = [
    "AmiCmaAction",
    "AmiCmaProject",
    "CompetencyPage",
    "DomainPage",
    "EvaluationMethod",
    "HomePage",
    "Institution",
    "LearningOutcome",
    "Phase",
    "Profession",
    "ReferentielPage",
    "Specialty",
]
