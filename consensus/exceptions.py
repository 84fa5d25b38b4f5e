"""Errors raised by the consensus services; each carries a translated, user-facing message."""

from django.utils.translation import gettext_lazy as _


class ConsensusError(Exception):
    """Base class: ``str(error)`` is a message that can be shown as is."""

    default_message = _("The operation could not be carried out.")

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class ProtocolFrozen(ConsensusError):
    default_message = _(
        "The protocol of this study was frozen when round 1 opened: it can no longer be changed."
    )


class InvalidProtocol(ConsensusError):
    default_message = _("The protocol is not valid.")


class RoundNotOpen(ConsensusError):
    default_message = _("This round is closed: your rating was not recorded.")


class RoundStateError(ConsensusError):
    default_message = _("This round cannot change state now.")


class ScoreOutOfScale(ConsensusError):
    default_message = _("A rating lies outside the scale of this study.")


class BallotAlreadySubmitted(ConsensusError):
    default_message = _("You have already submitted your ballot for this round.")


class BallotIncomplete(ConsensusError):
    default_message = _("Rate every item before submitting your ballot.")


class RewordNotAllowed(ConsensusError):
    default_message = _("Items can only be reworded between rounds, while no round is open.")


class NothingToExport(ConsensusError):
    default_message = _("No round can be exported yet.")


class CommentTooLong(ConsensusError):
    default_message = _("A comment is too long.")


class CommentWithoutScore(ConsensusError):
    default_message = _(
        "A comment needs a rating: choose a value for the item, or clear its comment."
    )


class SignInLinkInvalid(ConsensusError):
    default_message = _(
        "This sign-in link is not valid. Check that it was copied whole, or ask the study's "
        "facilitator for a new one."
    )


class SignInLinkExpired(SignInLinkInvalid):
    default_message = _(
        "This sign-in link has expired. Ask the study's facilitator for a new one, or sign in "
        "with your password if you have one."
    )


class SignInLinkUsed(SignInLinkInvalid):
    default_message = _(
        "This sign-in link was already used: each link works once. Ask the study's facilitator "
        "for a new one, or sign in with your password if you have one."
    )
