"""The exposures say truly who reads which mart: every table the shipped Superset dashboard's
datasets read, and every model an analysis refs, is among its exposure's depends_on."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXPOSURES = {
    e["name"]: e
    for e in yaml.safe_load((ROOT / "models" / "_exposures.yml").read_text(encoding="utf-8"))[
        "exposures"
    ]
}


def depends_on(name: str) -> set[str]:
    return {re.fullmatch(r"ref\('(\w+)'\)", d).group(1) for d in EXPOSURES[name]["depends_on"]}


def test_superset_dashboard_reads_only_what_its_exposure_lists():
    read = set()
    for path in (ROOT / "superset" / "assets" / "datasets").rglob("*.yaml"):
        dataset = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert dataset["schema"] == "marts", path
        if dataset.get("sql"):
            read |= set(re.findall(r"marts\.(\w+)", dataset["sql"]))
        else:
            read.add(dataset["table_name"])
    assert read, "no dataset found"
    assert read == depends_on("superset_customer_aum_dashboard")


def test_each_analysis_has_an_exposure_listing_its_refs():
    for path in (ROOT / "analyses").glob("*.sql"):
        refs = set(re.findall(r"ref\('(\w+)'\)", path.read_text(encoding="utf-8")))
        assert refs == depends_on(f"analysis_{path.stem}"), path.name
