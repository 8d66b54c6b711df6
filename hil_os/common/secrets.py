"""Encryption of stored credentials (BMC, switch and CHAP secrets).

Secrets are kept in the database encrypted with a Fernet key from
configuration. They are never returned by the API and never logged.
"""

import os

from cryptography import fernet
from oslo_config import cfg

from hil_os.common import exception

CONF = cfg.CONF

_FERNET = None


def generate_key():
    """Return a new Fernet key as text."""
    return fernet.Fernet.generate_key().decode()


def ensure_key_file():
    """Create the key file if no key is configured and none exists yet.

    Only the all-in-one command calls this: with several processes, an
    operator must give all of them the same key.
    """
    if CONF.secrets.key or os.path.exists(CONF.secrets.key_file):
        return
    os.makedirs(os.path.dirname(CONF.secrets.key_file), exist_ok=True)
    fd = os.open(CONF.secrets.key_file,
                 os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write(generate_key() + '\n')


def _fernet():
    global _FERNET
    if _FERNET is None:
        key = CONF.secrets.key
        if not key:
            try:
                with open(CONF.secrets.key_file) as f:
                    key = f.read().strip()
            except FileNotFoundError:
                raise exception.SecretsKeyMissing(path=CONF.secrets.key_file)
        try:
            _FERNET = fernet.Fernet(key.encode())
        except ValueError:
            raise exception.ConfigInvalid(
                reason='[secrets] key is not a valid Fernet key')
    return _FERNET


def reset():
    """Forget the loaded key (tests, or after a configuration change)."""
    global _FERNET
    _FERNET = None


def encrypt(plaintext):
    """Encrypt a secret for storage; None stays None."""
    if plaintext is None:
        return None
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token):
    """Decrypt a stored secret; None stays None."""
    if token is None:
        return None
    try:
        return _fernet().decrypt(token.encode()).decode()
    except fernet.InvalidToken:
        raise exception.SecretDecryptFailed()
