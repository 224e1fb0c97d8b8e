"""``python -m benchmarks [--quick]``: run every ``benchmarks/bench_*.py`` and print their tables.

Each script runs in its own process (a benchmark never inherits another's warm caches or
threads); the exit status is non-zero if any of them failed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n### {script.stem}", flush=True)
        done = subprocess.run([sys.executable, "-m", f"benchmarks.{script.stem}", *argv], cwd=HERE.parent, check=False)
        if done.returncode != 0:
            failed.append(script.stem)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
