import sys
from pathlib import Path

# the e2e helpers (rawdata, dbt_runner, scenarios) live beside the tests
sys.path.insert(0, str(Path(__file__).parent))
