"""Placeholder views: the URL contract is fixed in wiki/urls.py; this module is being built."""

from django.http import Http404


def page_history(request, *args, **kwargs):
    raise Http404


def page_diff(request, *args, **kwargs):
    raise Http404


def page_revert(request, *args, **kwargs):
    raise Http404
