import shutil

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(autouse=True)
def _orm_allowed_beside_playwright(monkeypatch):
    """Playwright's sync API runs an event loop in the test thread, so Django's async-safety
    guard would refuse every ORM call a browser test makes. Allowed here only: elsewhere a sync
    ORM call inside a consumer or an async test still fails."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# One browser per test: Playwright's sync API keeps an event loop in the main thread while it
# runs (which would break the asyncio tests collected after tests/e2e), and a browser kept
# across tests reuses its connections to the live server past the database being restored.
# Every page runs under the site's Content-Security-Policy: a violation reported in any page
# of any context the test opens fails the test.
@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make services` (services/up.sh).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        violations = _report_csp_violations(browser)
        yield browser
        browser.close()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


def _report_csp_violations(browser) -> list[str]:
    violations: list[str] = []
    new_context = browser.new_context

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{message.type}: {message.text}")

    def new_context_watched(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.on("console", on_console)
        # The DOM event as well: it also fires for violations the console does not show.
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', (e) => console.error("
            "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
        )
        return context

    browser.new_context = new_context_watched
    return violations


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def axe():
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm install` (make test does).")

    source = AXE.read_text()

    def run(page) -> list[dict]:
        # Evaluated through the DevTools protocol, not as a <script> element, so the page's
        # Content-Security-Policy (no inline script) does not block it.
        page.evaluate(source)
        result = page.evaluate(
            "() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
        )
        return result["violations"]

    return run


@pytest.fixture
def user_page(browser, live_server):
    """Factory: a new browser context logged in as `username` (session cookie, no password)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    contexts = []

    def open_as(username: str):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        context = browser.new_context(base_url=live_server.url, locale="fr-FR")
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        new_page = context.new_page()
        new_page.set_default_timeout(10_000)
        return new_page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def asgi_server(transactional_db):
    """The real ASGI application (HTTP + WebSocket) in a daphne process on loopback, on the
    test database: for journeys that need Channels (the WSGI live_server has no WebSocket)."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from django.db import connection

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        # As in production: a bounded psycopg pool per ASGI process.
        "DATABASE_POOL_MAX": "4",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    daphne = os.path.join(os.path.dirname(sys.executable), "daphne")
    process = subprocess.Popen(
        [daphne, "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            break
        except Exception:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("daphne did not start: " + process.stderr.read().decode()[-2000:])
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def asgi_user_page(browser, asgi_server):
    """Factory: a browser context on the ASGI server, logged in as `username`."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    contexts = []

    def open_as(username: str | None = None):
        context = browser.new_context(base_url=asgi_server, locale="fr-FR")
        if username:
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": asgi_server,
                    }
                ]
            )
        contexts.append(context)
        new_page = context.new_page()
        new_page.set_default_timeout(10_000)
        return new_page

    yield open_as
    for context in contexts:
        context.close()
