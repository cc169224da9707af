"""Deterministic synthetic raw inputs (docs/raw-inputs.md) for the customer asset-size project.

``aum-generate-sample --out data/sample`` writes one folder with ``customers``, ``branches``,
``accounts``, ``account_holders``, ``instruments``, ``holdings``, ``prices``, ``fx_rates`` and
``insurance_cash_values`` as ``<table>.parquet`` (or ``<table>.csv``), then ``_manifest.json``.

How it scales: the instrument catalogue, prices and FX rates are small and built once; customers
are generated in fixed blocks of ``BLOCK`` customers, each from its own random stream
(``SeedSequence([seed, 1, block])``), so the data of a customer does not depend on
``--chunk-customers`` (a chunk is only a number of blocks written together). Holdings are
expanded snapshot by snapshot, vectorised over all positions of the chunk, and streamed to one
``ParquetWriter`` (or CSV writer) per table; the only per-row randomness (daily deposit balance
noise) is a counter-based hash of (position, snapshot), so it needs no random state either.

Everything is synthetic: names, resident ID numbers (valid ISO 7064 MOD 11-2 check digit) and
mobiles are made up and unique per customer within a dataset.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

GENERATOR_VERSION = 1
BLOCK = 500  # customers per random stream; fixed so that chunking never changes the data
PRE_DAYS = 21  # market data (prices, FX) starts this many days before the window
_EPOCH = date(1970, 1, 1)
_FAR = 10**7  # "never" as a day number / snapshot index

ASSET_CLASSES = (
    "cash",
    "demand_deposit",
    "time_deposit",
    "money_market_fund",
    "mutual_fund",
    "wealth_product",
    "stock",
    "bond",
    "insurance",
    "gold",
    "trust",
    "real_estate",
)
(CASH, DD, TD, MMF, MF, WP, STOCK, BOND, INS, GOLD, TRUST, RE) = range(12)
# docs/valuation.md#asset-class-rules; the seed asset_class_rules carries the same defaults.
CLASS_DEFAULT_METHOD = {
    "cash": "face",
    "demand_deposit": "face",
    "time_deposit": "accrual",
    "money_market_fund": "face",
    "mutual_fund": "price",
    "wealth_product": "price",
    "stock": "price",
    "bond": "bond",
    "insurance": "insurance",
    "gold": "price",
    "trust": "price",
    "real_estate": "appraisal",
}
VALUATION_METHODS = ("face", "accrual", "price", "bond", "insurance", "appraisal")
DAY_COUNTS = ("ACT/360", "ACT/365F", "ACT/ACT-ICMA", "30/360", "30E/360")
CURRENCIES = ("CNY", "USD", "HKD", "EUR")
ACCOUNT_TYPES = ("savings", "brokerage", "wealth", "insurance", "custody")
CLASS_ACCOUNT_TYPE = np.array([1, 0, 0, 2, 2, 2, 1, 1, 3, 2, 2, 4], dtype=np.int64)
TIERS = (
    ("mass", 0.0),
    ("gold", 50_000.0),
    ("sunflower", 500_000.0),
    ("diamond", 5_000_000.0),
    ("private", 10_000_000.0),
)
TABLES = (
    "branches",
    "instruments",
    "insurance_cash_values",
    "prices",
    "fx_rates",
    "customers",
    "accounts",
    "account_holders",
    "holdings",
)

SCHEMAS = {
    "customers": pa.schema(
        [
            ("customer_id", pa.string()),
            ("customer_name", pa.string()),
            ("id_number", pa.string()),
            ("mobile", pa.string()),
            ("birth_date", pa.date32()),
            ("branch_id", pa.string()),
            ("onboard_date", pa.date32()),
            ("gender", pa.string()),
            ("household_id", pa.string()),
            ("rm_id", pa.string()),
            ("risk_profile", pa.string()),
            ("status", pa.string()),
            ("closed_date", pa.date32()),
        ]
    ),
    "branches": pa.schema(
        [
            ("branch_id", pa.string()),
            ("branch_name", pa.string()),
            ("city", pa.string()),
            ("region", pa.string()),
        ]
    ),
    "accounts": pa.schema(
        [
            ("account_id", pa.string()),
            ("customer_id", pa.string()),
            ("account_type", pa.string()),
            ("open_date", pa.date32()),
            ("close_date", pa.date32()),
        ]
    ),
    "account_holders": pa.schema(
        [
            ("account_id", pa.string()),
            ("customer_id", pa.string()),
            ("ownership_share", pa.float64()),
        ]
    ),
    "instruments": pa.schema(
        [
            ("instrument_id", pa.string()),
            ("instrument_name", pa.string()),
            ("asset_class", pa.string()),
            ("currency", pa.string()),
            ("valuation_method", pa.string()),
            ("risk_level", pa.string()),
            ("rate", pa.float64()),
            ("coupon_frequency", pa.int32()),
            ("day_count", pa.string()),
            ("start_date", pa.date32()),
            ("maturity_date", pa.date32()),
            ("annual_premium", pa.float64()),
            ("premium_years", pa.int32()),
        ]
    ),
    "holdings": pa.schema(
        [
            ("snapshot_date", pa.date32()),
            ("account_id", pa.string()),
            ("instrument_id", pa.string()),
            ("quantity", pa.float64()),
            ("cost_amount", pa.float64()),
        ]
    ),
    "prices": pa.schema(
        [
            ("price_date", pa.date32()),
            ("instrument_id", pa.string()),
            ("price", pa.float64()),
        ]
    ),
    "fx_rates": pa.schema(
        [
            ("rate_date", pa.date32()),
            ("currency_from", pa.string()),
            ("currency_to", pa.string()),
            ("rate", pa.float64()),
        ]
    ),
    "insurance_cash_values": pa.schema(
        [
            ("instrument_id", pa.string()),
            ("policy_year", pa.int32()),
            ("cash_value", pa.float64()),
        ]
    ),
}

# ---------------------------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------------------------
_LUNAR_NEW_YEAR = {
    2015: (2, 19),
    2016: (2, 8),
    2017: (1, 28),
    2018: (2, 16),
    2019: (2, 5),
    2020: (1, 25),
    2021: (2, 12),
    2022: (2, 1),
    2023: (1, 22),
    2024: (2, 10),
    2025: (1, 29),
    2026: (2, 17),
    2027: (2, 6),
    2028: (1, 26),
    2029: (2, 13),
    2030: (2, 3),
    2031: (1, 23),
    2032: (2, 11),
    2033: (1, 31),
    2034: (2, 19),
    2035: (2, 8),
}
_NATIONAL_DAY_8 = {2020, 2025}  # Mid-Autumn merged into the National Day week: Oct 1..8


def cn_holidays(first: date, last: date) -> set[date]:
    """Mainland public holidays used by the generator (no snapshots, prices or FX rates).

    New Year's Day; Spring Festival from New Year's Eve to the 6th day (lunar dates known for
    2015-2035, other years get none); Qingming (Apr 4 or 5); Labour Day May 1-5; National Day
    Oct 1-7 (to Oct 8 when Mid-Autumn falls in that week). Make-up working weekends are ignored.
    """
    out: set[date] = set()
    for y in range(first.year, last.year + 1):
        days = [date(y, 1, 1), date(y, 4, 4 if y % 4 in (0, 1) else 5)]
        if y in _LUNAR_NEW_YEAR:
            lny = date(y, *_LUNAR_NEW_YEAR[y])
            days += [lny + timedelta(days=k) for k in range(-1, 7)]
        days += [date(y, 5, d) for d in range(1, 6)]
        days += [date(y, 10, d) for d in range(1, 9 if y in _NATIONAL_DAY_8 else 8)]
        out.update(d for d in days if first <= d <= last)
    return out


def _dnum(d: date) -> int:
    return (d - _EPOCH).days


def _ddate(n: int) -> date:
    return _EPOCH + timedelta(days=int(n))


def business_days(first: date, last: date) -> np.ndarray:
    """Weekdays in [first, last] that are not holidays, as day numbers since 1970-01-01."""
    days = np.arange(_dnum(first), _dnum(last) + 1, dtype=np.int64)
    hol = np.array(sorted(_dnum(h) for h in cn_holidays(first, last)), dtype=np.int64)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    return days[(weekday < 5) & ~np.isin(days, hol)]


def _add_months(d: date, k: int) -> date:
    m = d.year * 12 + d.month - 1 + k
    y, mo = divmod(m, 12)
    mo += 1
    return date(y, mo, min(d.day, _month_len(y, mo)))


def _month_len(y: int, m: int) -> int:
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - date(y, m, 1)).days


def _eom(d: date) -> date:
    return date(d.year, d.month, _month_len(d.year, d.month))


def tier_of(amount: float) -> str:
    """Tier whose default threshold (docs/tiers.md#the-ladder) the amount reaches."""
    name = TIERS[0][0]
    for tier, floor in TIERS:
        if amount >= floor:
            name = tier
    return name


# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------
_BRANCHES = (
    ("上海分行营业部", "上海", "华东"),
    ("上海陆家嘴支行", "上海", "华东"),
    ("北京金融街支行", "北京", "华北"),
    ("北京中关村支行", "北京", "华北"),
    ("深圳福田支行", "深圳", "华南"),
    ("深圳南山支行", "深圳", "华南"),
    ("广州天河支行", "广州", "华南"),
    ("杭州钱江新城支行", "杭州", "华东"),
    ("南京新街口支行", "南京", "华东"),
    ("苏州工业园区支行", "苏州", "华东"),
    ("成都高新支行", "成都", "西南"),
    ("重庆解放碑支行", "重庆", "西南"),
    ("武汉光谷支行", "武汉", "华中"),
    ("西安高新支行", "西安", "西北"),
    ("天津滨海支行", "天津", "华北"),
    ("宁波鄞州支行", "宁波", "华东"),
    ("厦门思明支行", "厦门", "华南"),
    ("青岛市南支行", "青岛", "华东"),
    ("长沙芙蓉支行", "长沙", "华中"),
    ("郑州郑东支行", "郑州", "华中"),
)
_SURNAMES = (
    "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗 梁 宋 "
    "郑 谢 韩 唐 冯 于 董 萧 程 曹 袁 邓 许 傅 沈 曾 彭 吕 苏 卢 蒋 蔡 "
    "贾 丁 魏 薛 叶 阎 欧阳 司马 上官"
).split()
_GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文玉兰俊峰晨宇浩然子涵"
    "欣怡梓轩雨萱博文思远佳琪嘉怡一诺欢婷海波晓东振宇立新春燕"
)
# 6-digit administrative division codes (district level) used at the start of resident IDs.
_REGION_CODES = (
    110101,
    110105,
    110108,
    310101,
    310104,
    310115,
    440103,
    440106,
    440304,
    440305,
    330102,
    330106,
    320102,
    320106,
    320505,
    510104,
    510107,
    500103,
    420102,
    420111,
    610103,
    610113,
    120101,
    330203,
    350203,
    370202,
    430102,
    410105,
    130102,
    140105,
    210102,
    220102,
    230102,
    340102,
    360102,
    370102,
    450102,
    460105,
    520102,
    530102,
)
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
_BIRTH_SPAN_DAYS = 60 * 365 + 15  # ages 20..80 at the window start


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of an 18-character resident ID number."""
    total = sum(int(c) * int(w) for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


# ---------------------------------------------------------------------------------------------
# Instrument catalogue
# ---------------------------------------------------------------------------------------------
@dataclass
class _Inst:
    iid: str
    name: str
    cls: int
    ccy: str
    method: str | None = None
    risk: str = "R1"
    rate: float | None = None
    freq: int | None = None
    dc: str | None = None
    start: date | None = None
    maturity: date | None = None
    premium: float | None = None
    pyears: int | None = None
    mode: str = "none"  # price rows: none / daily / weekly / quarterly / appraisal
    p0: float = 1.0
    vol: float = 0.0
    drift: float = 0.0
    beta: float = 0.0
    decimals: int = 4
    late_days: int | None = None  # first price this many days after the window start
    suspend: tuple[int, int] | None = None  # no prices on [start+a, start+b) calendar days
    generic: bool = True  # may be picked for random customers
    weight: float = 1.0  # popularity
    lot: float = 0.01
    minq: float = 0.01


class _Catalog:
    def __init__(self) -> None:
        self.items: list[_Inst] = []
        self.roles: dict[str, int] = {}
        self._count: dict[str, int] = {}

    def add(self, prefix: str, role: str | None = None, **kw) -> int:
        k = self._count.get(prefix, 0) + 1
        self._count[prefix] = k
        self.items.append(_Inst(iid=f"{prefix}{k:04d}", **kw))
        if role:
            self.roles[role] = len(self.items) - 1
        return len(self.items) - 1

    def finalize(self, start: date, end: date, snaps: np.ndarray) -> None:
        it = self.items
        self.n = len(it)
        self.ids = pa.array([i.iid for i in it], pa.string())
        self.cls = np.array([i.cls for i in it], dtype=np.int64)
        self.ccy = np.array([CURRENCIES.index(i.ccy) for i in it], dtype=np.int64)
        self.method = np.array(
            [
                VALUATION_METHODS.index(i.method or CLASS_DEFAULT_METHOD[ASSET_CLASSES[i.cls]])
                for i in it
            ],
            dtype=np.int64,
        )
        self.start_day = np.array([_dnum(i.start) if i.start else -_FAR for i in it])
        self.mat_day = np.array([_dnum(i.maturity) if i.maturity else _FAR for i in it])
        # first snapshot on/after start_date, first snapshot on/after maturity (= exit)
        self.start_snap = np.searchsorted(snaps, self.start_day, side="left")
        self.mat_snap = np.searchsorted(snaps, self.mat_day, side="left")
        # a bond's book must not be carried past its maturity date (it would be unvalued):
        # exit at the last snapshot on or before maturity + 1 day
        bond_exit = np.maximum(np.searchsorted(snaps, self.mat_day + 1, side="right") - 1, 0)
        self.mat_snap = np.where(
            (self.cls == BOND) & (self.mat_day < _FAR), bond_exit, self.mat_snap
        )
        self.lot = np.array([i.lot for i in it])
        self.minq = np.array([i.minq for i in it])
        self.generic = np.array([i.generic for i in it])
        self.weight = np.array([i.weight for i in it])
        self.premium = np.array([i.premium or 0.0 for i in it])
        self.late = np.array([i.late_days is not None for i in it])
        alive = (self.start_day <= _dnum(end)) & (self.mat_day > _dnum(start))
        self.pool: list[np.ndarray] = []
        self.pool_cum: list[np.ndarray] = []
        for c in range(12):
            idx = np.flatnonzero((self.cls == c) & self.generic & alive)
            if c == INS:  # sorted by premium in CNY terms, for the affordability pick
                prem = self.premium[idx] * np.where(self.ccy[idx] == 1, 7.2, 1.0)
                idx = idx[np.argsort(prem, kind="stable")]
            self.pool.append(idx)
            self.pool_cum.append(np.cumsum(self.weight[idx]))
        prem_cny = self.premium * np.where(self.ccy == 1, 7.2, 1.0)
        self.ins_prem_sorted = prem_cny[self.pool[INS]]
        # insurance cost: premiums paid by the window start
        paid = np.zeros(self.n)
        for k, i in enumerate(it):
            if i.cls == INS and i.start and i.premium:
                years = max(0, (start - i.start).days) // 365 + 1
                paid[k] = i.premium * min(i.pyears or 1, years)
        self.ins_paid = paid


def _build_catalog(
    rng: np.random.Generator, start: date, end: date, n_customers: int, days: int
) -> _Catalog:
    cat = _Catalog()
    scale = min(17.5, max(1.0, (n_customers / 300.0) ** 0.35))
    win_months = (end.year - start.year) * 12 + end.month - start.month

    # cash (brokerage settlement balances) and demand deposits: face value
    for ccy, nm in (("CNY", "人民币"), ("USD", "美元"), ("HKD", "港币")):
        cat.add("CASH", role=f"CASH_{ccy}", name=f"证券账户资金 {nm}", cls=CASH, ccy=ccy)
    for ccy, nm in (("CNY", "人民币"), ("USD", "美元"), ("HKD", "港币"), ("EUR", "欧元")):
        cat.add(
            "DD",
            role=f"DD_{ccy}",
            name=f"活期存款 {nm}",
            cls=DD,
            ccy=ccy,
            weight={"CNY": 1.0, "USD": 0.6, "HKD": 0.3, "EUR": 0.1}[ccy],
        )

    # time deposits: monthly issue cohorts alive during the window
    td_rates = {3: 0.0105, 6: 0.0125, 12: 0.0135, 24: 0.0145, 36: 0.0175, 60: 0.0180}
    for m in range(-60, win_months + 1):
        for term, base in td_rates.items():
            day = 31 if rng.random() < 0.1 else int(rng.integers(1, 29))
            first = _add_months(start, m)
            issue = date(first.year, first.month, min(day, _month_len(first.year, first.month)))
            mat = _add_months(issue, term)
            if issue > end or mat <= start:
                continue
            rate = round(base + 0.004 * max(0, -m) / 12 + rng.uniform(-0.0005, 0.0005), 4)
            cat.add(
                "TD",
                name=f"人民币整存整取 {term}个月 {issue.isoformat()}",
                cls=TD,
                ccy="CNY",
                rate=rate,
                dc="ACT/360" if rng.random() < 0.2 else "ACT/365F",
                start=issue,
                maturity=mat,
                method="accrual" if rng.random() < 0.1 else None,
                lot=1000.0,
                minq=1000.0,
            )
            if term in (6, 12) and m % 3 == 0:
                cat.add(
                    "TD",
                    name=f"美元定期存款 {term}个月 {issue.isoformat()}",
                    cls=TD,
                    ccy="USD",
                    rate=round(0.042 + rng.uniform(-0.003, 0.003), 4),
                    dc="ACT/360",
                    start=issue,
                    maturity=mat,
                    lot=100.0,
                    minq=1000.0,
                    weight=0.2,
                )
    long_issue = _add_months(start, -12)
    cat.add(
        "TD",
        role="TD_LONG",
        name=f"人民币整存整取 5年 {long_issue.isoformat()}",
        cls=TD,
        ccy="CNY",
        rate=0.0195,
        dc="ACT/365F",
        start=long_issue,
        maturity=_add_months(long_issue, 60),
        lot=1000.0,
        minq=1000.0,
    )

    # money-market funds: face (units of 1 currency unit)
    for k, nm in enumerate(
        ("天天利货币A", "现金宝货币", "添益快线", "余额理财货币B", "日日盈货币", "朝朝宝货币")
    ):
        cat.add(
            "MMF",
            role="MMF_CNY" if k == 0 else None,
            name=nm,
            cls=MMF,
            ccy="CNY",
            risk="R1",
            method="face" if k == 1 else None,
            weight=1.0 / (k + 1),
        )
    cat.add("MMF", name="美元货币基金A", cls=MMF, ccy="USD", risk="R1", weight=0.2)

    # mutual funds: NAV priced daily
    houses = (
        "华夏",
        "易方达",
        "南方",
        "嘉实",
        "广发",
        "富国",
        "汇添富",
        "招商",
        "博时",
        "工银瑞信",
    )
    themes = (
        "成长",
        "价值",
        "消费",
        "医疗",
        "新能源",
        "科技",
        "红利",
        "稳健",
        "沪深300指数",
        "中证500指数",
        "纯债",
        "短债",
    )
    kinds = ("混合A", "股票A", "混合C", "指数增强", "债券A")
    n_mf = round(30 * scale)
    for k in range(n_mf):
        theme = themes[int(rng.integers(len(themes)))]
        bondish = theme in ("纯债", "短债", "稳健")
        u = rng.random() if k else 0.0
        ccy = "CNY" if u < 0.85 else ("USD" if u < 0.93 else ("HKD" if u < 0.97 else "EUR"))
        cat.add(
            "MF",
            role="MF_1" if k == 0 else None,
            name=f"{houses[int(rng.integers(len(houses)))]}{theme}{kinds[k % len(kinds)]}"
            + ("(QDII)" if ccy != "CNY" else ""),
            cls=MF,
            ccy=ccy,
            risk="R2" if bondish else f"R{3 + k % 2}",
            mode="daily",
            p0=round(float(rng.uniform(0.8, 3.5)), 4),
            vol=0.001 if bondish else float(rng.uniform(0.007, 0.016)),
            drift=0.00012 if bondish else 0.0002,
            beta=0.0 if bondish else 0.8,
            weight=1.0 / (k + 3),
        )
    cat.add(
        "MF",
        role="MF_EUR",
        name="欧洲精选股票(QDII-EUR)",
        cls=MF,
        ccy="EUR",
        risk="R4",
        mode="daily",
        p0=1.2345,
        vol=0.009,
        drift=0.0002,
        beta=0.3,
        weight=0.05,
    )
    late_stk = max(14, min(35, days // 3))
    cat.add(
        "MF",
        role="MF_LATE",
        name="新发科技创新混合A(募集期)",
        cls=MF,
        ccy="CNY",
        risk="R4",
        mode="daily",
        p0=1.0,
        vol=0.006,
        drift=0.0001,
        beta=0.5,
        late_days=max(10, late_stk - 7),
        weight=0.3,
    )

    # wealth products: NAV (price, explicit) and expected-yield (accrual, explicit)
    for k in range(round(10 * scale)):
        cat.add(
            "WP",
            role="WP_NAV" if k == 0 else None,
            name=f"稳享净值增强{k + 1}号",
            cls=WP,
            ccy="CNY",
            method="price",
            risk=("R2", "R2", "R3")[k % 3],
            mode="daily" if k % 5 < 3 else "weekly",
            p0=round(float(rng.uniform(1.0, 1.2)), 4),
            vol=float(rng.uniform(0.0002, 0.0012)),
            drift=0.00012,
            weight=1.0 / (k + 2),
        )
    for m in range(-24, win_months + 1, 2):
        for term in (3, 6, 12, 24):
            first = _add_months(start, m)
            issue = date(first.year, first.month, int(rng.integers(1, 29)))
            mat = _add_months(issue, term)
            if issue > end or mat <= start:
                continue
            cat.add(
                "WP",
                name=f"安心固收{term}个月第{(m + 30) * 4 + term // 6}期",
                cls=WP,
                ccy="CNY",
                method="accrual",
                risk="R2",
                rate=round(0.026 + 0.002 * term / 12 + rng.uniform(-0.002, 0.002), 4),
                dc="ACT/360" if rng.random() < 0.15 else "ACT/365F",
                start=issue,
                maturity=mat,
                lot=1000.0,
                minq=10000.0,
            )
    wp_issue = _add_months(start, -6)
    cat.add(
        "WP",
        role="WP_ACCR_LONG",
        name="安心固收24个月臻享款",
        cls=WP,
        ccy="CNY",
        method="accrual",
        risk="R2",
        rate=0.0335,
        dc="ACT/365F",
        start=wp_issue,
        maturity=_add_months(wp_issue, 24),
        lot=1000.0,
        minq=10000.0,
    )
    cat.add(
        "WP",
        role="WP_ICMA",
        name="美元固收精选(ACT/ACT-ICMA计息)",
        cls=WP,
        ccy="CNY",
        method="accrual",
        risk="R2",
        rate=0.031,
        dc="ACT/ACT-ICMA",
        start=_add_months(start, -2),
        maturity=_add_months(start, 10),
        generic=False,
        lot=1000.0,
        minq=10000.0,
    )

    # stocks
    a_chars = "华中国东南海金长新天恒宏泰盛信安润鼎瑞嘉"
    sectors = (
        "科技",
        "银行",
        "医药",
        "能源",
        "电子",
        "汽车",
        "证券",
        "地产",
        "材料",
        "食品",
        "电力",
        "通信",
        "化工",
        "机械",
        "传媒",
        "环保",
    )
    us_a = (
        "Apex",
        "Blue",
        "Cedar",
        "Delta",
        "Evergreen",
        "Frontier",
        "Granite",
        "Harbor",
        "Summit",
        "Vertex",
    )
    us_b = (
        "Systems",
        "Holdings",
        "Energy",
        "Health",
        "Motors",
        "Semiconductor",
        "Bancorp",
        "Retail",
    )
    for k in range(round(40 * scale)):
        u = rng.random() if k else 0.0
        ccy = "CNY" if u < 0.7 else ("HKD" if u < 0.9 else "USD")
        if ccy == "USD":
            name = f"{us_a[int(rng.integers(10))]} {us_b[int(rng.integers(8))]} Inc"
            p0 = float(np.exp(rng.normal(np.log(120), 0.7)))
        else:
            name = (
                a_chars[int(rng.integers(20))]
                + a_chars[int(rng.integers(20))]
                + sectors[int(rng.integers(len(sectors)))]
                + ("(H股)" if ccy == "HKD" else "")
            )
            p0 = float(np.exp(rng.normal(np.log(15 if ccy == "CNY" else 30), 0.8)))
        cat.add(
            "STK",
            role="STK_1" if k == 0 else None,
            name=name,
            cls=STOCK,
            ccy=ccy,
            risk="R4" if k % 3 else "R5",
            mode="daily",
            p0=round(p0, 2),
            vol=float(rng.uniform(0.012, 0.028)),
            drift=0.0002,
            beta=float(rng.uniform(0.6, 1.4)),
            decimals=2,
            weight=1.0 / (k + 5),
            lot=100.0,
            minq=100.0,
        )
    cat.add(
        "STK",
        role="STK_LATE",
        name="新锐半导体(新股待上市)",
        cls=STOCK,
        ccy="CNY",
        risk="R5",
        mode="daily",
        p0=38.5,
        vol=0.04,
        drift=0.0,
        beta=1.2,
        decimals=2,
        late_days=late_stk,
        weight=0.05,
        lot=100.0,
        minq=100.0,
    )
    sus0 = int(days * 0.4) if days >= 45 else 3
    cat.add(
        "STK",
        role="STK_SUSP",
        name="华信地产(停牌)",
        cls=STOCK,
        ccy="CNY",
        risk="R5",
        mode="daily",
        p0=6.12,
        vol=0.02,
        drift=0.0,
        beta=1.0,
        decimals=2,
        suspend=(sus0, sus0 + 21),
        weight=0.05,
        lot=100.0,
        minq=100.0,
    )

    # bonds
    y_mkt = {"CNY": 0.019, "USD": 0.042, "EUR": 0.027}

    def add_bond(
        ccy: str,
        rate: float,
        freq: int,
        dc: str,
        mat: date,
        years: int,
        short: bool,
        name: str,
        role: str | None = None,
        method: str | None = None,
        issue: date | None = None,
    ) -> None:
        tenor = 12 // freq if freq else 12
        periods = years * (freq if freq else 1)
        reg = _add_months(mat, -periods * tenor)
        if issue is None:
            issue = reg
            if short and freq:
                nxt = _add_months(mat, -(periods - 1) * tenor)
                gap = (nxt - reg).days
                issue = reg + timedelta(days=int(rng.integers(10, max(11, gap - 10))))
        rem = max((mat - start).days / 365.25, 0.05)
        y = y_mkt[ccy] + rng.normal(0, 0.003)
        p0 = 100.0 / (1 + y) ** rem if freq == 0 else 100 + (rate - y) * min(rem, 8) * 100
        cat.add(
            "BOND",
            role=role,
            name=name,
            cls=BOND,
            ccy=ccy,
            method=method,
            risk="R2" if ccy == "CNY" else "R3",
            rate=rate,
            freq=freq,
            dc=dc,
            start=issue,
            maturity=mat,
            mode="daily",
            p0=float(np.clip(p0, 80, 120)),
            vol=0.0015,
            weight=1.0 / (len(cat.items) % 7 + 2),
            lot=10000.0 if ccy == "CNY" else 1000.0,
            minq=10000.0 if ccy == "CNY" else 1000.0,
        )

    yy = start.year % 100
    add_bond(
        "CNY",
        0.0255,
        1,
        "ACT/ACT-ICMA",
        _eom(_add_months(start, 67)),
        10,
        False,
        f"{yy - 5}附息国债12",
        role="BOND_1",
    )
    add_bond(
        "CNY",
        0.0320,
        1,
        "ACT/365F",
        _add_months(start, 38).replace(day=15),
        5,
        True,
        f"{yy - 2}华能MTN003",
    )
    add_bond(
        "USD",
        0.0425,
        2,
        "30/360",
        _eom(_add_months(start, 43)),
        5,
        True,
        "Harbor Energy 4.25% USD",
        method="bond",
    )
    add_bond(
        "EUR",
        0.0300,
        1,
        "30E/360",
        _eom(_add_months(start, 52)),
        7,
        False,
        "Deutsche Infra 3.00% EUR",
    )
    add_bond(
        "CNY",
        0.0210,
        4,
        "ACT/360",
        _eom(_add_months(start, 22)),
        3,
        True,
        f"{yy - 1}中行浮息CD",
        method="bond",
    )
    add_bond(
        "CNY",
        0.0,
        0,
        "ACT/365F",
        _add_months(start, 17).replace(day=20),
        2,
        False,
        f"{yy - 1}贴现国债08",
    )
    add_bond(
        "USD",
        0.03875,
        2,
        "ACT/ACT-ICMA",
        _eom(_add_months(start, 25)),
        5,
        True,
        "UST 3.875% (short first)",
    )
    add_bond(
        "CNY",
        0.0230,
        4,
        "ACT/ACT-ICMA",
        _eom(_add_months(start, 7)),
        3,
        True,
        f"{yy - 3}国开绿债04",
        role="BOND_MATURING",
    )
    add_bond(
        "CNY", 0.0350, 4, "30/360", _eom(_add_months(start, 29)), 3, True, f"{yy - 1}招银ABS优先A"
    )
    new_issue = _add_months(start, min(2, max(0, win_months - 1))).replace(day=17)
    add_bond(
        "CNY",
        0.0200,
        2,
        "ACT/ACT-ICMA",
        _add_months(start, 38).replace(day=25),
        3,
        False,
        f"{yy}附息国债05(新发)",
        issue=new_issue,
        role="BOND_NEW",
    )
    dcs = ("ACT/ACT-ICMA", "ACT/365F", "30/360", "ACT/360", "30E/360")
    for _ in range(max(0, round(25 * scale) - 10)):
        u = rng.random()
        ccy = "CNY" if u < 0.8 else ("USD" if u < 0.95 else "EUR")
        freq = int(rng.choice([1, 2, 4, 0], p=[0.45, 0.3, 0.15, 0.1]))
        dc = str(rng.choice(dcs, p=[0.35, 0.3, 0.15, 0.1, 0.1]))
        years = int(rng.choice([1, 2, 3, 5, 7, 10, 20]))
        m_ahead = int(rng.integers(4, years * 12 + 1))
        mat = _add_months(start, m_ahead)
        mat = _eom(mat) if rng.random() < 0.25 else mat.replace(day=int(rng.integers(1, 29)))
        rate = 0.0 if freq == 0 else round(y_mkt[ccy] + rng.uniform(-0.003, 0.015), 4)
        add_bond(
            ccy,
            rate,
            freq,
            dc,
            mat,
            years,
            bool(rng.random() < 0.5),
            f"{yy - int(rng.integers(0, 5))}{a_chars[int(rng.integers(20))]}债"
            f"{int(rng.integers(1, 20)):02d}",
        )

    # insurance: one instrument per policy cohort (start_date = policy start)
    n_ins = 25 + round(5 * scale)
    premiums = (3000.0, 6000.0, 10000.0, 20000.0, 50000.0, 100000.0, 200000.0, 500000.0)
    for k in range(n_ins):
        if k == 0 and date(2020, 2, 29) < start:
            pstart = date(2020, 2, 29)  # anniversary falls on 28 Feb in common years
        else:
            pstart = start - timedelta(days=int(rng.integers(30, 12 * 365)))
        pyears = int(rng.choice([1, 3, 5, 10, 20]))
        ccy = "USD" if k in (5, 11) else "CNY"
        prem = premiums[k % len(premiums)] / (7.0 if ccy == "USD" else 1.0)
        cat.add(
            "INS",
            role={0: "INS_LEAP", 1: "INS_1"}.get(k),
            name=f"{('鑫享', '金福', '安康', '如意')[k % 4]}年金保险({pyears}年交)",
            cls=INS,
            ccy=ccy,
            method="insurance" if k == 2 else None,
            risk="R1",
            start=pstart,
            premium=round(prem, 2),
            pyears=pyears,
            lot=1.0,
            minq=1.0,
        )
    if days >= 60:
        cat.add(
            "INS",
            name="新春专享增额终身寿(新单)",
            cls=INS,
            ccy="CNY",
            risk="R1",
            start=start + timedelta(days=45),
            premium=20000.0,
            pyears=5,
            lot=1.0,
            minq=1.0,
        )
    cat.add(
        "INS",
        role="INS_NOCV",
        name="团体意外险(无现金价值表)",
        cls=INS,
        ccy="CNY",
        risk="R1",
        start=_add_months(start, -14),
        premium=1200.0,
        pyears=1,
        generic=False,
        lot=1.0,
        minq=1.0,
    )

    # gold (price per gram)
    cat.add(
        "GOLD",
        role="GOLD_CNY",
        name="积存金 Au99.99(克)",
        cls=GOLD,
        ccy="CNY",
        risk="R3",
        mode="daily",
        p0=620.0,
        vol=0.009,
        drift=0.0008,
        decimals=2,
        lot=1.0,
        minq=1.0,
    )
    cat.add(
        "GOLD",
        name="纸黄金 美元(克)",
        cls=GOLD,
        ccy="USD",
        risk="R3",
        mode="daily",
        p0=85.0,
        vol=0.009,
        drift=0.0008,
        decimals=2,
        lot=1.0,
        minq=1.0,
        weight=0.3,
    )

    # trusts: weekly NAV, one only at quarter ends (stale beyond 45 days)
    for k in range(4 + round(scale)):
        cat.add(
            "TRUST",
            role="TRUST_1" if k == 0 else None,
            name=f"{('中信', '平安', '外贸', '华润')[k % 4]}信托·稳盈{k + 1}号",
            cls=TRUST,
            ccy="CNY",
            risk=("R3", "R4")[k % 2],
            mode="weekly",
            p0=round(float(rng.uniform(1.0, 1.1)), 4),
            vol=0.0006,
            drift=0.00018,
            lot=1.0,
            minq=1.0,
        )
    cat.add(
        "TRUST",
        role="TRUST_QUARTERLY",
        name="五矿信托·恒信季度估值1号",
        cls=TRUST,
        ccy="CNY",
        risk="R4",
        mode="quarterly",
        p0=1.0213,
        vol=0.0006,
        drift=0.00015,
        weight=0.5,
        lot=1.0,
        minq=1.0,
    )

    # real estate: appraisal of the whole property
    districts = (
        "上海浦东新区",
        "北京朝阳区",
        "深圳南山区",
        "杭州西湖区",
        "成都高新区",
        "广州天河区",
    )
    for k in range(8 + round(3 * scale)):
        ccy = "HKD" if k == 3 else "CNY"
        cat.add(
            "RE",
            role=f"RE_{k + 1}" if k < 2 else None,
            name=(
                "香港九龙塘住宅"
                if ccy == "HKD"
                else f"{districts[k % len(districts)]}住宅{k + 1}号"
            ),
            cls=RE,
            ccy=ccy,
            method="appraisal" if k % 4 == 1 else None,
            risk="R3",
            mode="appraisal",
            p0=round(float(np.exp(rng.uniform(np.log(2e6), np.log(3e7)))), -3),
            vol=0.002,
            drift=-0.0001,
            decimals=0,
            lot=0.5,
            minq=0.5,
        )
    return cat


def _cash_values(inst: _Inst) -> np.ndarray:
    """Per-unit cash value at the end of policy years 1..20 (an annuity-like savings policy)."""
    k = np.arange(1, 21)
    years = inst.pyears or 1
    prem = inst.premium or 0.0
    cv = np.zeros(20)
    for j in range(years):  # premium paid at the start of policy year j+1 grows from then on
        grows = k > j
        cv += np.where(grows, prem * 1.025 ** (k - j), 0.0)
    surrender = np.minimum(1.0, 0.45 + 0.09 * k)
    return np.round(cv * surrender, 2)


# ---------------------------------------------------------------------------------------------
# Market data
# ---------------------------------------------------------------------------------------------
def _market(ctx: _Ctx, cat: _Catalog, rng: np.random.Generator) -> tuple[pa.Table, np.ndarray]:
    """Price rows and, for sizing positions, each instrument's unit value at every snapshot."""
    bd = ctx.bdays
    nb = len(bd)
    week = (bd + 3) // 7
    ym = np.array([_ddate(d).year * 12 + _ddate(d).month for d in bd]) if nb else np.zeros(0)
    last_of_week = np.r_[week[1:] != week[:-1], True] if nb else np.zeros(0, bool)
    last_of_month = np.r_[ym[1:] != ym[:-1], True] if nb else np.zeros(0, bool)
    quarter_end = last_of_month & (ym % 12 % 3 == 0)  # ym%12: Mar=3, Jun=6, Sep=9, Dec=0
    n_pre = int(np.searchsorted(bd, ctx.start_day))
    # market factor with a sell-off (-12 % over a week) and a slower recovery
    mkt = rng.normal(0.0004, 0.009, nb)
    shock = n_pre + int(0.45 * (nb - n_pre))
    mkt[shock : shock + 5] -= 0.025
    mkt[shock + 5 : shock + 35] += 0.004
    unit = np.ones((cat.n, len(ctx.snaps)))
    snap_b = ctx.snap_b
    dates, ids, vals = [], [], []
    for k, it in enumerate(cat.items):
        if it.mode == "none":
            continue
        r = rng.normal(it.drift, it.vol, nb) + it.beta * mkt
        r[0] = 0.0
        if it.cls == BOND:
            rem0 = max(it.maturity.toordinal() - ctx.start.toordinal(), 1)
            rem = np.clip((it.maturity.toordinal() - _EPOCH.toordinal() - bd) / rem0, 0, None)
            ar = np.zeros(nb)
            eps = rng.normal(0, it.vol * 100, nb)
            for j in range(1, nb):  # AR(1) noise around the pull-to-par path (B < 400)
                ar[j] = 0.9 * ar[j - 1] + eps[j]
            series = 100 + (it.p0 - 100) * np.minimum(rem, 1.5) + ar * np.sqrt(np.minimum(rem, 1))
        else:
            series = it.p0 * np.exp(np.cumsum(r))
        series = np.round(series, it.decimals)
        if it.cls == RE:
            series = np.round(series, -3)
        if it.mode == "daily":
            mask = np.ones(nb, bool)
        elif it.mode == "weekly":
            mask = last_of_week.copy()
            mask[:1] = True
        elif it.mode == "quarterly":
            mask = quarter_end.copy()
            mask[:1] = True
        else:  # appraisal: one before the window, then roughly quarterly
            first = int(rng.integers(0, max(n_pre, 1)))
            mask = np.zeros(nb, bool)
            mask[first::63] = True
        if it.late_days is not None:
            mask &= bd >= ctx.start_day + it.late_days
        if it.suspend is not None:
            mask &= ~((bd >= ctx.start_day + it.suspend[0]) & (bd < ctx.start_day + it.suspend[1]))
        if it.start is not None and it.cls == BOND:
            mask &= bd >= _dnum(it.start)
        if it.maturity is not None:
            mask &= bd < _dnum(it.maturity)
        sel = np.flatnonzero(mask)
        dates.append(bd[sel])
        ids.append(np.full(len(sel), k))
        vals.append(series[sel])
        if it.cls == BOND:
            unit[k] = series[snap_b] / 100.0
        elif it.cls in (STOCK, MF, WP, GOLD, TRUST):
            unit[k] = series[snap_b]
        elif it.cls == RE:
            unit[k] = series[snap_b]
    d = np.concatenate(dates) if dates else np.zeros(0, np.int64)
    i = np.concatenate(ids) if ids else np.zeros(0, np.int64)
    v = np.concatenate(vals) if vals else np.zeros(0)
    prices = pa.table(
        {
            "price_date": _date_arr(d),
            "instrument_id": cat.ids.take(pa.array(i)),
            "price": pa.array(v, pa.float64()),
        },
        schema=SCHEMAS["prices"],
    )
    return prices, unit


