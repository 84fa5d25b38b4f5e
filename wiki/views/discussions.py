"""Placeholder views: the URL contract is fixed in wiki/urls.py; this module is being built."""

from django.http import Http404


def page_discussion(request, *args, **kwargs):
    raise Http404


def thread_reply(request, *args, **kwargs):
    raise Http404


def thread_resolve(request, *args, **kwargs):
    raise Http404
