"""A hand-made book of four customers over January-February 2025 whose daily, monthly, flow,
market and valuation-effect figures are worked out by hand in test_e2e_customer_assets.py.

Snapshots: 2025-01-01, 01-10, 01-16, 02-28 (days between carry the last book).
- C1 (account A1): demand deposit DD1 100,000 CNY, 150,000 from 01-10 (a 50,000 inflow);
  1,000 shares of STK1 priced 10 (01-01), 11 (01-02), 12 (02-03); a flat RE1 (real estate,
  appraised 3,000,000, not in financial_aum).
- C2 (account A2): 10,000 USD in money-market fund MMF1; USD->CNY 7.0 (01-01), 7.2 (01-02),
  then nothing until 7.1 on 02-01, so 01-18..01-31 are older than fx_max_age_days = 15 and the
  fund is unvalued there (valuation effect, not an outflow).
- Joint account A3 (C2 60%, C3 40%): time deposit TD1 100,000 at 3.65% ACT/365F from 01-01,
  so it accrues exactly 10 CNY a day.
- C4 (account A4): demand deposit DD2 60,000 until it is absent from the 01-16 snapshot (an exit).
- C5 (account A5): 7,000,000 in demand deposits all along (diamond; private under a 6M ladder).
"""

from __future__ import annotations

from pathlib import Path

from rawdata import customer, write_raw

SNAPSHOTS = ["2025-01-01", "2025-01-10", "2025-01-16", "2025-02-28"]


def write(folder: Path) -> Path:
    holdings = []
    for snap in SNAPSHOTS:
        holdings.append(
            {
                "snapshot_date": snap,
                "account_id": "A1",
                "instrument_id": "DD1",
                "quantity": 100000 if snap == "2025-01-01" else 150000,
            }
        )
        holdings.append(
            {
                "snapshot_date": snap,
                "account_id": "A1",
                "instrument_id": "STK1",
                "quantity": 1000,
                "cost_amount": 9500,
            }
        )
        holdings.append(
            {"snapshot_date": snap, "account_id": "A1", "instrument_id": "RE1", "quantity": 1.0}
        )
        holdings.append(
            {"snapshot_date": snap, "account_id": "A2", "instrument_id": "MMF1", "quantity": 10000}
        )
        holdings.append(
            {"snapshot_date": snap, "account_id": "A3", "instrument_id": "TD1", "quantity": 100000}
        )
        holdings.append(
            {"snapshot_date": snap, "account_id": "A5", "instrument_id": "DD1", "quantity": 7000000}
        )
        if snap < "2025-01-16":
            holdings.append(
                {
                    "snapshot_date": snap,
                    "account_id": "A4",
                    "instrument_id": "DD2",
                    "quantity": 60000,
                }
            )
    return write_raw(
        folder,
        {
            "customers": [
                customer("C1", household_id="H1"),
                customer("C2", household_id="H1"),
                customer("C3"),
                customer("C4", customer_name="欧阳娜娜"),
                customer("C5"),
            ],
            "accounts": [
                {
                    "account_id": "A1",
                    "customer_id": "C1",
                    "account_type": "savings",
                    "open_date": "2020-01-01",
                },
                {
                    "account_id": "A2",
                    "customer_id": "C2",
                    "account_type": "wealth",
                    "open_date": "2020-01-01",
                },
                {
                    "account_id": "A3",
                    "customer_id": "C2",
                    "account_type": "savings",
                    "open_date": "2020-01-01",
                },
                {
                    "account_id": "A4",
                    "customer_id": "C4",
                    "account_type": "savings",
                    "open_date": "2020-01-01",
                },
                {
                    "account_id": "A5",
                    "customer_id": "C5",
                    "account_type": "savings",
                    "open_date": "2020-01-01",
                },
            ],
            "account_holders": [
                {"account_id": "A3", "customer_id": "C2", "ownership_share": 0.6},
                {"account_id": "A3", "customer_id": "C3", "ownership_share": 0.4},
            ],
            "instruments": [
                {
                    "instrument_id": "DD1",
                    "instrument_name": "活期",
                    "asset_class": "demand_deposit",
                    "currency": "CNY",
                },
                {
                    "instrument_id": "DD2",
                    "instrument_name": "活期",
                    "asset_class": "demand_deposit",
                    "currency": "CNY",
                },
                {
                    "instrument_id": "STK1",
                    "instrument_name": "股票",
                    "asset_class": "stock",
                    "currency": "CNY",
                },
                {
                    "instrument_id": "RE1",
                    "instrument_name": "房产",
                    "asset_class": "real_estate",
                    "currency": "CNY",
                },
                {
                    "instrument_id": "MMF1",
                    "instrument_name": "美元货基",
                    "asset_class": "money_market_fund",
                    "currency": "USD",
                },
                {
                    "instrument_id": "TD1",
                    "instrument_name": "定期",
                    "asset_class": "time_deposit",
                    "currency": "CNY",
                    "rate": 0.0365,
                    "day_count": "ACT/365F",
                    "start_date": "2025-01-01",
                    "maturity_date": "2025-12-31",
                },
            ],
            "holdings": holdings,
            "prices": [
                {"price_date": "2025-01-01", "instrument_id": "STK1", "price": 10},
                {"price_date": "2025-01-02", "instrument_id": "STK1", "price": 11},
                {"price_date": "2025-02-03", "instrument_id": "STK1", "price": 12},
                {"price_date": "2024-06-30", "instrument_id": "RE1", "price": 3000000},
            ],
            "fx_rates": [
                {
                    "rate_date": "2025-01-01",
                    "currency_from": "USD",
                    "currency_to": "CNY",
                    "rate": 7.0,
                },
                {
                    "rate_date": "2025-01-02",
                    "currency_from": "USD",
                    "currency_to": "CNY",
                    "rate": 7.2,
                },
                {
                    "rate_date": "2025-02-01",
                    "currency_from": "USD",
                    "currency_to": "CNY",
                    "rate": 7.1,
                },
            ],
        },
    )
