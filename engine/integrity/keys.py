"""The server's key material, kept outside the database so that whoever can write the database alone cannot
forge a seal or a signature.

Where it lives (decided here; README «Tamper evidence»):

* the folder ``NASTAVNIK_SIGNING_DIR``, else ``instance/signing/`` under the repository root (beside the default
  SQLite file, never inside the database); made with mode 0700 on first use;
* the chain key: ``NASTAVNIK_SIGNING_KEY`` (at least 32 bytes as hex), else the file ``chain.key`` in the folder
  (32 random bytes as hex, mode 0600), generated on first use if missing;
* the organization's certificate: ``organization.pem`` in the folder, holding the PEM private key and the PEM
  X.509 certificate (the signer's first; a chain may follow). When missing, a self-signed certificate (ECDSA
  P-256, 10 years) is generated on first use. A real deployment puts its own key and certificate there before
  the first order is signed (``cat key.pem cert.pem > organization.pem``; mode 0600).

Generation is safe when several processes start at once: a file is written aside and linked into place only if
no other process got there first (then that one's file is used). Losing the folder means old seals and
signatures can no longer be checked: back it up apart from the database.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from engine import settings
from engine.errors import NastavnikError

KEY_ENV, DIR_ENV = "NASTAVNIK_SIGNING_KEY", "NASTAVNIK_SIGNING_DIR"
CHAIN_KEY_FILE, CERTIFICATE_FILE = "chain.key", "organization.pem"
MIN_KEY_BYTES = 32
ORGANIZATION_NAME = "«Наставник»: подпись приказов"


class SigningKeyError(NastavnikError):
    """The key material is missing, unreadable or malformed."""


@dataclass(frozen=True)
class Certificate:
    """The organization's signing certificate and its private key."""

    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def fingerprint(self) -> str:
        return self.certificate.fingerprint(hashes.SHA256()).hex()

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()


def signing_dir() -> Path:
    """The folder of the key material (``NASTAVNIK_SIGNING_DIR`` or ``signing/`` in the data folder)."""
    configured = settings.value(DIR_ENV)
    return Path(configured) if configured else settings.instance_directory() / "signing"


def _write_once(path: Path, data: bytes) -> None:
    """Write ``path`` unless it exists; when two processes race, the first file stays."""
    try:
        _write_aside_and_link(path, data)
    except OSError as error:
        raise SigningKeyError(f"не удалось создать ключ подписи ({error.strerror}): дайте серверу право записи в "
                              f"эту папку или укажите другую в {DIR_ENV}", where=str(path.parent)) from None


def _write_aside_and_link(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    aside = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        try:
            os.link(aside, path)
        except FileExistsError:
            pass
    finally:
        aside.unlink(missing_ok=True)


def _key_from_hex(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise SigningKeyError("ключ цепочки должен быть записан шестнадцатеричными цифрами", where=where) from None
    if len(key) < MIN_KEY_BYTES:
        raise SigningKeyError(f"ключ цепочки короче {MIN_KEY_BYTES} байт", where=where)
    return key


def chain_key() -> bytes:
    """The HMAC key of the chains: ``NASTAVNIK_SIGNING_KEY`` or the folder's ``chain.key`` (made if missing)."""
    configured = settings.value(KEY_ENV)
    if configured:
        return _key_from_hex(configured, KEY_ENV)
    return _chain_key_file(str(signing_dir() / CHAIN_KEY_FILE))


@lru_cache(maxsize=8)
def _chain_key_file(name: str) -> bytes:
    path = Path(name)
    if not path.exists():
        _write_once(path, secrets.token_hex(MIN_KEY_BYTES).encode("ascii") + b"\n")
    return _key_from_hex(path.read_text(encoding="ascii"), str(path))


def key_id(key: bytes) -> str:
    """A short name of a key (the first 12 hex digits of its SHA-256): tells keys apart, reveals nothing."""
    return hashlib.sha256(key).hexdigest()[:12]


def organization_certificate() -> Certificate:
    """The signing certificate and key from the folder's ``organization.pem`` (a self-signed one made if missing)."""
    return _certificate_file(str(signing_dir() / CERTIFICATE_FILE))


@lru_cache(maxsize=8)
def _certificate_file(name: str) -> Certificate:
    path = Path(name)
    if not path.exists():
        _write_once(path, _self_signed_pem())
    data = path.read_bytes()
    try:
        key = serialization.load_pem_private_key(data, password=None)
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError as error:
        raise SigningKeyError(f"файл сертификата не читается: {error}", where=str(path)) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise SigningKeyError("ключ подписи должен быть ECDSA или RSA", where=str(path))
    own = _public_der(key.public_key())
    signer = next((c for c in certificates if _public_der(c.public_key()) == own), None)
    if signer is None:
        raise SigningKeyError("в файле нет сертификата, соответствующего закрытому ключу", where=str(path))
    return Certificate(signer, key, tuple(c for c in certificates if c is not signer))


def _public_der(public_key: Any) -> bytes:
    return bytes(public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))


def _self_signed_pem() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION_NAME),
                      x509.NameAttribute(NameOID.COMMON_NAME, f"nastavnik-{secrets.token_hex(4)}")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3653))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    return (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
            + certificate.public_bytes(serialization.Encoding.PEM))
