"""The README's screenshots of the console, taken from the demo data in headless chromium.

Loads ``cbec demo`` into a fresh SQLite database in a temporary folder, starts ``cbec serve``
on it, signs in as a demo seller's admin and as the demo customs office's admin, and saves
the seller's dashboard and the regulator's screening-hit queue to ``docs/img``. Needs the
``playwright`` package (``make test`` installs it), a ``chromium`` on the PATH (or
``CBEC_CHROMIUM``) and a CJK font for the Chinese text (Debian: ``fonts-noto-cjk``). Usage::

    .venv/bin/python tools/screenshots.py [--size default] [--lang en]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
CBEC = str(Path(sys.executable).parent / "cbec")
SHOTS = [  # (demo tenant, page, file)
    ("sz-gadgets", "/console", "console-seller-dashboard.png"),
    ("hz-customs", "/console/hits", "console-regulator-desk.png"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium() -> str:
    found = os.environ.get("CBEC_CHROMIUM") or shutil.which("chromium")
    if not found:
        raise SystemExit("no chromium on the PATH (set CBEC_CHROMIUM)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="default")
    parser.add_argument("--lang", default="en", choices=["en", "zh-CN"])
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from cbec.config import Settings
    from cbec.demo.loader import admin_of
    from cbec.runtime import open_runtime

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "CBEC_DATA_DIR": tmp,
            "CBEC_DATABASE_URL": f"sqlite:///{tmp}/cbec.db",
        }
        for name in ("CBEC_DATA_KEYS", "CBEC_HMAC_KEY", "CBEC_LEDGER_SIGNER_KEY", "CBEC_KEYS_FILE"):
            env.pop(name, None)  # `cbec demo` makes the new database's keys in the folder
        subprocess.run(
            [CBEC, "demo", "--size", args.size], env=env, check=True, stdout=subprocess.DEVNULL
        )
        settings = Settings(data_dir=Path(tmp), database_url=env["CBEC_DATABASE_URL"])
        seed = open_runtime(settings).secrets.demo_seed
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([CBEC, "serve", "--port", str(port), "--no-access-log"], env=env)
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            OUT.mkdir(parents=True, exist_ok=True)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
                for tenant, path, name in SHOTS:
                    login, password = admin_of(seed, tenant)
                    context = browser.new_context(
                        locale=args.lang,
                        viewport={"width": 1280, "height": 900},
                        reduced_motion="reduce",  # charts drawn at once, not animated
                    )
                    page = context.new_page()
                    page.goto(f"{url}/console/login")
                    page.locator("input[name='login']").fill(login)
                    page.locator("input[name='password']").fill(password)
                    page.locator("form[action='/console/login'] button[type='submit']").click()
                    page.wait_for_url(f"{url}/console/orders")
                    page.goto(url + path)
                    for chart in page.locator("[data-chart]").all():
                        chart.locator("svg").first.wait_for()
                    page.screenshot(path=str(OUT / name), full_page=False)
                    print(f"{OUT / name}: {tenant} {path}")
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
