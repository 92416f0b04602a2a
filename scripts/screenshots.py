"""Screenshots of the main pages for docs/screenshots/ (issue 18), refreshable by anyone:

    make screenshots        # or: .venv/bin/python scripts/screenshots.py [--out DIR]

Makes a fresh archive in a temporary FICARCHIVE_HOME (migrate, the demo works, one
account), serves it with ``ficarchive serve`` on a free loopback port, and drives Debian's
Chromium (``/usr/bin/chromium``) through Playwright: home, /works, a work, the posting
form and a user's page, at desktop 1280×800 and phone 390×844, in the light and dark
colour schemes (``prefers-color-scheme``, which the default site skin follows). Each
image is the first screen only, to keep the files small. Nothing is fetched from outside
the machine (``--disable-background-networking``).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
USER, PASSWORD = "demo_writer", "screenshots-only-password-1"
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
SCHEMES = ("light", "dark")


def _ficarchive(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ficarchive", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our loopback server
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def _archive(home: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(FICARCHIVE_HOME=home, PYTHONPATH=str(ROOT), FICARCHIVE_TASK_MODE="thread")
    _ficarchive(env, "migrate", "--noinput", "-v0")
    _ficarchive(env, "demo")
    _ficarchive(env, "user", "create", USER, "--password-stdin", stdin=PASSWORD + "\n")
    return env


def _log_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", USER)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    # A new account may first be asked to accept the terms of service.
    accept = page.locator("main form button[type=submit]")
    if "/tos" in page.url and accept.count():
        checkbox = page.locator("main input[type=checkbox]")
        if checkbox.count():
            checkbox.first.check()
        with page.expect_navigation():
            accept.last.click()


def _first_work(page, base: str) -> str:
    page.goto(f"{base}/works")
    href = page.locator("li.blurb h4 a").first.get_attribute("href")
    return href or "/works"


def shoot(out: Path) -> list[Path]:
    """Serve a fresh demo archive and write the screenshots into ``out``; returns them."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="ficarchive-shots-") as home:
        env = _archive(home)
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - our own console script
            [
                sys.executable,
                "-m",
                "ficarchive",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(f"{base}/healthz")
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
                )
                for scheme in SCHEMES:
                    for device, (width, height) in VIEWPORTS.items():
                        context = browser.new_context(
                            viewport={"width": width, "height": height},
                            color_scheme=scheme,
                            is_mobile=device == "phone",
                            has_touch=device == "phone",
                            timezone_id="UTC",
                            locale="en-GB",
                        )
                        page = context.new_page()
                        work = _first_work(page, base)
                        guest = {"home": "/", "works": "/works", "work": work}
                        for name, path in guest.items():
                            written.append(_shot(page, base + path, out, name, device, scheme))
                        _log_in(page, base)
                        own = {"post": "/works/new", "user": f"/users/{USER}"}
                        for name, path in own.items():
                            written.append(_shot(page, base + path, out, name, device, scheme))
                        context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return written


def _shot(page, url: str, out: Path, name: str, device: str, scheme: str) -> Path:
    page.goto(url)
    path = out / f"{name}-{device}-{scheme}.png"
    page.screenshot(path=str(path), full_page=False, animations="disabled")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    for path in shoot(args.out):
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}\t{path.stat().st_size}"
        )


if __name__ == "__main__":
    main()
