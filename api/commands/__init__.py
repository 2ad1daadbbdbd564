"""The `hoso` CLI's commands, one module per area; each exposes ``register(app)``."""
