"""The public REST API, version 1 (`/api/v1/`), and the tokens partners use to write to it.

Reads serve only the published record; every figure comes from `adelante.figures`. See
docs/api.md.
"""