def _fx(ctx: _Ctx, rng: np.random.Generator) -> tuple[pa.Table, np.ndarray]:
    """FX rows in mixed directions and the true CNY value of one unit of each currency."""
    bd = ctx.bdays
    nb = len(bd)
    e = np.zeros(nb)
    eps = rng.normal(0, 0.012, nb)
    for j in range(1, nb):
        e[j] = 0.97 * e[j - 1] + eps[j]
    usdcny = np.round(np.clip(7.20 + e, 7.08, 7.32), 4)
    peg = np.clip(7.80 + rng.normal(0, 0.012, nb), 7.76, 7.85)
    cnyhkd = np.round(peg / usdcny, 5)
    eurusd = np.round(np.clip(1.04 + np.cumsum(rng.normal(0.0005, 0.004, nb)), 1.02, 1.18), 5)
    usdhkd = np.round(peg, 4)
    week = (bd + 3) // 7
    last_of_week = np.r_[week[1:] != week[:-1], True] if nb else np.zeros(0, bool)
    eur_mask = np.ones(nb, bool)
    if ctx.days >= 60:  # deliberate 24-day hole in EUR/USD, the only EUR path
        g0 = ctx.start_day + int(ctx.days * 0.55)
        eur_mask &= ~((bd >= g0) & (bd < g0 + 24))
    parts = [
        (np.ones(nb, bool), "USD", "CNY", usdcny),
        (np.ones(nb, bool), "CNY", "HKD", cnyhkd),
        (eur_mask, "EUR", "USD", eurusd),
        (last_of_week, "USD", "HKD", usdhkd),
    ]
    cols: dict[str, list] = {"d": [], "f": [], "t": [], "r": []}
    for mask, f, t, r in parts:
        sel = np.flatnonzero(mask)
        cols["d"].append(bd[sel])
        cols["f"].append(np.full(len(sel), CURRENCIES.index(f)))
        cols["t"].append(np.full(len(sel), CURRENCIES.index(t)))
        cols["r"].append(r[sel])
    ccy = pa.array(CURRENCIES)
    table = pa.table(
        {
            "rate_date": _date_arr(np.concatenate(cols["d"])),
            "currency_from": ccy.take(pa.array(np.concatenate(cols["f"]))),
            "currency_to": ccy.take(pa.array(np.concatenate(cols["t"]))),
            "rate": pa.array(np.concatenate(cols["r"]), pa.float64()),
        },
        schema=SCHEMAS["fx_rates"],
    )
    sb = ctx.snap_b
    to_cny = np.vstack([np.ones(len(sb)), usdcny[sb], 1.0 / cnyhkd[sb], eurusd[sb] * usdcny[sb]])
    return table, to_cny


