"""Wagtail hooks of the wiki: page answers the full-page cache may store (wiki/page_cache.py)."""

from wagtail import hooks

from wiki import page_cache


@hooks.register("on_serve_page")
def page_cache_mark(serve):
    def serve_and_mark(page, request, args, kwargs):
        response = serve(page, request, args, kwargs)
        if page_cache.page_cacheable(page, request):
            response.wiki_page_cacheable = True
        return response

    return serve_and_mark
