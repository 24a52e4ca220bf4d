"""Word's password for document protection (``w:documentProtection``), as Word computes it.

ECMA-376 Part 1 §17.15.1.29 with the notes of [MS-OI29500]: the password is first
reduced to Word's legacy 32-bit key (a 16-bit verifier and a 16-bit key from a fixed
matrix, over at most 15 single-byte characters), its four bytes reversed and written
as eight upper-case hex digits; those digits in UTF-16LE are hashed after the salt,
then the hash is hashed again ``spin_count`` times, each time with the iteration
number (32-bit little-endian) appended.  Checked against a Word file in Apache POI's
tests (tests/test_docx_protection.py).

The legacy key has only 2**32 values and anyone can delete the element from the XML:
this is a guard against accidents, never security.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from ..errors import UsageError

#: Word's legacy key uses at most this many characters of a password.
MAX_LENGTH = 15
#: Word's default number of hash iterations.
SPIN_COUNT = 100_000

_INITIAL_CODES = (
    0xE1F0, 0x1D0F, 0xCC9C, 0x84C0, 0x110C, 0x0E10, 0xF1CE, 0x313E,
    0x1872, 0xE139, 0xD40F, 0x84F9, 0x280C, 0xA96A, 0x4EC3,
)  # fmt: skip
_MATRIX = (
    (0xAEFC, 0x4DD9, 0x9BB2, 0x2745, 0x4E8A, 0x9D14, 0x2A09),
    (0x7B61, 0xF6C2, 0xFDA5, 0xEB6B, 0xC6F7, 0x9DCF, 0x2BBF),
    (0x4563, 0x8AC6, 0x05AD, 0x0B5A, 0x16B4, 0x2D68, 0x5AD0),
    (0x0375, 0x06EA, 0x0DD4, 0x1BA8, 0x3750, 0x6EA0, 0xDD40),
    (0xD849, 0xA0B3, 0x5147, 0xA28E, 0x553D, 0xAA7A, 0x44D5),
    (0x6F45, 0xDE8A, 0xAD35, 0x4A4B, 0x9496, 0x390D, 0x721A),
    (0xEB23, 0xC667, 0x9CEF, 0x29FF, 0x53FE, 0xA7FC, 0x5FD9),
    (0x47D3, 0x8FA6, 0x0F6D, 0x1EDA, 0x3DB4, 0x7B68, 0xF6D0),
    (0xB861, 0x60E3, 0xC1C6, 0x93AD, 0x377B, 0x6EF6, 0xDDEC),
    (0x45A0, 0x8B40, 0x06A1, 0x0D42, 0x1A84, 0x3508, 0x6A10),
    (0xAA51, 0x4483, 0x8906, 0x022D, 0x045A, 0x08B4, 0x1168),
    (0x76B4, 0xED68, 0xCAF1, 0x85C3, 0x1BA7, 0x374E, 0x6E9C),
    (0x3730, 0x6E60, 0xDCC0, 0xA9A1, 0x4363, 0x86C6, 0x1DAD),
    (0x3331, 0x6662, 0xCCC4, 0x89A9, 0x0373, 0x06E6, 0x0DCC),
    (0x1021, 0x2042, 0x4084, 0x8108, 0x1231, 0x2462, 0x48C4),
)


def check_password(password: str) -> str:
    """``password`` if Word hashes it as we do: 1 to 15 printable ASCII characters.

    Word turns other characters into bytes through the system's code page, which
    differs between machines: such a password might not open the protection.
    """
    if not password:
        raise UsageError("the protection password is empty")
    if len(password) > MAX_LENGTH:
        raise UsageError(
            f"the protection password has {len(password)} characters; "
            f"Word uses at most {MAX_LENGTH}, so give at most {MAX_LENGTH}"
        )
    if not all(" " <= char <= "~" for char in password):
        raise UsageError(
            "the protection password may hold only printable ASCII characters "
            "(letters a-z A-Z, digits, punctuation, space): Word reads others through "
            "the system's code page, so another machine might not accept it"
        )
    return password


def legacy_key(password: str) -> int:
    """Word's legacy 32-bit key: high word from the matrix, low word the verifier."""
    chars = [ord(char) & 0xFF or ord(char) >> 8 for char in password[:MAX_LENGTH]]
    if not chars:
        return 0
    high = _INITIAL_CODES[len(chars) - 1]
    for row, char in zip(_MATRIX[MAX_LENGTH - len(chars) :], chars, strict=True):
        for bit, value in enumerate(row):
            if char >> bit & 1:
                high ^= value
    verifier = 0
    for char in [*reversed(chars), len(chars)]:
        verifier = ((verifier >> 14) & 1 | (verifier << 1) & 0x7FFF) ^ char
    return high << 16 | verifier ^ 0xCE4B


def password_hash(
    password: str, salt: bytes, spin_count: int = SPIN_COUNT, algorithm: str = "sha512"
) -> bytes:
    """The ``w:hash`` Word stores for ``password`` with this salt, spin count and hash function."""
    key = legacy_key(password).to_bytes(4, "little").hex().upper()
    digest = hashlib.new(algorithm, salt + key.encode("utf-16-le")).digest()
    for iteration in range(spin_count):
        digest = hashlib.new(algorithm, digest + iteration.to_bytes(4, "little")).digest()
    return digest


def salt_for(fingerprint: str) -> bytes:
    """The salt of a contract's protection: 16 bytes derived from its parameters' fingerprint.

    Not random, so that the same parameters and password give the same DOCX bytes
    (CLI, batch and a re-run agree).  Not derived from the password either: a salt
    computed from the password would store a fast test of every guess in the file,
    bypassing the spin count.  Different contracts get different salts, so no table
    computed once serves many files.
    """
    return hashlib.sha256(f"agreement documentProtection salt {fingerprint}".encode()).digest()[:16]


@cache
def protection_attributes(password: str, fingerprint: str) -> dict[str, str]:
    """The password attributes of ``w:documentProtection`` for a contract, in the schema's order.

    SHA-512 (``w:cryptAlgorithmSid="14"``, provider ``rsaAES``), as Word 2010 and later
    write them.  Cached: a batch asks once for its manifest and once for the DOCX.
    """
    salt = salt_for(fingerprint)
    return {
        "cryptProviderType": "rsaAES",
        "cryptAlgorithmClass": "hash",
        "cryptAlgorithmType": "typeAny",
        "cryptAlgorithmSid": "14",
        "cryptSpinCount": str(SPIN_COUNT),
        "hash": base64.b64encode(password_hash(password, salt)).decode(),
        "salt": base64.b64encode(salt).decode(),
    }
