"""The EHR's look: `smart_style_url` from the launch, fetched once and mapped onto our CSS variables.

The style document is JSON from the EHR (SMART App Launch `smart_style_url`); only known keys are used
and every value must look like a colour, length or font list, so nothing else can reach the page's
CSS. Fetched only from the EHR's own host, with a short timeout, and cached per URL.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from urllib.parse import urlsplit

import requests

log = logging.getLogger(__name__)
TTL_S = 3600.0
_SAFE = re.compile(r"^[#\w\s,.'\"()%+-]{1,120}$")
MAPPING = {
    "color_background": "--bg", "color_text": "--ink", "color_highlight": "--brand", "color_error": "--bad",
    "color_success": "--ok", "font_family_body": "--font", "dim_border_radius": "--radius",
    "dim_font_size": "--font-size",
}
_lock = threading.Lock()
_cache: dict[str, tuple[float, dict[str, str]]] = {}


def _same_host(url: str, issuer: str) -> bool:
    a, b = urlsplit(url), urlsplit(issuer)
    return a.scheme in ("http", "https") and a.hostname == b.hostname and (a.scheme == "https" or b.scheme == "http")


def css_variables(style: dict[str, object]) -> dict[str, str]:
    out = {}
    for key, var in MAPPING.items():
        value = style.get(key)
        if isinstance(value, str) and _SAFE.match(value) and "url" not in value.lower():
            out[var] = value
    return out


def style_vars(url: str | None, issuer: str | None) -> dict[str, str]:
    """CSS custom properties for the EHR's style, {} when there is none or it cannot be read."""
    if not url or not issuer or not _same_host(url, issuer):
        return {}
    with _lock:
        hit = _cache.get(url)
    if hit and time.monotonic() - hit[0] < TTL_S:
        return hit[1]
    try:
        response = requests.get(url, timeout=2.0, headers={"Accept": "application/json"})
        data = response.json() if response.ok else {}
    except (requests.RequestException, ValueError):
        log.info("smart_style_url could not be read")
        data = {}
    found = css_variables(data if isinstance(data, dict) else {})
    with _lock:
        _cache[url] = (time.monotonic(), found)
    return found
