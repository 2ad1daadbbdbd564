"""The outer shell: settings, the `hoso` CLI, the HTTP app and the workers."""
