"""Open the generated dbt docs site in headless Chromium, as a reader would.

    python scripts/check_docs_site.py TARGET_DIR [--screenshot PNG]

Serves TARGET_DIR (index.html, manifest.json, catalog.json after `dbt docs generate`) on a
loopback port, then checks that the lineage graph renders (its canvas is drawn, with the marts'
nodes in it) and that every mart's page lists each of its columns. Exits 1 with the problems."""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import sys
import threading
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the site's own 404s for icons are not problems
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1600,1000",
    ):
        options.add_argument(arg)
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    return webdriver.Chrome(
        service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options
    )


def wait(condition, seconds: float = 60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args(argv)
    manifest = json.loads((args.target / "manifest.json").read_text())
    marts = {
        n["unique_id"]: list(n["columns"])
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["schema"] == "marts"
    }
    problems = []
    server, base = serve(args.target)
    driver = browser()
    try:
        # the lineage graph of one mart, upstream and downstream (the docs' graph view)
        driver.get(
            f"{base}/index.html#!/model/model.customer_aum.fct_customer_assets_daily"
            "?g_v=1&g_i=%2Bfct_customer_assets_daily%2B"
        )
        drawn = wait(
            lambda: driver.execute_script(
                "const c = document.querySelector('#cy canvas, canvas');"
                " return c && c.width > 100 && c.height > 100;"
            )
        )
        nodes = wait(
            lambda: driver.execute_script(
                "try { return window.cy ? window.cy.nodes().length : -1 } catch (e) { return -1 }"
            ),
            10,
        )
        time.sleep(2)
        if args.screenshot:
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.screenshot))
        if not drawn:
            problems.append("lineage graph: no canvas drawn")
        if nodes == 0:
            problems.append("lineage graph: drawn with no node")
        # every mart's page lists its columns
        for uid, columns in sorted(marts.items()):
            driver.get(f"{base}/index.html#!/model/{uid}")
            name = uid.split(".")[-1]

            def page_text(name=name) -> str | None:
                text = driver.find_element(By.TAG_NAME, "body").text
                return text if name in text and "Columns" in text else None

            shown = wait(page_text, 30) or ""
            missing = [c for c in columns if c not in shown]
            if missing:
                problems.append(f"{uid}: page does not show columns {', '.join(missing)}")
    finally:
        driver.quit()
        server.shutdown()
    for p in problems:
        print(p)
    print(
        f"docs site check: lineage graph {'drawn' if not problems[:1] else 'NOT drawn'},"
        f" {len(marts)} mart pages, {len(problems)} problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
