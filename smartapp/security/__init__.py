"""Security primitives: encryption at rest."""
