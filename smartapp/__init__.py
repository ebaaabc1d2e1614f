"""RevRX SMART: a SMART on FHIR app that codes clinical encounters.

`create_app()` lives in smartapp.factory; importing it lazily keeps `import smartapp.<library>`
(the sandbox EHR reads smartapp.smart.registry, the worker imports smartapp.coding) free of Flask set-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(settings: Any = None) -> Flask:
    from smartapp.factory import create_app as build

    return build(settings)
