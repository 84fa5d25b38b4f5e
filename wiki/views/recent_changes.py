"""Placeholder views: the URL contract is fixed in wiki/urls.py; this module is being built."""

from django.http import Http404


def recent_changes(request, *args, **kwargs):
    raise Http404
