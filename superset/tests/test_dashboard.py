"""Superset on the serving file: the shipped dashboard imports into a fresh Superset, each chart's
query runs through Superset's API with rows that agree with the marts, and headless Chromium
renders the dashboard with every chart drawn (the screenshot is kept for people to look at).

Run by `make superset-test` with the Superset virtual environment, after `make run` published
the sample."""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import local  # noqa: E402

CHARTS = 5
SCREENSHOT = Path(
    os.environ.get("SUPERSET_SCREENSHOT") or local.PROJECT / "target" / "superset" / "dashboard.png"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("superset_home")
    local.init(home)
    port = free_port()
    proc = local.serve(home, port)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if requests.get(f"{base}/health", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if proc.poll() is not None:
            raise RuntimeError("superset exited on start")
        time.sleep(1)
    else:
        proc.kill()
        raise RuntimeError("superset did not answer /health within 120 s")
    yield base, local.admin_password(home)
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def api(server):
    base, password = server
    session = requests.Session()
    token = session.post(
        f"{base}/api/v1/security/login",
        json={"username": local.ADMIN, "password": password, "provider": "db"},
    ).json()["access_token"]
    session.headers.update({"Authorization": f"Bearer {token}", "Referer": base})
    session.headers["X-CSRFToken"] = session.get(f"{base}/api/v1/security/csrf_token/").json()[
        "result"
    ]
    return base, session


def dashboard_charts(api) -> list[dict]:
    base, session = api
    response = session.get(f"{base}/api/v1/dashboard/{local.DASHBOARD_SLUG}/charts")
    assert response.status_code == 200, response.text
    return response.json()["result"]


def chart_query(params: dict) -> dict:
    """The query a chart's form data asks for, as Superset's chart data API takes it."""
    metrics = params.get("metrics") or [params["metric"]]
    columns = (
        ([params["x_axis"]] if params.get("x_axis") else [])
        + list(params.get("groupby") or [])
        + list(params.get("groupbyRows") or [])
        + list(params.get("groupbyColumns") or [])
    )
    where = [
        f["sqlExpression"]
        for f in params.get("adhoc_filters") or []
        if f.get("expressionType") == "SQL" and f.get("clause") == "WHERE"
    ]
    return {
        "metrics": metrics,
        "columns": columns,
        "row_limit": params.get("row_limit", 10000),
        "filters": [],
        "extras": {"where": " AND ".join(f"({w})" for w in where)},
    }


def run_chart(api, chart: dict) -> list[dict]:
    base, session = api
    detail = session.get(f"{base}/api/v1/chart/{chart['id']}").json()["result"]
    params = json.loads(detail["params"])
    datasource_id = int(params["datasource"].split("__")[0])
    body = {
        "datasource": {"id": datasource_id, "type": "table"},
        "queries": [chart_query(params)],
        "result_format": "json",
        "result_type": "full",
    }
    response = session.post(f"{base}/api/v1/chart/data", json=body)
    assert response.status_code == 200, f"{chart['slice_name']}: {response.text[:2000]}"
    (result,) = response.json()["result"]
    assert not result.get("error"), result["error"]
    return result["data"]


def test_dashboard_has_the_five_charts(api):
    names = {c["slice_name"] for c in dashboard_charts(api)}
    assert len(names) == CHARTS, names
    for expected in (
        "Total AUM and 月日均 by month",
        "Tier pyramid (current tier)",
        "Tier migrations, latest evaluated month",
        "Net flow vs market effect by month",
        "Financial AUM by branch",
    ):
        assert expected in names


def test_every_chart_query_returns_rows(api):
    for chart in dashboard_charts(api):
        assert run_chart(api, chart), f"{chart['slice_name']} returned no rows"


def test_chart_figures_agree_with_the_marts(api):
    charts = {c["slice_name"]: c for c in dashboard_charts(api)}
    with duckdb.connect(str(local.serving_path()), read_only=True) as con:
        month_end = {
            str(m): v
            for m, v in con.execute(
                "select month_start, sum(month_end_aum) from marts.fct_customer_assets_monthly"
                " group by 1"
            ).fetchall()
        }
        by_tier = dict(
            con.execute(
                "select current_tier, count(*) from marts.dim_customers"
                " where current_tier is not null group by 1"
            ).fetchall()
        )
        latest = con.execute(
            "select max(month_start) from marts.fct_tier_migrations_monthly"
        ).fetchone()[0]
        migrated = con.execute(
            "select sum(customers) from marts.fct_tier_migrations_monthly where month_start = ?",
            [latest],
        ).fetchone()[0]
    rows = run_chart(api, charts["Total AUM and 月日均 by month"])
    got = {}
    for row in rows:
        stamp = row["month_start"]
        day = (
            time.strftime("%Y-%m-%d", time.gmtime(stamp / 1000))
            if isinstance(stamp, int | float)
            else str(stamp)[:10]
        )
        got[day] = Decimal(str(row["Month-end AUM 月末金融资产"]))
    assert got.keys() == month_end.keys()
    assert all(abs(got[m] - month_end[m]) <= Decimal("0.01") for m in got)
    pyramid = run_chart(api, charts["Tier pyramid (current tier)"])
    assert {
        r["tier"].split(" ")[1]: r["Customers 客户数"] for r in pyramid if r["Customers 客户数"]
    } == by_tier
    matrix = run_chart(api, charts["Tier migrations, latest evaluated month"])
    assert sum(r["Customers 客户数"] for r in matrix) == migrated


def test_dashboard_renders_in_headless_chromium(server):
    from PIL import Image
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    base, password = server
    options = webdriver.ChromeOptions()
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1600,1200",
    ):
        options.add_argument(arg)
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    driver = webdriver.Chrome(
        service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options
    )
    try:
        driver.get(f"{base}/login/")
        deadline = time.time() + 30
        while not driver.find_elements(By.ID, "username") and time.time() < deadline:
            time.sleep(0.5)
        driver.find_element(By.ID, "username").send_keys(local.ADMIN)
        driver.find_element(By.ID, "password").send_keys(password + "\n")
        deadline = time.time() + 30
        while "/login" in driver.current_url and time.time() < deadline:
            time.sleep(0.5)
        # a cold Superset can miss the first load of the page: load it again once if the
        # charts are not all drawn within the deadline
        drawn = []
        for _attempt in range(2):
            driver.get(f"{base}/superset/dashboard/{local.DASHBOARD_SLUG}/?standalone=1")
            deadline = time.time() + 120
            while time.time() < deadline:
                drawn = driver.find_elements(
                    By.CSS_SELECTOR,
                    ".chart-container canvas, .chart-container svg, .chart-container table",
                )
                if len(drawn) >= CHARTS and not driver.find_elements(By.CSS_SELECTOR, ".loading"):
                    break
                time.sleep(1)
            if len(drawn) >= CHARTS:
                break
        time.sleep(3)  # let the charts' animations settle before the picture
        errors = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".alert-danger")]
        page = driver.page_source
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SCREENSHOT))
    finally:
        driver.quit()
    assert not errors, errors
    for title in (
        "Total AUM and 月日均 by month",
        "Tier pyramid (current tier)",
        "Net flow vs market effect by month",
        "Financial AUM by branch",
    ):
        assert title in page, f"chart title {title!r} not on the dashboard"
    containers = len(drawn)
    assert containers >= CHARTS, f"only {containers} charts drawn"
    image = Image.open(SCREENSHOT).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 200, "the screenshot is nearly blank"
    print(f"screenshot: {SCREENSHOT}")
