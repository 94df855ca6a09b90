"""In a real browser (Debian's Chromium, headless, via Playwright): sign in, open every page, compare what
the page shows with the API, keep screenshots in ``test-artifacts/web/``, and check that hostile post text
stays text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from groundswell.web.analyses import ANALYSES
from tests.web.conftest import PASSWORD, XSS_TEXTS, Site


@pytest.fixture
def page(browser: Any, site: Site) -> Any:
    context = browser.new_context(base_url=site.url, viewport={"width": 1200, "height": 900})
    p = context.new_page()
    p.dialogs: list[str] = []  # type: ignore[misc]
    p.on("dialog", lambda d: (p.dialogs.append(d.message), d.dismiss()))
    yield p
    context.close()


def sign_in(page: Any, name: str) -> None:
    page.goto("/overview")
    assert "/login" in page.url  # sent to the login form first
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/overview")


def _number(text: str) -> int:
    return int(text.replace(",", "").strip())


def test_every_page_opens_and_shows_the_apis_figures(page: Any, site: Site, artifacts: Path) -> None:
    sign_in(page, "admin")
    links = page.eval_on_selector_all("header nav a", "els => els.map(e => e.getAttribute('href'))")
    expected = [f"/{a.slug}" for a in ANALYSES] + ["/posts", "/admin"]
    assert links == expected
    for href in links:
        response = page.goto(href)
        assert response.status == 200, href
        assert page.locator("h1").first.is_visible()
        page.screenshot(path=str(artifacts / f"{href.strip('/')}.png"), full_page=True)
    # the overview's figures and tables are the API's, cell by cell
    api = site.api("/api/v1/overview")["tables"]
    page.goto("/overview")
    head = api["headline"][0]
    for name in ("posts", "authors", "originals", "replies", "reposts", "quotes"):
        assert _number(page.inner_text(f"[data-figure={name}] .v")) == head[name], name
    shown = page.eval_on_selector_all(
        "[data-table=platforms] tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText))"
    )
    assert [[r[0], _number(r[1]), _number(r[2])] for r in shown] == [
        [x["platform"], x["posts"], x["authors"]] for x in api["platforms"]
    ]
    langs = page.eval_on_selector_all(
        "[data-table=languages] tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText))"
    )
    assert [r[0] for r in langs] == [x["lang"] for x in api["languages"]]
    for r, x in zip(langs, api["languages"], strict=True):
        assert r[1] == ("<k" if x["suppressed"] else f"{x['posts']:,}")
    assert page.locator("svg.spark").count() == 1


def test_filters_travel_in_the_url(page: Any, site: Site, artifacts: Path) -> None:
    sign_in(page, "viewer")
    page.goto("/timeline")
    page.select_option("select[name=platform]", "facebook")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/timeline?*platform=facebook*")
    assert page.locator("svg.chart").count() == 1
    page.screenshot(path=str(artifacts / "timeline-facebook.png"), full_page=True)
    page.click("header nav a:text('Overview')")
    assert "platform=facebook" in page.url
    posts = site.api("/api/v1/overview", platform="facebook")["tables"]["headline"][0]["posts"]
    assert _number(page.inner_text("[data-figure=posts] .v")) == posts
    # a viewer's navigation has no analyst or admin pages, and typing the address is refused
    links = page.eval_on_selector_all("header nav a", "els => els.map(e => e.getAttribute('href').split('?')[0])")
    assert "/posts" not in links and "/admin" not in links
    assert page.goto("/posts").status == 403


def test_hostile_post_text_renders_as_inert_text(page: Any, site: Site, artifacts: Path) -> None:
    sign_in(page, "analyst")
    page.goto("/posts?q=alert(1)")
    care = page.locator("aside.care")
    assert care.is_visible() and "Content warning" in care.inner_text()
    assert page.locator(".post .text").first.is_hidden()  # behind the content warning until asked for
    page.click("details.warning > summary")
    texts = page.locator(".post .text").all_inner_texts()
    assert sorted(texts) == sorted(XSS_TEXTS)
    assert page.locator(".post script, .post img").count() == 0
    assert page.evaluate("document.scripts.length") == 0
    page.wait_for_timeout(300)
    assert page.dialogs == []  # no alert() ran
    page.screenshot(path=str(artifacts / "posts-hostile-text.png"), full_page=True)
