"""Access codes citizens use to download results: shown once, stored only as a slow hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by citizens


@dataclass(frozen=True)
class AccessCodeHasher:
    """scrypt with parameters stored in each hash, so they can be raised later."""

    n: int = 2**14
    r: int = 8
    p: int = 1
    length: int = 8

    def new_code(self) -> str:
        return "".join(secrets.choice(_ALPHABET) for _ in range(self.length))

    def hash(self, code: str) -> str:
        salt = secrets.token_bytes(16)
        digest = self._scrypt(code, salt, self.n, self.r, self.p)
        return f"scrypt${self.n}${self.r}${self.p}${salt.hex()}${digest.hex()}"

    def verify(self, code: str, stored: str) -> bool:
        try:
            scheme, n, r, p, salt, digest = stored.split("$")
        except ValueError:
            return False
        if scheme != "scrypt":
            return False
        actual = self._scrypt(code, bytes.fromhex(salt), int(n), int(r), int(p))
        return hmac.compare_digest(actual.hex(), digest)

    @staticmethod
    def _scrypt(code: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        normalized = code.strip().upper().encode()
        return hashlib.scrypt(normalized, salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024)
