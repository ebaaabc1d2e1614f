"""Coding engines behind one interface, chosen by :class:`EngineSettings`."""
from __future__ import annotations

from .base import Engine, EngineError, EngineOutput, EngineSettings, PreparedNote

__all__ = ["Engine", "EngineError", "EngineOutput", "EngineSettings", "PreparedNote", "get_engine"]


def get_engine(settings: EngineSettings) -> Engine:
    """Build the configured engine; external SDKs are imported only when chosen."""
    name = settings.engine
    if name == "local":
        from .local import LocalEngine

        return LocalEngine()
    if name == "openai":
        from .openai_engine import OpenAIEngine

        return OpenAIEngine(settings)
    if name == "comprehend":
        from .comprehend_engine import ComprehendEngine

        return ComprehendEngine(settings)
    if name == "ensemble":
        from .ensemble import EnsembleEngine

        return EnsembleEngine(settings)
    # A typo in configuration must fail loudly, not fall back silently.
    raise ValueError(f"Unknown coding engine {name!r}; use local, openai, comprehend or ensemble")
