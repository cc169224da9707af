"""A local Apache Superset on the serving file: `make superset` and `make superset-test` use it.

    python superset/local.py init  --home DIR   # fresh metadata db, admin user, dashboard import
    python superset/local.py serve --home DIR [--port 8088]

Run with the Superset virtual environment (.venv-superset): Superset's pins clash with dbt's.
Secrets only through env vars: SUPERSET_SECRET_KEY and SUPERSET_ADMIN_PASSWORD; when unset,
random ones are made once per home and kept in DIR (mode 600), never in the repository. The
dashboard is the exported bundle in superset/assets; its database points at the serving file
($AUM_SERVING_PATH, default warehouse/serving/customer_aum.duckdb), opened read-only."""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
ASSETS = HERE / "assets"
ADMIN = "admin"
DASHBOARD_SLUG = "customer-aum"


def serving_path() -> Path:
    path = Path(os.environ.get("AUM_SERVING_PATH") or "warehouse/serving/customer_aum.duckdb")
    return path if path.is_absolute() else PROJECT / path


def secret(home: Path, env: str, name: str) -> str:
    """$env, else a random value kept in home/name (created once, readable by the owner only)."""
    if os.environ.get(env):
        return os.environ[env]
    path = home / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def environment(home: Path) -> dict:
    home.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "SUPERSET_HOME": str(home),
        "FLASK_APP": "superset",
        "SUPERSET_CONFIG_PATH": str(HERE / "superset_config.py"),
        "SUPERSET_SECRET_KEY": secret(home, "SUPERSET_SECRET_KEY", "secret_key"),
        "SUPERSET_LOAD_EXAMPLES": "no",
    }


def admin_password(home: Path) -> str:
    return secret(home, "SUPERSET_ADMIN_PASSWORD", "admin_password")


def superset(home: Path, *args: str) -> None:
    cli = str(Path(sys.executable).with_name("superset"))
    proc = subprocess.run([cli, *args], env=environment(home), capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(
            f"superset {' '.join(args[:2])} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )


def bundle(target: Path, serving: Path) -> Path:
    """The exported assets as the ZIP Superset imports, pointed at this serving file."""
    with zipfile.ZipFile(target, "w") as zf:
        for path in sorted(ASSETS.rglob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            text = text.replace("{{ AUM_SERVING_PATH }}", str(serving))
            zf.writestr(f"customer_aum_dashboard/{path.relative_to(ASSETS)}", text)
    return target


def init(home: Path) -> None:
    serving = serving_path()
    if not serving.exists():
        raise SystemExit(
            f"no serving file at {serving}: run `make run` (it publishes the"
            " sample) or set AUM_SERVING_PATH"
        )
    print(f"[superset] metadata database in {home}", flush=True)
    superset(home, "db", "upgrade")
    superset(
        home,
        "fab",
        "create-admin",
        "--username",
        ADMIN,
        "--firstname",
        "AUM",
        "--lastname",
        "Admin",
        "--email",
        "admin@localhost",
        "--password",
        admin_password(home),
    )
    superset(home, "init")
    with tempfile.TemporaryDirectory() as tmp:
        superset(
            home, "import-dashboards", "-p", str(bundle(Path(tmp) / "d.zip", serving)), "-u", ADMIN
        )
    print(f"[superset] dashboard imported, reading {serving} read-only", flush=True)


def serve(home: Path, port: int) -> subprocess.Popen:
    cli = str(Path(sys.executable).with_name("superset"))
    return subprocess.Popen(
        [cli, "run", "-h", "127.0.0.1", "-p", str(port), "--with-threads"],
        env=environment(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["init", "serve"])
    parser.add_argument("--home", type=Path, default=PROJECT / "warehouse" / "superset")
    parser.add_argument("--port", type=int, default=8088)
    args = parser.parse_args(argv)
    home = args.home.absolute()
    if args.command == "init":
        init(home)
        return 0
    if not (home / "superset.db").exists():
        init(home)
    print(
        f"[superset] http://127.0.0.1:{args.port}/superset/dashboard/{DASHBOARD_SLUG}/"
        f"  user {ADMIN}, password: $SUPERSET_ADMIN_PASSWORD or the file"
        f" {home / 'admin_password'}",
        flush=True,
    )
    return serve(home, args.port).wait()


if __name__ == "__main__":
    sys.exit(main())
