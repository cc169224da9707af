"""Run a command and report its wall time and peak resident memory (of it and its children).

Usage: python -m bench.peak OUT.json -- command args...
"""

import json
import resource
import subprocess
import sys
import time


def main() -> int:
    out, sep, *cmd = sys.argv[1:]
    assert sep == "--", "usage: python -m bench.peak OUT.json -- command ..."
    start = time.perf_counter()
    proc = subprocess.run(cmd)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(out, "w") as fh:
        json.dump(
            {"returncode": proc.returncode, "seconds": seconds, "peak_rss_mib": peak_kib / 1024}, fh
        )
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
