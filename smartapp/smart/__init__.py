"""SMART App Launch: registry, discovery, launch and callback, token storage and refresh, identity."""
