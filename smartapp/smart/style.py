"""The EHR's look (`smart_style_url`): fetched server-side with a short timeout, cached, and turned into
CSS custom properties that base.html writes into `:root`.

Only a style document on the EHR's own origin (the issuer's or the token endpoint's) is fetched:
the URL comes from a token response, and we do not want to be told to fetch arbitrary hosts. Values
are checked against a conservative pattern before they reach a <style> element.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from urllib.parse import urlsplit

import requests

log = logging.getLogger(__name__)

TIMEOUT_S = 2.0
CACHE_TTL_S = 600.0
# SMART style keys → the custom properties app.css is built on.
APP_VARS = {
    "color_background": "--bg",
    "color_text": "--ink",
    "color_highlight": "--brand",
    "color_error": "--bad",
    "color_success": "--ok",
    "dim_border_radius": "--radius",
    "font_family_body": "--font",
}
# No quotes: base.html's autoescaping would turn them into entities, which CSS in <style> does not
# decode. Font family names with spaces are valid unquoted (a sequence of identifiers).
_SAFE_VALUE = re.compile(r"^[#(),.%\w\s/+-]{1,120}$")
_SAFE_KEY = re.compile(r"^[a-z][a-z0-9_]{0,60}$")

_cache: dict[str, tuple[float, dict[str, str]]] = {}
_lock = threading.Lock()


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def allowed(style_url: str, *ehr_urls: str) -> bool:
    return _origin(style_url)[0] in ("http", "https") and _origin(style_url) in {_origin(u) for u in ehr_urls if u}


def css_variables(style: dict[str, object]) -> dict[str, str]:
    """`--smart-<key>` for every safe entry, plus app.css's own variables where SMART has one."""
    out: dict[str, str] = {}
    for key, value in style.items():
        if not isinstance(value, str | int | float) or not _SAFE_KEY.match(key):
            continue
        text = str(value).replace("'", "").replace('"', "").strip()
        if not _SAFE_VALUE.match(text) or "url(" in text.lower() or "expression" in text.lower():
            continue
        out[f"--smart-{key.replace('_', '-')}"] = text
        if key in APP_VARS:
            out[APP_VARS[key]] = text
    if "--font" not in out and "--smart-font-family" in out:
        out["--font"] = out["--smart-font-family"]
    return out


def style_vars(style_url: str | None, *ehr_urls: str, now: float | None = None) -> dict[str, str]:
    """CSS variables for a launch's style URL ({} when there is none, it is foreign, or it fails)."""
    if not style_url or not allowed(style_url, *ehr_urls):
        return {}
    moment = time.monotonic() if now is None else now
    with _lock:
        hit = _cache.get(style_url)
        if hit and hit[0] > moment:
            return hit[1]
    try:
        response = requests.get(style_url, timeout=TIMEOUT_S, headers={"Accept": "application/json"})
        body = response.json() if response.status_code == 200 else None
    except (requests.RequestException, ValueError) as err:
        log.info("smart_style_url could not be read: %s", type(err).__name__)
        body = None
    found = css_variables(body) if isinstance(body, dict) else {}
    with _lock:
        # A failure is cached too (briefly): a slow EHR must not slow every page down.
        _cache[style_url] = (moment + (CACHE_TTL_S if found else 60.0), found)
    return found


def clear_cache() -> None:
    with _lock:
        _cache.clear()
