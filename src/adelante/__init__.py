"""Adelante: tracks what partners commit to a public-private partnership, and what they deliver."""

__version__ = "0.1.0"
