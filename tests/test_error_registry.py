"""One error registry (config.errors): the documentation's table is the registry, every code in
it is produced by some test, and the OpenAPI schema offers exactly these codes."""

import re
from pathlib import Path

import pytest

from config.errors import REGISTRY
from tests.conftest import PRODUCED_CODES

ROOT = Path(__file__).resolve().parents[1]


def documented_codes() -> dict[str, int]:
    """`code` -> status from docs/api.md's error table (rows like | `code` | 400 | meaning |)."""
    text = (ROOT / "docs" / "api.md").read_text()
    table = text.split("## Errors", 1)[1]
    rows = re.findall(r"^\| `([a-z_]+)` \| (\d{3}) \|", table, re.M)
    return {code: int(status) for code, status in rows}


def test_the_documented_error_table_is_the_registry():
    registered = {code: error.status for code, error in REGISTRY.items()}

    assert documented_codes() == registered


def test_the_schema_offers_exactly_the_registered_codes(api, db):
    schema = api.get("/api/schema/?format=json").json()

    offered = schema["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]

    assert sorted(offered) == sorted(REGISTRY)


def test_every_registered_code_is_produced_by_some_test(whole_suite):
    if not whole_suite:
        pytest.skip("only a run of the whole suite sees every code")

    unproduced = sorted(set(REGISTRY) - PRODUCED_CODES)
    assert not unproduced, f"no test produces {unproduced}"
    assert sorted(PRODUCED_CODES - set(REGISTRY)) == []


@pytest.mark.parametrize("code", sorted(c for c, e in REGISTRY.items() if e.status in (429, 503)))
def test_every_429_and_503_says_when_to_retry(code):
    from config.problems import ApplicationError

    seconds = ApplicationError(code=code).headers().get("Retry-After", "")

    assert seconds.isdigit()
    assert int(seconds) > 0
