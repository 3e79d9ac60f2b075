"""The center's HTTP API, one router per feature (all under /api/v1)."""
