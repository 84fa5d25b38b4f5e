from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsensusConfig(AppConfig):
    name = "consensus"
    verbose_name = _("Delphi consensus")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from consensus import lifecycle_tasks, receivers  # noqa: F401 (connects the receivers)

        # The lifecycle's Wagtail tasks delegate their hooks to these handlers.
        lifecycle_tasks.handlers_register()
