"""The demo: the real public record shipped with the package (data/) and the command that
loads it and serves the portal (`python -m adelante.demo`, what scripts/demo.sh runs).

Not a Django app: production settings install nothing of it, and `adelante import record`
loads the same data there.
"""
