"""Every setting an operator can set is documented where they will look for it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings_names() -> set[str]:
    settings = (ROOT / "config" / "settings.py").read_text()
    gunicorn = (ROOT / "config" / "gunicorn_conf.py").read_text()
    names = set(re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', settings))
    names |= set(re.findall(r'required\("([A-Z0-9_]+)"\)', settings))
    names |= set(re.findall(r'(?:os\.environ\.get|env_\w+)\("([A-Z0-9_]+)"', gunicorn))
    return names


def test_every_setting_is_in_the_readme_table_and_the_example_env():
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    names = settings_names()

    assert len(names) > 30  # the patterns above still find the settings
    assert sorted(n for n in names if f"`{n}`" not in readme) == []
    assert sorted(n for n in names if not re.search(rf"^{n}=", example, re.M)) == []


def test_the_docs_link_nothing_outside_the_repository():
    """Relative links in README.md and docs/ must land on files of this repository."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.read_text()):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            resolved = (page.parent / target).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                broken.append(f"{page.name}: {target}")

    assert broken == []
