"""Superset configuration for the project's local BI (make superset / make superset-test).

Everything secret or machine-specific comes from env vars: SUPERSET_SECRET_KEY (required: the
make targets create a random one per Superset home when it is not set) and SUPERSET_HOME (the
folder of Superset's own metadata database). The marts are read from the serving file only,
read-only (superset/assets: the database's URI is filled in at import time)."""

import os

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
SQLALCHEMY_DATABASE_URI = "sqlite:///" + os.path.join(os.environ["SUPERSET_HOME"], "superset.db")

# Local, loopback-only instance: no example data, no telemetry, no external map tiles.
SUPERSET_WEBSERVER_ADDRESS = "127.0.0.1"
FEATURE_FLAGS = {"DASHBOARD_RBAC": False}
TALISMAN_ENABLED = False
SCHEDULED_QUERIES = {}
MAPBOX_API_KEY = ""
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}  # every chart reads the newest publication
DATA_CACHE_CONFIG = CACHE_CONFIG
BABEL_DEFAULT_LOCALE = "en"
