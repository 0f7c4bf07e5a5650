"""The REST API for organisations' own systems (same access policy and access log)."""
