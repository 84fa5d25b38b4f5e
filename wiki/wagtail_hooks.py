"""Wagtail hooks of the wiki: page answers the full-page cache may store (wiki/page_cache.py),
and the live version served to a reader, whose shared fragments may be cached
(wiki/fragments.py)."""

from wagtail import hooks

from wiki import fragments, page_cache


@hooks.register("on_serve_page")
def page_cache_mark(serve):
    def serve_and_mark(page, request, args, kwargs):
        response = serve(page, request, args, kwargs)
        if page_cache.page_cacheable(page, request):
            response.wiki_page_cacheable = True
        return response

    return serve_and_mark


@hooks.register("on_serve_page")
def fragments_mark(serve):
    """Only Wagtail's `serve` of a live page runs these hooks (not the draft reader, not a
    preview): what it renders is the published version."""

    def serve_live(page, request, args, kwargs):
        setattr(request, fragments.SERVING_LIVE_ATTRIBUTE, True)
        return serve(page, request, args, kwargs)

    return serve_live
