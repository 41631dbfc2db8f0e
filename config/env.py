"""Settings from the environment, parsed strictly: a value that is not what the variable takes
stops start-up with the variable's name (as healthchecks' `envbool`), never a silent default.

Used by config.settings and by gunicorn.conf.py, so both read variables the same way. No Django
import here: gunicorn reads its config before Django is set up.
"""

import os

import environ

TRUE = frozenset({"true", "yes", "on", "1"})
FALSE = frozenset({"false", "no", "off", "0"})


class InvalidSetting(ValueError):
    """A variable set to something it cannot take. Raised at start-up."""


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def parse_bool(name: str, value: str) -> bool:
    lowered = value.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise InvalidSetting(
        f"{name}={value!r} is not a boolean; use one of: true, false (or yes/no, on/off, 1/0)."
    )


def parse_int(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidSetting(f"{name}={value!r} is not a whole number.") from None


def parse_float(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise InvalidSetting(f"{name}={value!r} is not a number.") from None


def _read(name: str, default, parse):
    value = _raw(name)
    return default if value is None else parse(name, value)


def env_bool(name: str, default: bool) -> bool:
    return _read(name, default, parse_bool)


def env_int(name: str, default: int) -> int:
    return _read(name, default, parse_int)


def env_float(name: str, default: float) -> float:
    return _read(name, default, parse_float)


class StrictEnv(environ.Env):
    """django-environ, with bool, int and float parsed as strictly as the functions above; one
    without a default that is unset or empty stops start-up, naming it."""

    def _strict(self, var, default, parse):
        if _raw(var) is None and default is environ.Env.NOTSET:
            raise InvalidSetting(f"Set {var}: it has no default.")
        return _read(var, default, parse)

    def bool(self, var, default=environ.Env.NOTSET):
        return self._strict(var, default, parse_bool)

    def int(self, var, default=environ.Env.NOTSET):
        return self._strict(var, default, parse_int)

    def float(self, var, default=environ.Env.NOTSET):
        return self._strict(var, default, parse_float)
