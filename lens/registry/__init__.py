"""Organisations, memberships and roles, pseudonymised persons and signal registrations."""
