"""Every page works in Chromium under the Content-Security-Policy: no violation is reported
(as a console message or a `securitypolicyviolation` event), and the API docs load with
every request off this machine refused."""

from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import login
from tests.test_security_headers import html_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in every page before its own scripts (through the DevTools protocol, which the
# policy does not govern) and keeps what the browser refused.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def watched(context):
    """A page whose CSP violations and off-machine requests are recorded."""
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.console_csp = []
    page.off_machine = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and page.console_csp.append(m.text),
    )

    def only_this_machine(route):
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in ("localhost", "127.0.0.1"):
            route.continue_()
        else:
            page.off_machine.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_machine)
    return page


def _violations(page) -> list[str]:
    return page.console_csp + page.evaluate("window.__csp || []")


def test_every_page_runs_under_the_policy(cast, world, live_server, watched):
    """Each page of the app, the account page, the admin and the error pages render with
    no CSP violation and no request off this machine."""
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    login(watched, live_server, "adam")
    for path in html_pages(world):
        watched.goto(f"{live_server.url}{path}")
        watched.wait_for_load_state("networkidle")
        assert _violations(watched) == [], path
    assert watched.off_machine == []


def test_api_docs_load_offline(cast, live_server, watched):
    """Swagger UI comes from the pinned sidecar package: with everything but this machine
    refused, /api/docs/ still shows the operations, with no CSP violation."""
    login(watched, live_server, "adam")
    watched.goto(f"{live_server.url}/api/docs/")
    watched.get_by_text("/api/projects/{project_id}/documents/", exact=True).first.wait_for()
    watched.get_by_role("heading", name="News annotation workbench API").wait_for()
    assert watched.off_machine == []
    assert _violations(watched) == []