# ---------------------------------------------------------------------------------------------
# Arrow helpers
# ---------------------------------------------------------------------------------------------
def _date_arr(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(days, dtype=np.int32), pa.int32(), mask=mask).view(pa.date32())


def _fmt_ids(prefix: str, nums: np.ndarray, width: int) -> pa.Array:
    """prefix + zero-padded decimal number, built from bytes (no Python loop)."""
    nums = np.asarray(nums, dtype=np.int64)
    if len(nums) and nums.max() >= 10**width:
        width = len(str(int(nums.max())))
    pre = np.frombuffer(prefix.encode(), dtype=np.uint8)
    n, lp = len(nums), len(pre)
    buf = np.empty((n, lp + width), dtype=np.uint8)
    buf[:, :lp] = pre
    x = nums.copy()
    for k in range(lp + width - 1, lp - 1, -1):
        buf[:, k] = x % 10 + 48
        x //= 10
    return _fixed_strings(buf)


def _fixed_strings(buf: np.ndarray) -> pa.Array:
    n, w = buf.shape
    offsets = np.arange(0, (n + 1) * w, w, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(buf.tobytes()))


def _nullable(arr: pa.Array, valid: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(valid), arr, pa.scalar(None, arr.type))


def _hash_unit(key: np.ndarray, t: np.ndarray, salt: int) -> np.ndarray:
    """Counter-based uniform numbers in [-1, 1) from (key, t) - splitmix64 finaliser."""
    with np.errstate(over="ignore"):
        x = (
            key * np.uint64(0x9E3779B97F4A7C15)
            + np.asarray(t).astype(np.uint64) * np.uint64(0xD1B54A32D192ED03)
            + np.uint64(salt)
        )
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    return (x >> np.uint64(11)).astype(np.float64) * (2.0 / 2**53) - 1.0


