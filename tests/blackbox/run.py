#!/usr/bin/env python3
"""Runs the black-box scenarios against target/release/dingwarden.

    python3 tests/blackbox/run.py            # every scenario
    python3 tests/blackbox/run.py issue3 issue5
"""

import importlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "scenarios"))

from dwbb import Report  # noqa: E402
from dwbb.bot import BINARY  # noqa: E402

ALL = ["issue2", "issue3", "issue4", "issue5", "issue6", "issue7"]


def main(argv):
    names = [a for a in argv if not a.startswith("-")] or ALL
    keep = "--keep" in argv
    if not BINARY.exists():
        sys.exit(f"{BINARY} is missing: run `cargo build --release` first")
    root = Path(tempfile.mkdtemp(prefix="dwbb-"))
    reports = []
    for name in names:
        print(f"\n=== {name}")
        r = Report(name)
        t0 = time.monotonic()
        try:
            importlib.import_module(name).run(r, root / name)
        except Exception as e:  # noqa: BLE001
            r.crash(e)
        print(f"=== {name}: {r.passed} passed, {len(r.failed)} failed ({time.monotonic() - t0:.0f}s)")
        reports.append(r)
    print("\nSummary")
    for r in reports:
        print(f"  {r.name}: {r.passed} passed, {len(r.failed)} failed")
        for f in r.failed:
            print(f"    - {f}")
    if keep or any(r.failed for r in reports):
        print(f"work directories kept in {root}")
    else:
        shutil.rmtree(root, ignore_errors=True)
    passed = sum(r.passed for r in reports)
    failed = sum(len(r.failed) for r in reports)
    print(f"blackbox: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
