"""The Chinese catalogues are complete and compiled: makemessages over a copy of the source
finds no string without its Chinese (nor a fuzzy one), and each checked-in .mo holds exactly
what its .po says. `make messages` brings them up to date."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IGNORED = [".venv", ".git", "node_modules", "var", "tests", "miniprogram", "docs", "bench",
           "deploy", "test_*", "__pycache__"]  # fmt: skip


def catalogues(root: Path) -> list[Path]:
    return sorted(root.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


def entries(po: Path, *options: str) -> int:
    """How many entries msgattrib selects (the header not counted)."""
    out = subprocess.run(["msgattrib", *options, str(po)], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return max(0, out.count('\nmsgid "') + out.startswith('msgid "') - 1)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("source") / "src"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*IGNORED))
    env = {**os.environ, "DJANGO_DEBUG": "true", "WXALBUM_ENV_FILE": "",
           "DJANGO_SETTINGS_MODULE": "config.settings"}  # fmt: skip
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete",
         *(f"--ignore={pattern}" for pattern in IGNORED)],
        cwd=copy, env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return copy


def test_every_string_of_every_app_has_its_chinese(extracted):
    missing = {str(po.relative_to(extracted)): n for po in catalogues(extracted)
               if (n := entries(po, "--untranslated") + entries(po, "--only-fuzzy"))}  # fmt: skip
    assert missing == {}, "run `make messages` and translate what it added"
    assert len(catalogues(extracted)) >= 12


def test_the_compiled_catalogues_are_the_sources(tmp_path):
    for po in catalogues(ROOT):
        compiled = tmp_path / "fresh.mo"
        subprocess.run(["msgfmt", "-o", str(compiled), str(po)], check=True)
        with compiled.open("rb") as fresh, po.with_suffix(".mo").open("rb") as checked_in:
            expected = gettext.GNUTranslations(fresh)._catalog
            assert gettext.GNUTranslations(checked_in)._catalog == expected, po
