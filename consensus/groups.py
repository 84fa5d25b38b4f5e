"""Channel-layer group names, built in one place (ASCII, < 100 chars)."""


def study_participation_group(study_id: int) -> str:
    return f"consensus.study.{int(study_id)}.participation"
