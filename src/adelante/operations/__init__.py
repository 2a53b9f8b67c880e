"""Running Adelante: health and readiness, request ids and JSON logs, metrics, error reports,
backup and restore, and where the data directory and the secret key come from (docs/deploy.md).

Below every other app: it knows nothing of the record, and any app may use it.
"""
