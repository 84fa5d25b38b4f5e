"""Text as it comes in: browsers send a textarea's line breaks as CRLF, old Mac files as CR.
Stored text always uses LF, so diffs and sizes count what the writer typed, not the transport.

One helper (`newlines_normalised`) applied at two layers: a form field for every form (the
wiki's own, discussions) and a model field for everything that saves a model (Wagtail's admin
forms, imports, services): its `pre_save` also runs when Wagtail serialises a revision.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models


def newlines_normalised(text: str) -> str:
    """`text` with every CRLF and lone CR turned into LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def newlines_normalised_any(value: Any) -> Any:
    """Strings normalised, anything else (None, numbers) unchanged."""
    return newlines_normalised(value) if isinstance(value, str) else value


class NormalisedCharField(forms.CharField):
    """A form field whose cleaned text has LF line endings only."""

    def to_python(self, value: Any) -> Any:
        return newlines_normalised_any(super().to_python(value))


class NormalisedTextField(models.TextField):
    """A TextField that stores LF line endings only, whoever writes it."""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = newlines_normalised_any(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def to_python(self, value: Any) -> Any:
        return newlines_normalised_any(super().to_python(value))

    def formfield(self, **kwargs: Any) -> forms.Field:
        return super().formfield(**{"form_class": NormalisedCharField, **kwargs})
