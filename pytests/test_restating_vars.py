"""Every var of dbt_project.yml either restates the day facts when it changes (its value is in the
configuration fingerprint, macro restating_vars) or is listed, with a reason, as not restating
(macro vars_not_restating). A var in neither list could change the incremental facts without
restating them; a var in both lists, or listed but not declared, is a mistake too."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import yaml
from dbt_runner import DBT, PROJECT


def _lists(tmp_path: Path) -> dict:
    env = {
        **os.environ,
        "AUM_DUCKDB_PATH": str(tmp_path / "warehouse.duckdb"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }
    proc = subprocess.run(
        [
            DBT,
            "--quiet",
            "run-operation",
            "print_var_restatement",
            "--profiles-dir",
            str(PROJECT / "profiles"),
            "--project-dir",
            str(PROJECT),
            "--target-path",
            str(tmp_path / "target"),
        ],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = [x for x in proc.stdout.splitlines() if x.startswith("{")][-1]
    return json.loads(line)


def test_every_var_restates_or_says_why_not(tmp_path):
    declared = set(yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"])
    lists = _lists(tmp_path)
    restating, not_restating = set(lists["restating"]), lists["not_restating"]
    assert not restating & set(not_restating), restating & set(not_restating)
    assert declared - restating - set(not_restating) == set(), "vars in neither list"
    assert (restating | set(not_restating)) - declared == set(), "listed vars not declared"
    assert all(len(reason) > 10 for reason in not_restating.values())
