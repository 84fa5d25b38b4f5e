from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsensusConfig(AppConfig):
    name = "consensus"
    verbose_name = _("Delphi consensus")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from consensus import receivers  # noqa: F401 (connects the lifecycle receivers)
