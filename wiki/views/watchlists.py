"""Placeholder views: the URL contract is fixed in wiki/urls.py; this module is being built."""

from django.http import Http404


def watch_toggle(request, *args, **kwargs):
    raise Http404


def watchlist(request, *args, **kwargs):
    raise Http404


def notifications(request, *args, **kwargs):
    raise Http404
