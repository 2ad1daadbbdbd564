"""Signing: keys, PAdES signatures and their validation.

Knows nothing of HTTP, databases or settings files: callers hand it plain values.
"""
