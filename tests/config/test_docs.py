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


def test_the_example_env_reads_the_same_in_a_shell_in_systemd_podman_and_the_settings(
    monkeypatch,
):
    import subprocess

    import environ

    path = ROOT / ".env.example"
    lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    # The grammar systemd's EnvironmentFile=, `podman --env-file` and a shell all read alike:
    # NAME=value, the value without spaces, quotes, `$`, backslashes, backquotes or `#`.
    odd = [line for line in lines if not re.fullmatch(r"[A-Z][A-Z0-9_]*=[^\s\"'$\\`#]*", line)]
    written = dict(line.split("=", 1) for line in lines)
    shell = subprocess.run(
        ["bash", "-c", f"set -a; . {path}; env -0"], env={}, capture_output=True, check=True
    ).stdout.decode()
    from_shell = dict(item.split("=", 1) for item in shell.split("\0") if "=" in item)
    read = {}
    monkeypatch.setattr(environ.Env, "ENVIRON", read)
    environ.Env.read_env(str(path))

    assert odd == []
    assert {name: from_shell.get(name) for name in written} == written
    assert read == written


def test_the_readme_lists_every_action_of_the_activity_log_and_no_other():
    from audit.actions import ACTIONS

    readme = (ROOT / "README.md").read_text()
    paragraph = readme.split("**activity log**", 1)[1].split("\n\n", 1)[0]
    listed = set(re.findall(r"`([a-z_]+\.[a-z_]+)`", paragraph))

    assert sorted(set(ACTIONS) - listed) == []
    assert sorted(listed - set(ACTIONS)) == []


def test_every_scheduled_command_is_in_the_readme_and_the_cron_lines():
    from django.conf import settings

    readme = (ROOT / "README.md").read_text()
    scheduled = readme.split("## Scheduled commands", 1)[1].split("\n## ", 1)[0]
    cron = (ROOT / "docs" / "operations.md").read_text()
    listed = set(re.findall(r"`manage\.py (\w+)`", scheduled))
    crontab = set(re.findall(r"^\S+ \S+ \* \* \*\s+\S+/wxalbum (\w+)$", cron, re.M))

    assert listed - {"make_wxacodes"} == set(settings.SCHEDULED_COMMANDS)  # that one on demand
    assert crontab == set(settings.SCHEDULED_COMMANDS)
