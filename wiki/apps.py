from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WikiConfig(AppConfig):
    name = "wiki"
    verbose_name = _("Wiki")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wiki import (
            receivers,  # noqa: F401 (connects the receivers)
            signals,
        )
        from wiki.views.editions import edition_published_files_build

        # With the edition views' one cache helper, which builds them (wiki.views.editions).
        signals.edition_published.connect(
            edition_published_files_build, dispatch_uid="wiki.edition_files_build"
        )
