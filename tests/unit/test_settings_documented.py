"""Every setting an operator can give is written down: each environment variable that
`smartapp/config.py` reads (the one reader) appears in `.env.example`, with its default, and in the
settings table of docs/operations.md. A setting added without both fails here, naming it."""

from __future__ import annotations

import re
from dataclasses import fields

from smartapp.config import ROOT, RateLimits

# The forms config.py reads the environment in: env.get("X"), _int(env, "X"), _float(env, "X"), _positive(env, "X").
_READ = re.compile(r'(?:env\.get\(|_int\(env,\s*|_float\(env,\s*|_bool\(env,\s*|_positive\(env,\s*)"([A-Z][A-Z0-9_]+)"')


def read_settings() -> set[str]:
    source = (ROOT / "smartapp" / "config.py").read_text()
    names = set(_READ.findall(source))
    # RateLimits reads RATE_LIMIT_<FIELD> in a loop.
    names |= {f"RATE_LIMIT_{f.name.upper()}" for f in fields(RateLimits) if f.name != "enabled"}
    return names


def test_the_reader_is_found() -> None:
    # Guards the regex: if config.py changes how it reads, this must not silently pass with nothing.
    assert {"APP_BASE_URL", "DATABASE_URL", "REDIS_URL", "UPLOAD_MAX_MB", "RATE_LIMIT_API"} <= read_settings()


def test_every_setting_is_in_env_example() -> None:
    text = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.M))
    assert sorted(read_settings() - listed) == []


def test_every_setting_is_in_the_operations_table() -> None:
    text = (ROOT / "docs" / "operations.md").read_text()
    assert sorted(name for name in read_settings() if f"`{name}`" not in text) == []
