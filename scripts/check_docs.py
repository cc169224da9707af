"""Fail when a model lacks a description or a mart column lacks one (after `dbt docs generate`).

Usage: python scripts/check_docs.py TARGET_DIR
"""

import json
import sys
from pathlib import Path


def main(target: str) -> int:
    manifest = json.loads((Path(target) / "manifest.json").read_text())
    catalog = json.loads((Path(target) / "catalog.json").read_text())
    problems = []
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] == "model" and not node.get("description", "").strip():
            problems.append(f"{uid}: no description")
    marts = 0
    for uid, node in catalog["nodes"].items():
        if node["metadata"]["schema"] != "marts":
            continue
        marts += 1
        documented = manifest["nodes"][uid]["columns"]
        for column in node["columns"]:
            if not documented.get(column, {}).get("description", "").strip():
                problems.append(f"{uid}.{column}: no description")
    if marts == 0:
        problems.append("no mart found in the catalog")
    for p in problems:
        print(p)
    print(f"docs check: {marts} marts, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
