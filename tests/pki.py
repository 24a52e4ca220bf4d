"""A throwaway PKI made in the test set-up: a CA, two signers, a time-stamping authority.

No key is committed: everything is generated per test session.  The TSA is
pyHanko's dummy time-stamper behind a real HTTP server on the loopback
interface, so ``agreement sign --timestamp-url`` is tested as a user runs it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = b"correct horse"
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Party:
    name: str
    p12: Path
    key: Path
    cert: Path


@dataclass(frozen=True)
class Pki:
    ca: Path
    party_a: Party
    party_b: Party
    #: An unrelated CA: a chain to it is not trusted.
    stranger_ca: Path
    tsa_cert: Path
    tsa_key: Path
    password_file: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(
    subject: str, key: Any, issuer: str, issuer_key: Any, *, ca: bool = False, time_stamping: bool = False
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(START)
        .not_valid_after(START + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca and not time_stamping,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if time_stamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: Any) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def make_pki(folder: Path) -> Pki:
    """Generate the CA, signers 甲方/乙方 (PKCS#12 and PEM), a stranger CA and a TSA (RSA: pyHanko's
    dummy time-stamper signs with RSA only)."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Agreement Test CA", ca_key, "Agreement Test CA", ca_key, ca=True)
    (folder / "ca.pem").write_bytes(_pem(ca))
    stranger_key = ec.generate_private_key(ec.SECP256R1())
    stranger = _certificate("Stranger CA", stranger_key, "Stranger CA", stranger_key, ca=True)
    (folder / "stranger.pem").write_bytes(_pem(stranger))
    parties = []
    for tag, name in (("a", "华信智能设备有限公司"), ("b", "杭州明远商贸有限公司")):
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = _certificate(name, key, "Agreement Test CA", ca_key)
        p12 = folder / f"{tag}.p12"
        p12.write_bytes(
            pkcs12.serialize_key_and_certificates(
                tag.encode(), key, certificate, [ca], serialization.BestAvailableEncryption(PASSWORD)
            )
        )
        (folder / f"{tag}.key").write_bytes(_key_pem(key))
        (folder / f"{tag}.pem").write_bytes(_pem(certificate))
        parties.append(Party(name, p12, folder / f"{tag}.key", folder / f"{tag}.pem"))
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa = _certificate("Agreement Test TSA", tsa_key, "Agreement Test CA", ca_key, time_stamping=True)
    (folder / "tsa.pem").write_bytes(_pem(tsa))
    (folder / "tsa.key").write_bytes(_key_pem(tsa_key))
    (folder / "password.txt").write_bytes(PASSWORD + b"\n")
    return Pki(
        folder / "ca.pem",
        parties[0],
        parties[1],
        folder / "stranger.pem",
        folder / "tsa.pem",
        folder / "tsa.key",
        folder / "password.txt",
    )


def dummy_timestamper(pki: Pki) -> Any:
    """pyHanko's testing time-stamper, signing with the test TSA's key."""
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    return DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(str(pki.tsa_cert)),
        tsa_key=load_private_key_from_pemder(str(pki.tsa_key), passphrase=None),
    )


@contextmanager
def timestamp_server(pki: Pki) -> Iterator[str]:
    """An RFC 3161 service on 127.0.0.1 answering with the dummy time-stamper; yields its URL."""
    from asn1crypto import tsp

    stamper = dummy_timestamper(pki)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            reply = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read pytest's output, not the server's."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
