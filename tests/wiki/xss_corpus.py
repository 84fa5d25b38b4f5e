"""A corpus of script-injection vectors for wiki text (Markdown, wikilinks, titles, discussions).

Each vector, if it ever ran, would call `window.__xss.push(N)` (or alert/confirm/prompt, which
the browser test also records), N being its number. `{n}` is replaced by that number."""

VECTORS = [
    # Classic script tags, mixed case, broken nesting.
    "<script>window.__xss.push({n})</script>",
    "<SCRIPT>window.__xss.push({n})</SCRIPT>",
    "<ScRiPt >window.__xss.push({n})</sCrIpT >",
    "<scr<script>ipt>window.__xss.push({n})</scr</script>ipt>",
    '<script src="data:text/javascript,window.__xss.push({n})"></script>',
    '"><script>window.__xss.push({n})</script>',
    "'><script>alert({n})</script>",
    "</textarea><script>window.__xss.push({n})</script>",
    "</title><script>window.__xss.push({n})</script>",
    # Event handlers.
    '<img src=x onerror="window.__xss.push({n})">',
    "<IMG SRC=x OnErRoR=window.__xss.push({n})>",
    "<img src=x onerror=&#119;indow.__xss.push({n})>",
    '<svg onload="window.__xss.push({n})"></svg>',
    "<svg/onload=window.__xss.push({n})>",
    "<body onload=window.__xss.push({n})>",
    "<input autofocus onfocus=window.__xss.push({n})>",
    "<details open ontoggle=window.__xss.push({n})><summary>x</summary></details>",
    '<video><source onerror="window.__xss.push({n})"></video>',
    "<audio src=x onerror=window.__xss.push({n})></audio>",
    "<marquee onstart=window.__xss.push({n})>x</marquee>",
    '<a href="#" onclick="window.__xss.push({n})">x</a>',
    '<sup id="x" onmouseover="window.__xss.push({n})">1</sup>',
    '<div onpointerenter="window.__xss.push({n})">x</div>',
    "<select autofocus onfocus=window.__xss.push({n})></select>",
    # javascript:, vbscript:, data: URLs, encoded or disguised.
    '<a href="javascript:window.__xss.push({n})">x</a>',
    '<a href="JaVaScRiPt:window.__xss.push({n})">x</a>',
    '<a href="&#106;avascript:window.__xss.push({n})">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;script:window.__xss.push({n})">x</a>',
    '<a href="java&#x09;script:window.__xss.push({n})">x</a>',
    '<a href=" javascript:window.__xss.push({n})">x</a>',
    '<a href="vbscript:msgbox({n})">x</a>',
    '<a href="data:text/html,<script>window.__xss.push({n})</script>">x</a>',
    '<iframe src="javascript:window.__xss.push({n})"></iframe>',
    '<iframe srcdoc="<script>parent.__xss.push({n})</script>"></iframe>',
    '<object data="javascript:window.__xss.push({n})"></object>',
    '<embed src="javascript:window.__xss.push({n})">',
    '<form action="javascript:window.__xss.push({n})"><button>x</button></form>',
    '<button formaction="javascript:window.__xss.push({n})">x</button>',
    '<base href="javascript:window.__xss.push({n})//">',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss.push({n})">',
    '<link rel="stylesheet" href="javascript:window.__xss.push({n})">',
    '<svg><a xlink:href="javascript:window.__xss.push({n})"><text y="20">x</text></a></svg>',
    "<svg><script>window.__xss.push({n})</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss.push({n})>",
    '<noscript><p title="</noscript><img src=x onerror=window.__xss.push({n})>">',
    '<div style="background:url(javascript:window.__xss.push({n}))">x</div>',
    "<style>@import 'javascript:window.__xss.push({n})';</style>",
    '<table><tr><td background="javascript:window.__xss.push({n})">x</td></tr></table>',
    # Markdown link and image tricks.
    "[clic](javascript:window.__xss.push({n}))",
    "[clic](JAVASCRIPT:window.__xss.push({n}))",
    "[clic](<javascript:window.__xss.push({n})>)",
    "[clic](javascript&#58;window.__xss.push({n}))",
    "[clic](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3MucHVzaCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:window.__xss.push({n}))",
    '![x](x" onerror="window.__xss.push({n}))',
    '[x](https://exemple.invalid/" onmouseover="window.__xss.push({n}))',
    "[ref-{n}]\n\n[ref-{n}]: javascript:window.__xss.push({n})",
    '<https://exemple.invalid/" onmouseover="window.__xss.push({n})>',
    "Note[^x{n}]\n\n[^x{n}]: <img src=x onerror=window.__xss.push({n})>",
    "## Titre <img src=x onerror=window.__xss.push({n})>",
    "| a |\n|---|\n| <img src=x onerror=window.__xss.push({n})> |",
    # Entity-encoded and commented payloads (must stay text).
    "&lt;script&gt;window.__xss.push({n})&lt;/script&gt;",
    "<!--<img src=x onerror=window.__xss.push({n})>-->",
    "`<script>window.__xss.push({n})</script>`",
    # Wikilink payloads.
    "[[<img src=x onerror=window.__xss.push({n})>]]",
    "[[x|<svg onload=window.__xss.push({n})>]]",
    "[[<script>window.__xss.push({n})</script>]]",
    "[[javascript:window.__xss.push({n})]]",
    '[[" onmouseover="window.__xss.push({n})]]',
    '[[x|" autofocus onfocus="window.__xss.push({n})]]',
    "[[x|<a href=javascript:window.__xss.push({n})>y</a>]]",
]


def payloads() -> list[tuple[int, str]]:
    """(number, vector) pairs, numbered from 1."""
    return [(n, vector.replace("{n}", str(n))) for n, vector in enumerate(VECTORS, start=1)]
