"""The language of every page: French, unless the reader chose another one with the header's
switch (Django's language cookie, set by /i18n/setlang/). The browser's Accept-Language is not
followed: the site is French first, and one choice holds on every page, Wagtail's included."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
