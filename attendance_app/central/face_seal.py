"""Face data on the central server, sealed per person with a key that `forget` destroys.

Why: PostgreSQL keeps what a table once held in places no DELETE reaches at once: dead
tuples in the table files until they are rewritten, and the write-ahead log (WAL), whose
old segments are recycled, not wiped, and may sit in base backups and replicas. So the
encodings and face pictures are never sent to the server in the clear: the door seals
each with AES-256-GCM under a random key of the person, kept in the table people_keys.
That table is UNLOGGED (its rows never enter the WAL) and is rewritten by `forget`
(schema.FORGET_FUNCTION), so once a person is forgotten no copy of their key remains in
the server's files, and what remains of their faces is ciphertext no one can open.

Sealed value: a 12-byte random nonce, then the ciphertext with its 16-byte tag. The
person's id is bound in (associated data): a sealed value moved to another person does
not open.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12


def new_key() -> bytes:
    """A fresh random key for one person (AES-256)."""
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def _bound(person_id: int) -> bytes:
    return f"attendance-face:{person_id}".encode()


def seal(key: bytes, person_id: int, data: bytes) -> bytes:
    """`data` (an encoding's bytes or a face JPEG) sealed for person `person_id`."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, data, _bound(person_id))


def unseal(key: bytes, person_id: int, sealed: bytes) -> bytes | None:
    """The data sealed by `seal`, or None when `key` does not open it (another key: the
    person's key was lost with a crashed server, see docs/troubleshooting.md, "Central database")."""
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:],
                                   _bound(person_id))
    except (InvalidTag, ValueError):
        return None
