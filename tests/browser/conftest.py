"""Real headless Chromium (Debian's, driven by Playwright) against the example app under
hypercorn on 127.0.0.1.

Every browser context is watched for the whole test: a Content-Security-Policy violation,
an uncaught page error or a request to any host but 127.0.0.1 fails the test (off-host
requests are also blocked). When a test fails, each of its open pages is saved as a
screenshot in $BROWSER_SCREENSHOTS (default: build/browser-screenshots/).
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    Playwright,
    Route,
    sync_playwright,
)

from invite_auth.opaque import Argon2idKSF
from tests.e2e.server import Server, free_port, start, stop
from tests.system import ensure_debian_packages

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/lib/chromium/chromium"
# Without these Chromium keeps calling home (updates, sync, field trials) to hosts this
# machine cannot reach.
CHROMIUM_FLAGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
]
# Real Argon2id with cheap parameters on BOTH sides (the pages read the server's setting,
# the SDK gets ksf=); the cross-client test keeps the defaults.
FAST_KSF = Argon2idKSF(time_cost=1, memory_cost=8192, parallelism=1)
NARROW = {"width": 360, "height": 780}
LOCAL_HOST = "127.0.0.1"
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", ROOT / "build" / "browser-screenshots"))
# What Chromium logs for a CSP violation, and what the init script below logs.
CSP_MESSAGE = re.compile(r"Content Security Policy|Content-Security-Policy|CSP violation", re.I)

# Runs in every page before its own scripts (Playwright injects it; the page's CSP does not
# apply to it): reports violations in the console, where the guard collects them.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


def ksf_env(ksf: Argon2idKSF) -> dict[str, str]:
    """The example app's setting for the pages' KSF (INVITE_AUTH_CLIENT_KSF)."""
    return {
        "INVITE_AUTH_CLIENT_KSF": json.dumps(
            {
                "time_cost": ksf.time_cost,
                "memory_cost": ksf.memory_cost,
                "parallelism": ksf.parallelism,
            }
        )
    }


# -- the browser ---------------------------------------------------------------------------


# Package scope, not session: while Playwright's sync API is running, its event loop is the
# running loop of the main thread, and the asyncio tests that follow could not start theirs.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    ensure_debian_packages({CHROMIUM: "chromium"})
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
    )
    yield browser
    browser.close()


@dataclass
class Guard:
    """What went wrong in one browser context, besides what the test asserts."""

    csp_violations: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    off_host_requests: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if CSP_MESSAGE.search(message.text):
            self.csp_violations.append(message.text)

    def on_route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != LOCAL_HOST:
            self.off_host_requests.append(url)
            route.abort()
        else:
            route.continue_()

    def watch(self, page: Page) -> None:
        page.on("console", self.on_console)
        page.on("pageerror", lambda err: self.page_errors.append(str(err)))

    def problems(self) -> list[str]:
        return (
            [f"CSP violation: {m}" for m in self.csp_violations]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"request off 127.0.0.1: {u}" for u in self.off_host_requests]
        )


@dataclass
class Browsing:
    """The browser contexts (people) of one test, each with its guard."""

    browser: Browser
    contexts: list[tuple[BrowserContext, Guard]] = field(default_factory=list)

    def person(self, *, viewport: dict[str, int] = NARROW) -> Page:
        """A new person: a fresh context (own cookies), 360 px wide, with one page."""
        context = self.browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        context.set_default_timeout(30_000)
        guard = Guard()
        context.add_init_script(REPORT_VIOLATIONS)
        context.route("**/*", guard.on_route)
        context.on("page", guard.watch)
        self.contexts.append((context, guard))
        return context.new_page()

    def problems(self) -> list[str]:
        return [p for _, guard in self.contexts for p in guard.problems()]

    def screenshots(self, name: str) -> list[Path]:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
        for i, (context, _) in enumerate(self.contexts):
            for j, page in enumerate(context.pages):
                path = SCREENSHOTS / f"{safe}-person{i}-page{j}.png"
                try:
                    page.screenshot(path=str(path), full_page=True)
                except Error:
                    continue  # a closed or crashed page: nothing to show
                written.append(path)
        return written

    def close(self) -> None:
        for context, _ in self.contexts:
            context.close()


REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


@pytest.fixture
def browsing(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Browsing]:
    session = Browsing(browser)
    yield session
    try:
        problems = session.problems()
        call = request.node.stash.get(REPORTS, {}).get("call")
        if (call is not None and call.failed) or problems:
            shots = session.screenshots(request.node.name)
            print(f"\nscreenshots of the failed test's pages: {[str(p) for p in shots]}")
        assert not problems, "the browser saw:\n" + "\n".join(problems)
    finally:
        session.close()


# -- the server ----------------------------------------------------------------------------


@dataclass
class LiveApp:
    server: Server

    @property
    def url(self) -> str:
        return self.server.url

    def printed_register_url(self) -> str:
        """The registration page the example app printed beside the root invite."""
        match = re.search(r"Register root in a browser: (\S+)", self.server.log())
        assert match, f"no registration URL printed:\n{self.server.log()}"
        return match.group(1)


class AppFactory(Protocol):
    def __call__(self, ksf: Argon2idKSF = FAST_KSF, **env: str) -> LiveApp: ...


@pytest.fixture
def app_factory(tmp_path: Path) -> Iterator[AppFactory]:
    """Start example apps (each with its own data directory) for this test."""
    started: list[Server] = []

    def make(ksf: Argon2idKSF = FAST_KSF, **env: str) -> LiveApp:
        port = free_port()
        server = start(
            tmp_path / f"data-{len(started)}",
            secret=secrets.token_hex(32),
            port=port,
            env={"BIND": f"{LOCAL_HOST}:{port}", **ksf_env(ksf), **env},
        )
        started.append(server)
        return LiveApp(server)

    yield make
    for server in started:
        stop(server)


@pytest.fixture
def app(app_factory: AppFactory) -> LiveApp:
    return app_factory()
