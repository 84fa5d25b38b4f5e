"""Placeholder views: the URL contract is fixed in wiki/urls.py; this module is being built."""

from django.http import Http404


def page_edit(request, *args, **kwargs):
    raise Http404


def preview(request, *args, **kwargs):
    raise Http404