# ---------------------------------------------------------------------------------------------
# Context
# ---------------------------------------------------------------------------------------------
@dataclass
class _Ctx:
    seed: int
    n_customers: int
    start: date
    days: int
    end: date
    start_day: int
    end_day: int
    bdays: np.ndarray
    snaps: np.ndarray
    snap_b: np.ndarray
    month_snap: list[int]
    rm_per_branch: int
    cat: _Catalog | None = None
    unit: np.ndarray | None = None  # (instrument, snapshot) unit value in instrument currency
    to_cny: np.ndarray | None = None  # (currency, snapshot)

    @property
    def n_snap(self) -> int:
        return len(self.snaps)

    def month(self, k: int, plus: int = 0) -> int:
        """Index of the (plus+1)-th snapshot of the k-th complete month (0 = the first).

        The valuation calendar starts at the first snapshot; the generator always writes one
        on the window's first day, so the first month is complete. _FAR when outside the window.
        """
        k += int(self.n_snap > 0 and self.snaps[0] != self.start_day)
        if k >= len(self.month_snap):
            return _FAR
        i = self.month_snap[k] + plus
        return i if i < self.n_snap else _FAR

    def snap_date(self, i: int) -> str:
        return _ddate(self.snaps[i]).isoformat() if i < self.n_snap else "(outside the window)"


