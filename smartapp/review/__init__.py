"""Review of suggestions: decisions by people, each one audited."""
