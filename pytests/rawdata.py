"""Write small hand-made raw datasets (docs/raw-inputs.md format) for end-to-end tests."""

from __future__ import annotations

import csv
from pathlib import Path

# Minimal required columns per table, in file order.
COLUMNS = {
    "customers": [
        "customer_id",
        "customer_name",
        "id_number",
        "mobile",
        "birth_date",
        "branch_id",
        "onboard_date",
        "household_id",
        "rm_id",
    ],
    "branches": ["branch_id", "branch_name"],
    "accounts": ["account_id", "customer_id", "account_type", "open_date"],
    "account_holders": ["account_id", "customer_id", "ownership_share"],
    "instruments": [
        "instrument_id",
        "instrument_name",
        "asset_class",
        "currency",
        "valuation_method",
        "rate",
        "coupon_frequency",
        "day_count",
        "start_date",
        "maturity_date",
        "annual_premium",
        "premium_years",
    ],
    "holdings": ["snapshot_date", "account_id", "instrument_id", "quantity", "cost_amount"],
    "prices": ["price_date", "instrument_id", "price"],
    "fx_rates": ["rate_date", "currency_from", "currency_to", "rate"],
    "insurance_cash_values": ["instrument_id", "policy_year", "cash_value"],
}


def customer(customer_id: str, **extra) -> dict:
    n = int("".join(ch for ch in customer_id if ch.isdigit()) or 0)
    row = {
        "customer_id": customer_id,
        "customer_name": "王小明",
        "id_number": f"11010119900307{n % 1000:03d}X",
        "mobile": f"1380000{n:04d}",
        "birth_date": "1990-03-07",
        "branch_id": "B01",
        "onboard_date": "2020-01-01",
        "household_id": "",
        "rm_id": "RM1",
    }
    row.update(extra)
    return row


def write_raw(folder: Path, tables: dict[str, list[dict]], drop: dict | None = None) -> Path:
    """Write each table as CSV; tables absent from `tables` get no file (optional tables) or the
    defaults below. `drop` maps table -> column to leave out (to test contract errors)."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = dict(tables)
    tables.setdefault("branches", [{"branch_id": "B01", "branch_name": "总行营业部"}])
    for name, rows in tables.items():
        cols = [c for c in COLUMNS[name] if not (drop and drop.get(name) == c)]
        extra = sorted({k for r in rows for k in r} - set(COLUMNS[name]))
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=cols + extra, extrasaction="ignore")
            writer.writeheader()
            for r in rows:
                writer.writerow({k: "" if r.get(k) is None else r.get(k) for k in cols + extra})
    return folder


def daily_rows(dates: list[str], **fields) -> list[dict]:
    """One row per date with the same other fields, for snapshots and prices."""
    return [{**fields, "snapshot_date": d} for d in dates]
