"""Placeholder views: the URL contract is fixed in wiki/urls.py; this module is being built."""

from django.http import Http404


def page_backlinks(request, *args, **kwargs):
    raise Http404


def wanted_pages(request, *args, **kwargs):
    raise Http404
