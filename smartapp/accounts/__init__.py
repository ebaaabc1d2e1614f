"""People and their roles in an organisation (who a signed-in user is in RevRX)."""
