"""Test-only helpers: the JSON test server, review-page rows and upload samples. The process harness and
the scripted users of a running stack, shared with scripts/, are in the top-level devstack package."""
