"""Black-box scenario harness for dingwarden (not part of CI)."""

import traceback


class Report:
    """Collects named checks; a failed check is recorded, not raised."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = []

    def check(self, cond, what, detail=None):
        if cond:
            self.passed += 1
            print(f"  ok   {what}")
        else:
            self.failed.append(what)
            extra = f"\n         {str(detail)[:1500]}" if detail is not None else ""
            print(f"  FAIL {what}{extra}")
        return cond

    def crash(self, exc):
        self.failed.append(f"scenario crashed: {exc!r}")
        traceback.print_exc()
