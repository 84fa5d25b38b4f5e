"""Placeholder views: the URL contract is fixed in wiki/urls.py; this module is being built."""

from django.http import Http404


def change_patrol(request, *args, **kwargs):
    raise Http404


def patrol_log(request, *args, **kwargs):
    raise Http404
