"""Exceptions raised by ``signing``: one class per thing a user can fix.

Every message names what went wrong and what to do about it; none ever contains a PIN or a
password.
"""

from __future__ import annotations


class SigningError(Exception):
    """Base class for everything ``signing`` raises on purpose."""


class KeyLoadError(SigningError):
    """A signing key or certificate could not be loaded (file, token, label)."""


class WrongPasswordError(KeyLoadError):
    """A PKCS#12 file did not open with the password given."""


class WrongPinError(KeyLoadError):
    """A PKCS#11 token refused the PIN given (or the PIN is locked)."""


class TokenNotFoundError(KeyLoadError):
    """No PKCS#11 token with the requested label is present."""


class FontNotFoundError(SigningError):
    """None of the OpenType fonts able to draw Vietnamese text is installed."""


class InvalidPdfError(SigningError):
    """The input is not a PDF pyHanko can read (or sign)."""


class TimestampError(SigningError):
    """The timestamp authority could not be reached or answered badly."""


class RevocationInfoError(SigningError):
    """Revocation information (OCSP/CRL) for B-LT could not be gathered."""


class TemplateError(SigningError):
    """A result could not be rendered from its template (unknown template, missing field)."""
