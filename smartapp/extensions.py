"""Extension singletons, wired to the app with init_app in create_app()."""

from __future__ import annotations

from flask_login import LoginManager
from flask_wtf import CSRFProtect

from smartapp.db import db
from smartapp.jobqueue import jobs

login_manager = LoginManager()
csrf = CSRFProtect()

__all__ = ["csrf", "db", "jobs", "login_manager"]
