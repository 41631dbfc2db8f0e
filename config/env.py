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


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    return default if value is None else parse_bool(name, value)


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise InvalidSetting(f"{name}={value!r} is not a whole number.") from None


def env_float(name: str, default: float) -> float:
    value = _raw(name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise InvalidSetting(f"{name}={value!r} is not a number.") from None


class StrictEnv(environ.Env):
    """django-environ, with bool, int and float as strict as the functions above."""

    def bool(self, var, default=environ.Env.NOTSET):
        if _raw(var) is None and default is not environ.Env.NOTSET:
            return default
        return parse_bool(var, self.str(var))

    def int(self, var, default=environ.Env.NOTSET):
        if _raw(var) is None and default is not environ.Env.NOTSET:
            return default
        return env_int(var, 0)

    def float(self, var, default=environ.Env.NOTSET):
        if _raw(var) is None and default is not environ.Env.NOTSET:
            return default
        return env_float(var, 0.0)
