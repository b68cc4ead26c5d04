"""The detached CMS (PKCS#7) signature of a signed order's text: made with ``cryptography``'s
``PKCS7SignatureBuilder`` (SHA-256, signed attributes, the signer's certificate included), stored with the order
as base64 DER, checked here by reading the structure with ``asn1crypto`` and verifying the signature with
``cryptography`` (it makes CMS signatures but does not check them).

A signature is valid when: it is a CMS SignedData with exactly one signer; the signer's certificate is the one it
carries and that certificate is the installation's (``keys.organization_certificate``: by fingerprint); the signed
attributes say content type «data» and carry the SHA-256 of the text as it is stored; and the signature over
those attributes verifies with the certificate's public key.
"""
from __future__ import annotations

import base64
import binascii
import hashlib

from asn1crypto import cms as asn1_cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7

from engine.integrity.keys import Certificate


def sign_text(text: str, certificate: Certificate) -> str:
    """The detached CMS signature of ``text`` (UTF-8) as base64 DER."""
    builder = (pkcs7.PKCS7SignatureBuilder().set_data(text.encode("utf-8"))
               .add_signer(certificate.certificate, certificate.private_key, hashes.SHA256()))
    for extra in certificate.chain:
        builder = builder.add_certificate(extra)
    der = builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])
    return base64.b64encode(der).decode("ascii")


def signature_problem(text: str, signature: str | None, certificate: Certificate) -> str | None:
    """Why ``signature`` is not a valid signature of ``text`` by ``certificate`` (Russian), or None when it is."""
    if not signature:
        return "нет подписи CMS"
    try:
        info = asn1_cms.ContentInfo.load(base64.b64decode(signature, validate=True))
        if info["content_type"].native != "signed_data":
            return "подпись CMS не является структурой SignedData"
        signed = info["content"]
        signers = list(signed["signer_infos"])
        if len(signers) != 1:
            return f"в подписи CMS подписантов: {len(signers)}, ожидается один"
        return _signer_problem(text, signed, signers[0], certificate)
    except (ValueError, TypeError, binascii.Error, KeyError):
        return "подпись CMS повреждена (не читается как PKCS#7)"


def _signer_certificate(signed: asn1_cms.SignedData, signer: asn1_cms.SignerInfo) -> x509.Certificate | None:
    serial = signer["sid"].native.get("serial_number") if signer["sid"].name == "issuer_and_serial_number" else None
    for choice in signed["certificates"] or []:
        if choice.name == "certificate" and choice.chosen.serial_number == serial:
            return x509.load_der_x509_certificate(choice.chosen.dump())
    return None


def _signer_problem(text: str, signed: asn1_cms.SignedData, signer: asn1_cms.SignerInfo,
                    certificate: Certificate) -> str | None:
    carried = _signer_certificate(signed, signer)
    if carried is None:
        return "в подписи CMS нет сертификата подписанта"
    if carried.fingerprint(hashes.SHA256()) != certificate.certificate.fingerprint(hashes.SHA256()):
        return (f"подпись CMS сделана другим сертификатом ({carried.subject.rfc4514_string()}), "
                f"а не сертификатом организации ({certificate.subject})")
    if signer["digest_algorithm"]["algorithm"].native != "sha256":
        return "подпись CMS сделана не по SHA-256"
    attributes = signer["signed_attrs"]
    if not attributes:
        return "в подписи CMS нет подписанных атрибутов"
    values = {attribute["type"].native: attribute["values"][0].native for attribute in attributes}
    if values.get("content_type") != "data":
        return "в подписи CMS неверный тип содержимого"
    if values.get("message_digest") != hashlib.sha256(text.encode("utf-8")).digest():
        return "подпись CMS сделана для другого текста: текст приказа изменён после подписания"
    to_verify = attributes.untag().dump()  # the SET OF the attributes, as signed (not the [0] of SignerInfo)
    try:
        _verify(carried, signer["signature"].native, to_verify)
    except InvalidSignature:
        return "подпись CMS не сходится с сертификатом организации (подделана)"
    return None


def _verify(certificate: x509.Certificate, signature: bytes, data: bytes) -> None:
    public_key = certificate.public_key()
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    elif isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    else:
        raise InvalidSignature("unsupported key type")