def _make_ctx(seed: int, n_customers: int, start: date, days: int) -> _Ctx:
    end = start + timedelta(days=days - 1)
    bdays = business_days(start - timedelta(days=PRE_DAYS), end)
    start_day = _dnum(start)
    if start_day not in bdays:
        # the window opens with a book even on a holiday (a year-end or month-end batch), so
        # that its first month is complete and can be tier-evaluated
        bdays = np.sort(np.append(bdays, start_day))
    snap_b = np.flatnonzero(bdays >= start_day)
    snaps = bdays[snap_b]
    month_snap = []
    k = 0
    while True:
        first = _add_months(start, k)
        if first > end:
            break
        month_snap.append(int(np.searchsorted(snaps, _dnum(first))))
        k += 1
    return _Ctx(
        seed=seed,
        n_customers=n_customers,
        start=start,
        days=days,
        end=end,
        start_day=start_day,
        end_day=_dnum(end),
        bdays=bdays,
        snaps=snaps,
        snap_b=snap_b,
        month_snap=month_snap,
        rm_per_branch=int(np.clip(n_customers // (len(_BRANCHES) * 150), 2, 99)),
    )


# ---------------------------------------------------------------------------------------------
# Customers, accounts and positions (one block of customers)
# ---------------------------------------------------------------------------------------------
# inclusion probability per asset class (rows), wealth buckets mass/gold/sunflower/diamond/private
_P_CLASS = np.array(
    [
        [0.30, 0.40, 0.55, 0.60, 0.60],  # cash (only with a brokerage position)
        [1.00, 1.00, 1.00, 1.00, 1.00],  # demand deposit
        [0.40, 0.55, 0.60, 0.70, 0.70],  # time deposit
        [0.55, 0.65, 0.65, 0.65, 0.65],  # money-market fund
        [0.35, 0.60, 0.70, 0.75, 0.75],  # mutual fund
        [0.20, 0.50, 0.65, 0.75, 0.80],  # wealth product
        [0.22, 0.40, 0.50, 0.55, 0.60],  # stock
        [0.03, 0.12, 0.25, 0.40, 0.45],  # bond
        [0.15, 0.25, 0.35, 0.40, 0.40],  # insurance
        [0.06, 0.12, 0.18, 0.22, 0.25],  # gold
        [0.00, 0.00, 0.10, 0.35, 0.50],  # trust (and W >= 3M)
        [0.00, 0.02, 0.10, 0.30, 0.40],  # real estate
    ]
)
_KMAX = np.array([1, 1, 2, 1, 3, 2, 4, 2, 1, 1, 1, 1])
_ALLOC_W = np.array([0.15, 1.0, 1.3, 0.8, 0.7, 1.2, 0.6, 0.9, 0.0, 0.15, 2.0, 0.0])
_CHANGEABLE = np.array([1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 0], dtype=bool)
_THRESH = np.array([t for _, t in TIERS[1:]])
N_SPECIAL = 16


@dataclass
class _Block:
    gidx: np.ndarray
    cust: dict[str, np.ndarray]
    acct: dict[str, np.ndarray]
    pos: dict[str, np.ndarray]
    holders: dict[str, np.ndarray]


def _id_parts(ctx: _Ctx, gidx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(region index, birth day number, 3-digit sequence) - a bijection of the customer index."""
    space = len(_REGION_CODES) * _BIRTH_SPAN_DAYS * 1000
    a = 2_654_435_761
    while math.gcd(a, space) != 1:
        a += 2
    p = (gidx * a + (ctx.seed * 7_919_993) % space) % space
    seq = p % 1000
    p //= 1000
    birth = _dnum(_add_months(ctx.start, -80 * 12)) + p % _BIRTH_SPAN_DAYS
    region = p // _BIRTH_SPAN_DAYS
    return region, birth, seq


def _round_qty(q: np.ndarray, lot: np.ndarray, minq: np.ndarray) -> np.ndarray:
    big = lot >= 1
    out = np.where(big, np.round(q / np.where(big, lot, 1.0)) * lot, np.round(q, 2))
    return np.maximum(out, minq)


def _pick(rng: np.random.Generator, cat: _Catalog, c: int, n: int) -> np.ndarray:
    cw = cat.pool_cum[c]
    r = rng.random(n) * cw[-1]
    return cat.pool[c][np.minimum(np.searchsorted(cw, r, side="right"), len(cw) - 1)]


def _gen_block(ctx: _Ctx, b: int) -> _Block:
    cat = ctx.cat
    rng = np.random.default_rng(np.random.SeedSequence([ctx.seed, 1, b]))
    c0 = b * BLOCK
    n = min(BLOCK, ctx.n_customers - c0)
    S = ctx.n_snap
    gidx = np.arange(c0, c0 + n, dtype=np.int64)

    # lifecycle: closed before / during the window, new in the window, dormant
    u = rng.random(n)
    closed_before = u < 0.01
    closed_in = (u >= 0.01) & (u < 0.03)
    new_cust = (u >= 0.03) & (u < 0.06)
    dormant = (u >= 0.06) & (u < 0.07)

    # wealth: log-normal, plus a forced share of diamond and private customers taken from
    # customers active over the whole window (never the scenario customers of block 0)
    log10w = np.clip(rng.normal(4.55, 0.8, n), 2.7, 8.9)
    steady = u >= 0.07
    if b == 0:
        steady[:N_SPECIAL] = False
    perm = rng.permutation(np.flatnonzero(steady))
    n_priv, n_dia = round(0.013 * n), round(0.013 * n)
    log10w[perm[:n_priv]] = rng.uniform(np.log10(1.25e7), np.log10(6e7), len(perm[:n_priv]))
    dia = perm[n_priv : n_priv + n_dia]
    log10w[dia] = rng.uniform(np.log10(5.8e6), np.log10(8.8e6), len(dia))
    w = 10.0**log10w
    tier = np.searchsorted(_THRESH, w, side="right")

    # static attributes
    region, birth, seq = _id_parts(ctx, gidx)
    branch = rng.integers(0, len(_BRANCHES), n)
    has_rm = rng.random(n) < np.array([0.15, 0.8, 1.0, 1.0, 1.0])[tier]
    rm = rng.integers(1, ctx.rm_per_branch + 1, n)
    risk = np.minimum(rng.choice(5, n, p=[0.12, 0.3, 0.33, 0.18, 0.07]) + (tier >= 3), 4)
    sur = rng.integers(0, len(_SURNAMES), n)
    g1 = rng.integers(1, len(_GIVEN) + 1, n)
    g2 = np.where(rng.random(n) < 0.3, 0, rng.integers(1, len(_GIVEN) + 1, n))
    lo = np.maximum(birth + 18 * 365 + 5, _dnum(date(2003, 1, 1)))
    hi = ctx.start_day - 60
    onboard = lo + np.floor(rng.random(n) * np.maximum(hi - lo, 1)).astype(np.int64)
    new_on = ctx.start_day + np.floor(rng.random(n) * max(ctx.days - 5, 1)).astype(np.int64)
    onboard = np.where(new_cust, new_on, onboard)
    closed_day = np.where(
        closed_before,
        onboard
        + 30
        + np.floor(rng.random(n) * np.maximum(ctx.start_day - onboard - 31, 1)).astype(np.int64),
        -1,
    )
    closed_k = (S // 3 + np.floor(rng.random(n) * max(S - S // 3, 1))).astype(np.int64)
    closed_k = np.where(closed_in, closed_k, _FAR)
    if S:
        closed_day = np.where(closed_in, ctx.snaps[np.minimum(closed_k, S - 1)], closed_day)
    closed_in &= closed_k < S

    # households: a head at every 10th customer (40 %), with 1 or 2 more members
    hh = np.full(n, -1, dtype=np.int64)
    heads = np.arange(0, n - 2, 10)
    heads = heads[rng.random(len(heads)) < 0.4]
    if b == 0:
        heads = heads[heads >= 20]
    size = np.where(rng.random(len(heads)) < 0.6, 2, 3)
    joint = rng.random(len(heads)) < 0.7
    shares = np.array([[0.5, 0.5], [0.6, 0.4], [0.7, 0.3]])[rng.integers(0, 3, len(heads))]
    for off in range(3):
        m = heads + off
        ok = off < size
        hh[m[ok]] = gidx[heads[ok]]
        branch[m[ok]] = branch[heads[ok]]
        rm[m[ok]] = rm[heads[ok]]
        has_rm[m[ok]] = has_rm[heads[ok]]
    in_hh = hh >= 0
    closed_before &= ~in_hh
    closed_in &= ~in_hh
    new_cust &= ~in_hh
    dormant &= ~in_hh
    onboard = np.where(in_hh & (onboard >= ctx.start_day), ctx.start_day - 400, onboard)
    closed_day = np.where(closed_before | closed_in, closed_day, -1)
    closed_k = np.where(closed_in, closed_k, _FAR)

    # ----- positions
    incl = rng.random((n, 12)) < _P_CLASS[:, tier].T
    incl[:, DD] = True
    incl[:, TRUST] &= w >= 3e6
    incl[:, CASH] &= incl[:, STOCK] | incl[:, BOND]
    cnt = np.where(incl, rng.integers(1, _KMAX + 1, (n, 12)), 0)
    cnt[:, DD] += rng.random(n) < np.array([0.04, 0.1, 0.25, 0.4, 0.5])[tier]  # FX deposit
    cnt[closed_before | dormant] = 0
    flat = cnt.ravel()
    pcust = np.repeat(np.repeat(np.arange(n), 12), flat)
    pcls = np.repeat(np.tile(np.arange(12), n), flat)
    first = np.repeat(np.cumsum(flat) - flat, flat)
    ordc = np.arange(len(pcust)) - first
    P = len(pcust)

    inst = np.zeros(P, dtype=np.int64)
    for c in range(12):
        m = np.flatnonzero(pcls == c)
        if not len(m):
            continue
        if c == DD:
            fx = _pick(rng, cat, DD, len(m))
            inst[m] = np.where(ordc[m] == 0, cat.roles["DD_CNY"], fx)
            again = (ordc[m] > 0) & (inst[m] == cat.roles["DD_CNY"])
            inst[m[again]] = cat.roles["DD_USD"]
        elif c == INS:
            aff = np.searchsorted(cat.ins_prem_sorted, 0.03 * w[pcust[m]], side="right")
            k = np.floor(rng.random(len(m)) * np.maximum(aff, 1)).astype(np.int64)
            inst[m] = cat.pool[INS][np.minimum(k, len(cat.pool[INS]) - 1)]
        elif c == CASH:
            inst[m] = np.where(
                rng.random(len(m)) < 0.85, cat.roles["CASH_CNY"], _pick(rng, cat, CASH, len(m))
            )
        else:
            inst[m] = _pick(rng, cat, c, len(m))

    new_pos = (rng.random(P) < 0.12) & (pcls != DD)
    entry = np.where(new_pos, np.floor(rng.random(P) * S), 0).astype(np.int64)
    full_exit = (rng.random(P) < 0.10) & (pcls != DD)
    exit_ = np.where(full_exit, entry + 1 + np.floor(rng.random(P) * (S - entry)), S)
    exit_ = exit_.astype(np.int64)
    onboard_snap = np.searchsorted(ctx.snaps, onboard, side="left")
    entry = np.maximum(entry, np.where(new_cust, onboard_snap, 0)[pcust])
    entry = np.maximum(entry, cat.start_snap[inst])
    exit_ = np.minimum(exit_, np.minimum(closed_k[pcust], cat.mat_snap[inst]))

    # allocation of the customer's wealth (in CNY) over the allocatable positions
    aw = _ALLOC_W[pcls] * rng.gamma(2.0, 0.5, P)
    denom = np.bincount(pcust, weights=aw, minlength=n)
    alloc = w[pcust] * aw / np.where(denom[pcust] > 0, denom[pcust], 1.0)
    g_draws = rng.random((6, P))
    fac1 = np.where(g_draws[0] < 0.5, 0.3 + 0.55 * g_draws[1], 1.15 + 0.85 * g_draws[1])
    fac2 = np.where(g_draws[2] < 0.5, 0.3 + 0.55 * g_draws[3], 1.15 + 0.85 * g_draws[3])
    has_c1 = (g_draws[4] < 0.3) & _CHANGEABLE[pcls]
    has_c2 = has_c1 & (g_draws[5] < 0.3)
    cost_draw = rng.random((2, P))
    amp = np.where(
        np.isin(pcls, (CASH, DD)) & (rng.random(P) < 0.7), rng.uniform(0.0, 0.04, P), 0.0
    )
    zero_tail = full_exit & (rng.random(P) < 0.1)
    re_share = np.where(rng.random(P) < 0.25, 0.5, 1.0)
    ins_units = np.where(rng.random(P) < 0.05, 2.0, 1.0)
    ch_draw = rng.random((2, P))

    pos = _size_positions(
        ctx,
        inst,
        pcust,
        entry,
        exit_,
        alloc,
        fac1,
        fac2,
        has_c1,
        has_c2,
        ch_draw,
        cost_draw,
        amp,
        zero_tail,
        re_share,
        ins_units,
    )

    cust = {
        "gidx": gidx,
        "region": region,
        "birth": birth,
        "seq": seq,
        "branch": branch,
        "has_rm": has_rm,
        "rm": rm,
        "risk": risk,
        "sur": sur,
        "g1": g1,
        "g2": g2,
        "onboard": onboard,
        "closed_day": closed_day,
        "closed": closed_before | closed_in,
        "household": hh,
    }
    holders_spec = (heads[joint], (heads + 1)[joint], shares[joint])
    if b == 0:
        pos, holders_spec = _apply_specials(ctx, cust, pos, holders_spec, n)
    return _assemble_block(ctx, rng, gidx, cust, pos, holders_spec, n)


def _size_positions(
    ctx: _Ctx,
    inst,
    pcust,
    entry,
    exit_,
    alloc,
    fac1,
    fac2,
    has_c1,
    has_c2,
    ch_draw,
    cost_draw,
    amp,
    zero_tail,
    re_share,
    ins_units,
) -> dict:
    """Quantities (three levels), change points and cost per unit of each position."""
    cat = ctx.cat
    S = ctx.n_snap
    keep = entry < exit_
    sel = np.flatnonzero(keep)
    inst, pcust, entry, exit_ = inst[sel], pcust[sel], entry[sel], exit_[sel]
    alloc, fac1, fac2 = alloc[sel], fac1[sel], fac2[sel]
    has_c1, has_c2, amp, zero_tail = has_c1[sel], has_c2[sel], amp[sel], zero_tail[sel]
    ch_draw, cost_draw = ch_draw[:, sel], cost_draw[:, sel]
    re_share, ins_units = re_share[sel], ins_units[sel]
    cls = cat.cls[inst]
    e_idx = np.minimum(entry, max(S - 1, 0))
    unit = ctx.unit[inst, e_idx] if S else np.ones(len(inst))
    uv = ctx.to_cny[cat.ccy[inst], e_idx] * unit if S else np.ones(len(inst))
    lot, minq = cat.lot[inst], cat.minq[inst]
    qa = _round_qty(alloc / uv, lot, minq)
    qa = np.where(cls == RE, re_share, np.where(cls == INS, ins_units, qa))
    span = exit_ - entry
    c1 = np.where(
        has_c1 & (span >= 2), entry + 1 + np.floor(ch_draw[0] * np.maximum(span - 1, 0)), _FAR
    )
    c1 = c1.astype(np.int64)
    c2 = np.where(
        has_c2 & (c1 < _FAR) & (exit_ - c1 >= 2),
        c1 + 1 + np.floor(ch_draw[1] * np.maximum(exit_ - c1 - 1, 0)),
        _FAR,
    )
    c2 = c2.astype(np.int64)
    qb = np.where(c1 < _FAR, _round_qty(qa * fac1, lot, minq), qa)
    qc = np.where(c2 < _FAR, _round_qty(qb * fac2, lot, minq), qb)
    method = cat.method[inst]
    bought_before = entry == 0
    drift = np.where(bought_before, 0.8 + 0.4 * cost_draw[0], 1.0)
    cost_unit = np.select(
        [np.isin(method, (0, 1)), method == 2, method == 3, method == 4, method == 5],
        [
            np.ones(len(inst)),
            unit * drift,
            unit * np.where(bought_before, 0.97 + 0.06 * cost_draw[0], 1.0),
            cat.ins_paid[inst],
            unit * (0.4 + 0.5 * cost_draw[0]),
        ],
    )
    no_cost = (cost_draw[1] < 0.03) & ~cat.late[inst]
    cost_unit = np.where(no_cost, np.nan, cost_unit)
    return {
        "cust": pcust,
        "inst": inst,
        "entry": entry,
        "exit": exit_,
        "qa": qa,
        "qb": qb,
        "qc": qc,
        "c1": c1,
        "c2": c2,
        "cost_unit": cost_unit,
        "amp": amp,
        "zero_tail": zero_tail & (exit_ < S),
    }


# Deliberate scenarios in block 0 (customer index -> what happens); see anomalies().
# M(k) is the first snapshot of the k-th complete month (M(0) = the first evaluated month).
def _apply_specials(ctx: _Ctx, cust: dict, pos: dict, holders_spec, n: int):
    cat = ctx.cat
    r = cat.roles
    S = ctx.n_snap
    M = ctx.month
    specs: list[tuple] = []  # (cust, role, value levels, c1, c2, entry, exit, cost, zero_tail)

    def add(c, role, v, c1=_FAR, c2=_FAR, entry=0, exit_=None, cost=True, zero_tail=False):
        if c < n:
            vals = v if isinstance(v, tuple) else (v, v, v)
            specs.append(
                (c, r[role], vals, c1, c2, entry, S if exit_ is None else exit_, cost, zero_tail)
            )

    # 0 C0000001: private banking customer, falls below 10M in complete month 2, stays below
    add(0, "DD_CNY", 2_000_000)
    add(0, "TD_LONG", 5_000_000)
    add(0, "MMF_CNY", (5_000_000, 500_000, 500_000), c1=M(1, 1))
    add(0, "RE_1", "units:1.0")
    # 1 C0000002: sunflower, dips below 500k in complete months 3-4, recovers in month 5
    add(1, "DD_CNY", 300_000)
    add(1, "MMF_CNY", (500_000, 50_000, 550_000), c1=M(2), c2=M(4))
    # 2 C0000003: mass -> gold (inflow in complete month 2)
    add(2, "DD_CNY", (30_000, 90_000, 90_000), c1=M(1))
    # 3 C0000004: sunflower -> diamond (large inflow in complete month 4)
    add(3, "DD_CNY", (200_000, 6_200_000, 6_200_000), c1=M(3))
    add(3, "WP_NAV", 400_000)
    # 4 C0000005: diamond -> below 5M from complete month 2, downgraded after the grace
    add(4, "DD_CNY", 1_000_000)
    add(4, "MMF_CNY", (5_500_000, 1_000_000, 1_000_000), c1=M(1))
    # 5 C0000006: closes all positions at the start of complete month 6 (status closed)
    k6 = min(M(5), S)
    add(5, "DD_CNY", 120_000, exit_=k6)
    add(5, "MF_1", 50_000, exit_=k6, zero_tail=True)
    # 6 C0000007: new customer in complete month 3
    k7 = min(M(2), max(S - 1, 0))
    add(6, "DD_CNY", 80_000, entry=k7)
    add(6, "MF_1", 30_000, entry=min(k7 + 5, max(S - 1, 0)))
    # 7 C0000008: accrual product with an ACT/ACT-ICMA day count (unvalued)
    add(7, "DD_CNY", 50_000)
    add(7, "WP_ICMA", 100_000)
    # 8 C0000009: insurance without cash values (unvalued under basis cash_value)
    add(8, "DD_CNY", 40_000)
    add(8, "INS_NOCV", "units:1.0")
    # 9 C0000010: IPO stock and new fund before their first price, with cost (cost_fallback)
    add(9, "DD_CNY", 60_000)
    add(9, "STK_LATE", 50_000)
    add(9, "MF_LATE", 80_000)
    # 10 C0000011: the new fund without cost_amount (unvalued until its first price)
    add(10, "DD_CNY", 20_000)
    add(10, "MF_LATE", 30_000, cost=False)
    # 11 C0000012: EUR holdings across the EUR/USD gap
    add(11, "DD_EUR", 60_000)
    add(11, "MF_EUR", 40_000)
    add(11, "DD_CNY", 20_000)
    # 12/13 C0000013 + C0000014: household with a joint 60/40 savings account
    add(12, "DD_CNY", 300_000)
    add(12, "TD_LONG", 200_000)
    add(13, "DD_CNY", 50_000)
    add(13, "MF_1", 20_000)
    # 14 C0000015: suspended stock and a quarterly-priced trust (stale prices)
    add(14, "DD_CNY", 400_000)
    add(14, "STK_SUSP", 200_000)
    add(14, "TRUST_QUARTERLY", 1_500_000)
    # 15 C0000016: one position in every asset class
    for role, v in (
        ("CASH_CNY", 10_000),
        ("DD_CNY", 100_000),
        ("TD_LONG", 100_000),
        ("MMF_CNY", 50_000),
        ("MF_1", 50_000),
        ("WP_ACCR_LONG", 100_000),
        ("WP_NAV", 50_000),
        ("STK_1", 30_000),
        ("BOND_1", 100_000),
        ("INS_1", "units:1.0"),
        ("GOLD_CNY", 20_000),
        ("TRUST_1", 1_000_000),
        ("RE_2", "units:0.5"),
    ):
        add(15, role, v)

    n_spec = min(N_SPECIAL, n)
    keep = pos["cust"] >= n_spec
    pos = {k: v[keep] for k, v in pos.items()}
    if specs:
        m = len(specs)
        inst = np.array([s[1] for s in specs])
        entry = np.array([s[5] for s in specs], dtype=np.int64)
        exit_ = np.array([s[6] for s in specs], dtype=np.int64)
        entry = np.maximum(entry, cat.start_snap[inst])
        exit_ = np.minimum(exit_, cat.mat_snap[inst])
        e_idx = np.minimum(entry, max(S - 1, 0))
        unit = ctx.unit[inst, e_idx]
        uv = ctx.to_cny[cat.ccy[inst], e_idx] * unit
        lot, minq = cat.lot[inst], cat.minq[inst]
        levels = np.zeros((3, m))
        for j, s in enumerate(specs):
            for lv in range(3):
                v = s[2][lv]
                if isinstance(v, str):
                    levels[lv, j] = float(v.split(":")[1])
                else:
                    levels[lv, j] = _round_qty(
                        np.array([v / uv[j]]), lot[j : j + 1], minq[j : j + 1]
                    )[0]
        method = cat.method[inst]
        cost_unit = np.select(
            [np.isin(method, (0, 1)), np.isin(method, (2, 3, 5)), method == 4],
            [np.ones(m), unit, cat.ins_paid[inst]],
        )
        cost_unit = np.where([s[7] for s in specs], cost_unit, np.nan)
        c1 = np.array([s[3] for s in specs], dtype=np.int64)
        c2 = np.array([s[4] for s in specs], dtype=np.int64)
        spec_pos = {
            "cust": np.array([s[0] for s in specs], dtype=np.int64),
            "inst": inst,
            "entry": entry,
            "exit": exit_,
            "qa": levels[0],
            "qb": levels[1],
            "qc": levels[2],
            "c1": np.where(c1 >= S, _FAR, c1),
            "c2": np.where(c2 >= S, _FAR, c2),
            "cost_unit": cost_unit,
            "amp": np.zeros(m),
            "zero_tail": np.array([s[8] for s in specs]) & (exit_ < S),
        }
        ok = spec_pos["entry"] < spec_pos["exit"]
        pos = {k: np.concatenate([pos[k], spec_pos[k][ok]]) for k in pos}

    # customer attributes of the scenario customers
    sp = np.arange(n_spec)
    cust["closed"][sp] = False
    cust["closed_day"][sp] = -1
    cust["household"][sp] = -1
    cust["has_rm"][sp] = True
    cust["onboard"][sp] = np.minimum(cust["onboard"][sp], ctx.start_day - 400)
    if n > 5 and M(5) < S:
        cust["closed"][5] = True
        cust["closed_day"][5] = ctx.snaps[M(5)]
    if n > 6 and S:
        cust["onboard"][6] = max(ctx.start_day, int(ctx.snaps[k7]) - 2)
    heads, members, shares = holders_spec
    if n > 13:
        cust["household"][12:14] = cust["gidx"][12]
        cust["branch"][13] = cust["branch"][12]
        cust["rm"][13] = cust["rm"][12]
        heads = np.r_[12, heads]
        members = np.r_[13, members]
        shares = np.vstack([[0.6, 0.4], shares])
    return pos, (heads, members, shares)


def _assemble_block(
    ctx: _Ctx, rng: np.random.Generator, gidx, cust, pos, holders_spec, n
) -> _Block:
    cat = ctx.cat
    # de-duplicate (customer, instrument): one position per account and instrument
    key = pos["cust"] * cat.n + pos["inst"]
    _, first = np.unique(key, return_index=True)
    pos = {k: v[first] for k, v in pos.items()}  # sorted by customer, then instrument
    atype = CLASS_ACCOUNT_TYPE[cat.cls[pos["inst"]]]
    akey = np.unique(np.r_[pos["cust"] * 8 + atype, np.arange(n) * 8])
    acct_cust = akey // 8
    acct_type = akey % 8
    pos["acct"] = np.searchsorted(akey, pos["cust"] * 8 + atype)
    order = np.lexsort((pos["inst"], pos["acct"]))
    pos = {k: v[order] for k, v in pos.items()}
    # ordinal of the position within its customer, for the per-row hash key
    pos["key"] = (
        gidx[pos["cust"]] * 64
        + np.arange(len(pos["cust"]))
        - np.searchsorted(pos["cust"], pos["cust"])
    ).astype(np.uint64)
    onboard = cust["onboard"][acct_cust]
    span = np.maximum(ctx.start_day - onboard, 0)
    open_day = onboard + np.floor(rng.random(len(akey)) * span).astype(np.int64)
    close_day = cust["closed_day"][acct_cust]
    heads, members, shares = holders_spec
    h_acct = np.searchsorted(akey, heads * 8)
    holders = {
        "acct": np.r_[h_acct, h_acct],
        "cust": np.r_[heads, members],
        "share": np.r_[shares[:, 0], shares[:, 1]] if len(heads) else np.zeros(0),
    }
    order = np.lexsort((holders["cust"], holders["acct"]))
    holders = {k: v[order] for k, v in holders.items()}
    acct = {"cust": acct_cust, "type": acct_type, "open": open_day, "close": close_day}
    return _Block(gidx=gidx, cust=cust, acct=acct, pos=pos, holders=holders)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
class _Writer:
    def __init__(self, folder: Path, table: str, fmt: str) -> None:
        self.final = folder / f"{table}.{fmt}"
        self.tmp = folder / f".{table}.{fmt}.tmp"
        self.schema = SCHEMAS[table]
        self.rows = 0
        if fmt == "parquet":
            self._w = pq.ParquetWriter(self.tmp, self.schema, compression="zstd")
        else:
            self._w = pacsv.CSVWriter(self.tmp, self.schema)

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self._w.write_table(table.cast(self.schema))
            self.rows += table.num_rows

    def close(self) -> None:
        self._w.close()


def _chunk_tables(ctx: _Ctx, blocks: list[_Block], acct_base: int):
    """Customers, accounts and account_holders tables of a chunk, and its positions."""
    gidx = np.concatenate([b.gidx for b in blocks])
    c = {k: np.concatenate([b.cust[k] for b in blocks]) for k in blocks[0].cust}
    n_acct = np.array([len(b.acct["cust"]) for b in blocks])
    a_off = np.r_[0, np.cumsum(n_acct)[:-1]]
    c_off = np.r_[0, np.cumsum([len(b.gidx) for b in blocks])[:-1]]
    a = {
        k: np.concatenate(
            [b.acct[k] + (c_off[i] if k == "cust" else 0) for i, b in enumerate(blocks)]
        )
        for k in blocks[0].acct
    }
    p = {
        k: np.concatenate(
            [b.pos[k] + (a_off[i] if k == "acct" else 0) for i, b in enumerate(blocks)]
        )
        for k in blocks[0].pos
    }
    h = {
        k: np.concatenate(
            [
                b.holders[k] + (a_off[i] if k == "acct" else c_off[i] if k == "cust" else 0)
                for i, b in enumerate(blocks)
            ]
        )
        for k in blocks[0].holders
    }

    cid = _fmt_ids("C", gidx + 1, 7)
    # resident ID: region(6) + birth date(8) + sequence(3) + check
    n = len(gidx)
    bd = c["birth"].astype("datetime64[D]")
    yy = bd.astype("datetime64[Y]").astype(np.int64) + 1970
    mm = bd.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dd = (bd - bd.astype("datetime64[M]")).astype(np.int64) + 1
    body = (
        np.array(_REGION_CODES, dtype=np.int64)[c["region"]] * 10**11
        + (yy * 10000 + mm * 100 + dd) * 1000
        + c["seq"]
    )
    digits = np.zeros((n, 18), dtype=np.uint8)
    x = body.copy()
    for k in range(16, -1, -1):
        digits[:, k] = x % 10
        x //= 10
    check = _ID_CHECK[(digits[:, :17].astype(np.int64) @ _ID_WEIGHTS) % 11]
    buf = digits + 48
    buf[:, 17] = check
    id_number = _fixed_strings(buf)
    mspace = 7 * 10**9
    mob = (gidx * 2_654_435_761 + (ctx.seed * 1_000_003) % mspace) % mspace
    mobile = _fmt_ids("1", (3 + mob // 10**9) * 10**9 + mob % 10**9, 10)
    names = pc.binary_join_element_wise(
        pa.array(_SURNAMES).take(pa.array(c["sur"])),
        pa.array([""] + _GIVEN).take(pa.array(c["g1"])),
        pa.array([""] + _GIVEN).take(pa.array(c["g2"])),
        "",
    )
    branch_ids = _fmt_ids("BR", np.arange(1, len(_BRANCHES) + 1), 3)
    rm_ids = _fmt_ids("RM", (c["branch"] + 1) * 100 + c["rm"], 5)
    closed = c["closed"]
    customers = pa.table(
        {
            "customer_id": cid,
            "customer_name": names,
            "id_number": id_number,
            "mobile": mobile,
            "birth_date": _date_arr(c["birth"]),
            "branch_id": branch_ids.take(pa.array(c["branch"])),
            "onboard_date": _date_arr(c["onboard"]),
            "gender": pa.array(np.array(["F", "M"])[c["seq"] % 2]),
            "household_id": _nullable(
                _fmt_ids("H", np.maximum(c["household"], 0) + 1, 7), c["household"] >= 0
            ),
            "rm_id": _nullable(rm_ids, c["has_rm"]),
            "risk_profile": pa.array(np.array(["C1", "C2", "C3", "C4", "C5"])[c["risk"]]),
            "status": pa.array(np.where(closed, "closed", "active")),
            "closed_date": _date_arr(c["closed_day"], mask=~closed),
        },
        schema=SCHEMAS["customers"],
    )
    aid = _fmt_ids("A", acct_base + np.arange(len(a["cust"])) + 1, 8)
    accounts = pa.table(
        {
            "account_id": aid,
            "customer_id": cid.take(pa.array(a["cust"])),
            "account_type": pa.array(np.array(ACCOUNT_TYPES)[a["type"]]),
            "open_date": _date_arr(a["open"]),
            "close_date": _date_arr(a["close"], mask=a["close"] < 0),
        },
        schema=SCHEMAS["accounts"],
    )
    holders = pa.table(
        {
            "account_id": aid.take(pa.array(h["acct"], pa.int64())),
            "customer_id": cid.take(pa.array(h["cust"], pa.int64())),
            "ownership_share": pa.array(h["share"], pa.float64()),
        },
        schema=SCHEMAS["account_holders"],
    )
    return customers, accounts, holders, p, aid


def _write_holdings(
    ctx: _Ctx, p: dict, aid: pa.Array, writer: _Writer, flush_rows: int = 2_000_000
) -> None:
    """Expand positions into snapshot rows, fully vectorised, slice by slice of positions.

    Rows come out ordered by account, instrument and snapshot date, which keeps each position's
    repeated values adjacent (small files); every snapshot is still a complete book.
    """
    cat = ctx.cat
    entry = p["entry"]
    span = p["exit"] + p["zero_tail"] - entry
    salt = (ctx.seed * 0x2545F4914F6CDD1D) % 2**64
    cum = np.cumsum(span)
    cuts = np.searchsorted(
        cum, np.arange(flush_rows, cum[-1] if len(cum) else 0, flush_rows), side="right"
    )
    bounds = np.r_[0, cuts, len(span)]
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        if hi <= lo:
            continue
        sp = span[lo:hi]
        idx = np.repeat(np.arange(lo, hi), sp)
        first = np.repeat(np.cumsum(sp) - sp, sp)
        t = entry[idx] + (np.arange(len(idx)) - first)
        q = np.where(
            t < p["c1"][idx], p["qa"][idx], np.where(t < p["c2"][idx], p["qb"][idx], p["qc"][idx])
        )
        amp = p["amp"][idx]
        nz = np.flatnonzero(amp > 0)
        if len(nz):
            noise = _hash_unit(p["key"][idx[nz]], t[nz], salt)
            q[nz] = np.round(q[nz] * (1 + amp[nz] * noise), 2)
        q = np.where(t >= p["exit"][idx], 0.0, q)
        cost = np.round(q * p["cost_unit"][idx], 2)
        writer.write(
            pa.table(
                {
                    "snapshot_date": _date_arr(ctx.snaps[t]),
                    "account_id": aid.take(pa.array(p["acct"][idx])),
                    "instrument_id": cat.ids.take(pa.array(p["inst"][idx])),
                    "quantity": pa.array(q, pa.float64()),
                    "cost_amount": pa.array(cost, pa.float64(), mask=np.isnan(cost)),
                }
            )
        )


def _reference_tables(ctx: _Ctx) -> dict[str, pa.Table]:
    cat = ctx.cat
    it = cat.items

    def dates(vals):
        return pa.array(vals, pa.date32())

    instruments = pa.table(
        {
            "instrument_id": cat.ids,
            "instrument_name": pa.array([i.name for i in it]),
            "asset_class": pa.array([ASSET_CLASSES[i.cls] for i in it]),
            "currency": pa.array([i.ccy for i in it]),
            "valuation_method": pa.array([i.method for i in it], pa.string()),
            "risk_level": pa.array([i.risk for i in it]),
            "rate": pa.array([i.rate for i in it], pa.float64()),
            "coupon_frequency": pa.array([i.freq for i in it], pa.int32()),
            "day_count": pa.array([i.dc for i in it], pa.string()),
            "start_date": dates([i.start for i in it]),
            "maturity_date": dates([i.maturity for i in it]),
            "annual_premium": pa.array([i.premium for i in it], pa.float64()),
            "premium_years": pa.array([i.pyears for i in it], pa.int32()),
        },
        schema=SCHEMAS["instruments"],
    )
    icv_ids, icv_year, icv_val = [], [], []
    for i in it:
        if i.cls == INS and i.iid != it[cat.roles["INS_NOCV"]].iid:
            icv_ids += [i.iid] * 20
            icv_year += list(range(1, 21))
            icv_val += list(_cash_values(i))
    icv = pa.table(
        {
            "instrument_id": pa.array(icv_ids, pa.string()),
            "policy_year": pa.array(icv_year, pa.int32()),
            "cash_value": pa.array(icv_val, pa.float64()),
        },
        schema=SCHEMAS["insurance_cash_values"],
    )
    branches = pa.table(
        {
            "branch_id": _fmt_ids("BR", np.arange(1, len(_BRANCHES) + 1), 3),
            "branch_name": pa.array([b[0] for b in _BRANCHES]),
            "city": pa.array([b[1] for b in _BRANCHES]),
            "region": pa.array([b[2] for b in _BRANCHES]),
        },
        schema=SCHEMAS["branches"],
    )
    return {"instruments": instruments, "insurance_cash_values": icv, "branches": branches}


def anomalies(ctx: _Ctx) -> list[str]:
    """Human-readable list of the deliberate data features (ids resolved for this dataset)."""
    cat = ctx.cat
    r = {k: cat.items[v].iid for k, v in cat.roles.items()}
    m = ctx.month
    out = [
        f"C0000001: private banking (~12M CNY) drops to ~7.5M on {ctx.snap_date(m(1, 1))} and "
        "stays below 10M (downgrade after the 6-month grace)",
        f"C0000002: sunflower (~800k) dips to ~350k from {ctx.snap_date(m(2))} to "
        f"{ctx.snap_date(m(4))}, then ~850k (2 months on watch, no downgrade)",
        f"C0000003: mass 30k -> 90k on {ctx.snap_date(m(1))} (upgrade to gold)",
        f"C0000004: sunflower -> diamond (+6M deposit on {ctx.snap_date(m(3))})",
        f"C0000005: diamond 6.5M -> 2M on {ctx.snap_date(m(1))} (downgrade to sunflower after "
        "the 3-month grace)",
        f"C0000006: exits everything on {ctx.snap_date(m(5))}, status closed; its fund row on "
        "that snapshot has quantity 0",
        f"C0000007: new customer, first holdings on {ctx.snap_date(min(m(2), ctx.n_snap - 1))}",
        f"C0000008: holds {r['WP_ICMA']}, an accrual product with day_count ACT/ACT-ICMA "
        "(unvalued: docs/valuation.md#accrual)",
        f"C0000009: holds {r['INS_NOCV']}, insurance without insurance_cash_values rows "
        "(unvalued under basis cash_value)",
        f"C0000010: holds {r['STK_LATE']} (first price {cat.items[cat.roles['STK_LATE']].late_days}"
        f" days after the window start) and {r['MF_LATE']} (first price "
        f"{cat.items[cat.roles['MF_LATE']].late_days} days after) with cost_amount "
        "(cost_fallback); random customers may hold them too, always with cost",
        f"C0000011: holds {r['MF_LATE']} without cost_amount (unvalued until its first price)",
        "C0000012: EUR deposit and EUR fund (EUR converts only through EUR->USD->CNY)",
        "C0000013 + C0000014: household with a joint 60/40 savings account of C0000013",
        f"C0000015: holds {r['STK_SUSP']} (no prices for 21 days: stale) and "
        f"{r['TRUST_QUARTERLY']} (priced at quarter ends only: stale beyond 45 days)",
        "C0000016: one position in every asset class",
        "fx: USD->CNY and CNY->HKD daily, EUR->USD daily, USD->HKD weekly; no rates on "
        "weekends and holidays (Spring Festival / National Day gaps of 9 days)",
        "holdings: random ~10 % full exits (10 % of them with a final quantity-0 row), ~12 % "
        "new positions, partial buys/sells, daily noise on deposit balances; households with "
        "joint savings accounts (0.5/0.5, 0.6/0.4, 0.7/0.3); ~3 % positions without "
        "cost_amount (never on late-priced instruments); ~2 % customers closed, ~3 % new, "
        "~1 % dormant",
        "prices: stocks/funds/gold daily with a market sell-off of ~12 % around 45 % of the "
        "window; NAV wealth products daily or weekly; trusts weekly; real estate appraised "
        "roughly quarterly; bonds daily, none on/after maturity or before issue",
    ]
    it = cat.items
    bm, bn, leap = (it[cat.roles[k]] for k in ("BOND_MATURING", "BOND_NEW", "INS_LEAP"))
    out += [
        f"{bm.iid}: quarterly ACT/ACT-ICMA bond with a short first period maturing on "
        f"{bm.maturity} (month end): not in any snapshot after it, so no book is carried past "
        "the maturity date",
        f"{bn.iid}: bond issued on {bn.start}, inside the window (no price or holding before)",
        f"{leap.iid}: insurance policy starting {leap.start} (anniversaries on 28 Feb)",
        "bonds cover all five day counts and coupon frequencies 0/1/2/4, with regular and "
        "short first periods; time deposits and fixed-income wealth products use ACT/360 or "
        "ACT/365F",
    ]
    if ctx.days >= 60:
        g0 = ctx.start + timedelta(days=int(ctx.days * 0.55))
        out.append(
            f"fx: no EUR->USD rates from {g0} for 24 days (EUR holdings unvalued once "
            "the rate is older than fx_max_age_days=15)"
        )
    return out


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------
def _params(customers: int, start: date, days: int, seed: int, fmt: str) -> dict:
    return {
        "customers": customers,
        "start": start.isoformat(),
        "days": days,
        "seed": seed,
        "format": fmt,
        "generator_version": GENERATOR_VERSION,
    }


def _is_cached(out: Path, params: dict) -> bool:
    mf = out / "_manifest.json"
    if not mf.exists():
        return False
    try:
        manifest = json.loads(mf.read_text())
    except (OSError, ValueError):
        return False
    return manifest.get("parameters") == params and all(
        (out / f"{t}.{params['format']}").exists() for t in TABLES
    )


def generate(
    out: str | Path = "data/sample",
    customers: int = 300,
    start: date = date(2025, 1, 1),
    days: int = 273,
    seed: int = 42,
    fmt: str = "parquet",
    chunk_customers: int = 50_000,
    force: bool = False,
    verbose: bool = False,
) -> dict:
    """Write the dataset (or reuse a cached one) and return its manifest."""
    if start.day != 1:
        raise ValueError("start must be the first day of a month")
    if customers < 1 or days < 1:
        raise ValueError("customers and days must be positive")
    if fmt not in ("parquet", "csv"):
        raise ValueError("format must be parquet or csv")
    out = Path(out)
    params = _params(customers, start, days, seed, fmt)
    if not force and _is_cached(out, params):
        return {**json.loads((out / "_manifest.json").read_text()), "cached": True}
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    (out / "_manifest.json").unlink(missing_ok=True)

    ctx = _make_ctx(seed, customers, start, days)
    if not ctx.n_snap:
        raise ValueError("the window holds no business day")
    ctx.cat = _build_catalog(
        np.random.default_rng(np.random.SeedSequence([seed, 0])), start, ctx.end, customers, days
    )
    ctx.cat.finalize(start, ctx.end, ctx.snaps)
    prices, ctx.unit = _market(
        ctx, ctx.cat, np.random.default_rng(np.random.SeedSequence([seed, 2]))
    )
    fx, ctx.to_cny = _fx(ctx, np.random.default_rng(np.random.SeedSequence([seed, 3])))

    writers = {t: _Writer(out, t, fmt) for t in TABLES}
    try:
        for name, table in _reference_tables(ctx).items():
            writers[name].write(table)
        writers["prices"].write(prices)
        writers["fx_rates"].write(fx)
        n_blocks = math.ceil(customers / BLOCK)
        per_chunk = max(1, math.ceil(chunk_customers / BLOCK))
        acct_base = 0
        for b0 in range(0, n_blocks, per_chunk):
            blocks = [_gen_block(ctx, b) for b in range(b0, min(b0 + per_chunk, n_blocks))]
            customers_t, accounts_t, holders_t, pos, aid = _chunk_tables(ctx, blocks, acct_base)
            acct_base += accounts_t.num_rows
            writers["customers"].write(customers_t)
            writers["accounts"].write(accounts_t)
            writers["account_holders"].write(holders_t)
            _write_holdings(ctx, pos, aid, writers["holdings"])
            if verbose:
                print(
                    f"  customers {min((b0 + per_chunk) * BLOCK, customers):>10,} "
                    f"holdings {writers['holdings'].rows:>13,} "
                    f"{time.perf_counter() - t0:8.1f}s",
                    file=sys.stderr,
                )
    except BaseException:
        for w in writers.values():
            w.close()
            w.tmp.unlink(missing_ok=True)
        raise
    for w in writers.values():
        w.close()
    other = "csv" if fmt == "parquet" else "parquet"
    for t, w in writers.items():
        os.replace(w.tmp, w.final)
        (out / f"{t}.{other}").unlink(missing_ok=True)
    manifest = {
        "generator": "aum_engine.sample_data",
        "parameters": params,
        "chunk_customers": chunk_customers,
        "window": {
            "start": start.isoformat(),
            "end": ctx.end.isoformat(),
            "snapshot_dates": ctx.n_snap,
        },
        "row_counts": {t: w.rows for t, w in writers.items()},
        "seconds": round(time.perf_counter() - t0, 3),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "anomalies": anomalies(ctx),
    }
    tmp = out / "._manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    os.replace(tmp, out / "_manifest.json")
    return {**manifest, "cached": False}


def _month_start(text: str) -> date:
    try:
        d = date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from exc
    if d.day != 1:
        raise argparse.ArgumentTypeError(f"--start must be the first day of a month: {text}")
    return d


def _positive(text: str) -> int:
    v = int(text)
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1: {text}")
    return v


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="aum-generate-sample",
        description="Write a deterministic synthetic raw dataset (docs/raw-inputs.md).",
    )
    ap.add_argument("--out", default="data/sample", help="output folder (default data/sample)")
    ap.add_argument("--customers", type=_positive, default=300, help="number of customers")
    ap.add_argument(
        "--start",
        type=_month_start,
        default=date(2025, 1, 1),
        help="first day of the window, a month start (default 2025-01-01)",
    )
    ap.add_argument(
        "--days",
        type=_positive,
        default=273,
        help="calendar days in the window (default 273 = Jan..Sep 2025)",
    )
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    ap.add_argument(
        "--chunk-customers",
        type=_positive,
        default=50_000,
        help="customers generated and written together (memory vs. speed); "
        "does not change the data",
    )
    ap.add_argument("--force", action="store_true", help="regenerate even if cached")
    ap.add_argument("--quiet", action="store_true", help="no progress output")
    args = ap.parse_args(argv)
    try:
        manifest = generate(
            args.out,
            args.customers,
            args.start,
            args.days,
            args.seed,
            args.format,
            args.chunk_customers,
            args.force,
            verbose=not args.quiet,
        )
    except ValueError as exc:
        ap.error(str(exc))
    if manifest["cached"]:
        print(
            f"{args.out}: cached dataset with the same parameters, skipped "
            "(use --force to regenerate)"
        )
        return 0
    counts = ", ".join(f"{t} {n:,}" for t, n in manifest["row_counts"].items())
    print(f"{args.out}: wrote {counts} in {manifest['seconds']:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
