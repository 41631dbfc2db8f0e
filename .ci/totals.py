"""Sum the JUnit XML reports of every suite CI ran into one line; exit 1 if any failed or none ran.

Usage: python .ci/totals.py REPORT_DIR
"""

import sys
import xml.etree.ElementTree as ET  # noqa: S405 (our own test reports, written by this run)
from pathlib import Path


def suite_totals(path: Path) -> tuple[int, int, int]:
    """(passed, failed, skipped) of one report; a <testsuites> root holds several suites."""
    root = ET.parse(path).getroot()  # noqa: S314
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    if not suites:  # Node's reporter: <testcase> elements straight under <testsuites>
        cases = root.findall("testcase")
        failed = sum(
            1 for c in cases if c.find("failure") is not None or c.find("error") is not None
        )
        skipped = sum(1 for c in cases if c.find("skipped") is not None)
        return len(cases) - failed - skipped, failed, skipped
    tests = failed = skipped = 0
    for suite in suites:
        tests += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return tests - failed - skipped, failed, skipped


def main(report_dir: str) -> int:
    reports = sorted(Path(report_dir).glob("*.xml"))
    passed = failed = skipped = 0
    for report in reports:
        p, f, s = suite_totals(report)
        print(f"{report.stem}: {p} passed, {f} failed, {s} skipped")
        passed, failed, skipped = passed + p, failed + f, skipped + s
    # Shaped like pytest's own closing line, so whatever reads a pytest summary reads this one.
    totals = f"{passed} passed, {failed} failed, {skipped} skipped in {len(reports)} suites"
    print(f"========== TOTAL: {totals} ==========")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
