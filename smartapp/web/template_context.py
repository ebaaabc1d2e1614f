"""Values every template may use: the htmx CDN address and its integrity hash, the coding poll delay, the
label of an encounter's class."""

from __future__ import annotations

from flask import Flask

from smartapp.coding.setting import normalize as encounter_setting
from smartapp.config import HTMX_CDN_URL, HTMX_SRI
from smartapp.web.polling import coding_poll_ms, coding_stalled


def register_template_context(app: Flask) -> None:
    @app.context_processor
    def htmx() -> dict[str, str]:
        return {"htmx_cdn_url": HTMX_CDN_URL, "htmx_sri": HTMX_SRI}

    app.jinja_env.globals["coding_poll_ms"] = coding_poll_ms
    app.jinja_env.globals["coding_stalled"] = coding_stalled
    app.jinja_env.globals["encounter_class_label"] = encounter_class_label


def encounter_class_label(class_code: str) -> str:
    """"Inpatient (IMP)": the setting the E/M rules use for the EHR's Encounter.class, and its code."""
    setting = encounter_setting(class_code)
    return f"{setting[:1].upper()}{setting[1:]} ({class_code})" if setting else class_code
