"""Certificates for a mutual-TLS Dask cluster (`archsearch cluster certs DIR`).

Input: a directory and the scheduler's host names. Output: a CA, a node certificate (the
scheduler and the workers) and a client certificate (the indexer), each key and certificate a
file 0600 in a 0700 directory. Uses `cryptography` (the `cluster` extra); no Dask here.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from pathlib import Path

from archsearch.errors import UsageError
from archsearch.trust.private_files import make_dir

INSTALL_HINT = "pip install 'archsearch[cluster]' (it brings dask[distributed] and cryptography)"
# What --cluster-tls DIR holds for the indexer, and what the scheduler and workers are given.
CA_FILE, CLIENT_CERT, CLIENT_KEY = "ca.pem", "client.pem", "client-key.pem"
NODE_CERT, NODE_KEY, CA_KEY = "node.pem", "node-key.pem", "ca-key.pem"


def make_certificates(directory: Path, hosts: list[str] = (), days: int = 825) -> list[Path]:
    """A CA, a node certificate (scheduler and workers) and a client certificate (the indexer)
    for mutual TLS, written into `directory` (created 0700; every file 0600). Refuses to
    overwrite. Returns the files written. The CA key signs new certificates: keep it off the
    cluster's machines."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError as error:
        raise UsageError(f"making certificates needs cryptography, which is not installed: {INSTALL_HINT}") from error
    directory = Path(directory)
    names = [CA_FILE, CA_KEY, NODE_CERT, NODE_KEY, CLIENT_CERT, CLIENT_KEY]
    existing = [name for name in names if (directory / name).exists()]
    if existing:
        raise UsageError(f"{directory} already holds {', '.join(existing)}: choose an empty directory")
    make_dir(directory)  # 0700, parents 0755: never the umask's modes
    os.chmod(directory, 0o700)  # an existing empty directory too
    now = dt.datetime.now(dt.timezone.utc)

    def build(subject: str, key, issuer_name, issuer_key, ca: bool, usage=None):
        builder = (x509.CertificateBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .issuer_name(issuer_name)
                   .public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(minutes=5))
                   .not_valid_after(now + dt.timedelta(days=days))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True))
        if ca:
            builder = builder.add_extension(x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                key_encipherment=False, data_encipherment=False, key_agreement=False,
                encipher_only=False, decipher_only=False), critical=True)
        else:
            builder = builder.add_extension(x509.ExtendedKeyUsage(usage), critical=False)
            alt = [x509.DNSName(h) for h in hosts if not _is_ip(h)] + [
                x509.IPAddress(ipaddress.ip_address(h)) for h in hosts if _is_ip(h)]
            if alt:
                builder = builder.add_extension(x509.SubjectAlternativeName(alt), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "archsearch cluster CA")])
    ca_cert = build("archsearch cluster CA", ca_key, ca_name, ca_key, ca=True)
    node_key = ec.generate_private_key(ec.SECP256R1())
    node_cert = build("archsearch cluster node", node_key, ca_name, ca_key, ca=False,
                      usage=[ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH])
    client_key = ec.generate_private_key(ec.SECP256R1())
    client_cert = build("archsearch indexer", client_key, ca_name, ca_key, ca=False,
                        usage=[ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH])

    def pem_key(key) -> bytes:
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())

    contents = {
        CA_FILE: ca_cert.public_bytes(serialization.Encoding.PEM), CA_KEY: pem_key(ca_key),
        NODE_CERT: node_cert.public_bytes(serialization.Encoding.PEM), NODE_KEY: pem_key(node_key),
        CLIENT_CERT: client_cert.public_bytes(serialization.Encoding.PEM), CLIENT_KEY: pem_key(client_key),
    }
    written = []
    for name in names:
        path = directory / name
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(contents[name])
        written.append(path)
    return written


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
