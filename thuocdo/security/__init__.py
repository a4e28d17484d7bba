"""Logins, sessions, tokens, headers and the input policy at the boundary (issue 14)."""
