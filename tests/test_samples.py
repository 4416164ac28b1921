"""samples/make_samples.py: same bytes on every run, NSS's layout, and the roots the examples rely on."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, corpus_file
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from certdata_tool.model.roots import DistrustAfter, TrustLevel, read_roots
from certdata_tool.syntax.nssfile import Attribute, dump, encode_octal, parse

SAMPLES = PROJECT_ROOT / "samples"
GENERATOR = SAMPLES / "make_samples.py"
SAMPLE = SAMPLES / "certdata.txt"

PROMISED = {
    # label: (PEM slug, server_auth, email_protection, distrust-after attributes on the certificate)
    "Example Root CA 1": ("example-root-ca-1", "TRUSTED_DELEGATOR", "TRUSTED_DELEGATOR", "false"),
    "Example Email Root": ("example-email-root", "MUST_VERIFY_TRUST", "TRUSTED_DELEGATOR", "false"),
    "Example Distrusted After Root": ("example-distrusted-after-root", "TRUSTED_DELEGATOR",
                                      "TRUSTED_DELEGATOR", "2024-06-30"),
    "Example Legacy Root": ("example-legacy-root", "TRUSTED_DELEGATOR", "MUST_VERIFY_TRUST", "absent"),
    "Exemple Autorité Racine Ünïcode": ("exemple-autorite-racine-unicode", "TRUSTED_DELEGATOR",
                                        "TRUSTED_DELEGATOR", "false"),
    "Example Websites Root 2": ("example-websites-root-2", "TRUSTED_DELEGATOR", "MUST_VERIFY_TRUST", "false"),
}


def committed_files() -> dict[str, bytes]:
    files = {"certdata.txt": SAMPLE.read_bytes()}
    files.update({f"roots/{p.name}": p.read_bytes() for p in sorted((SAMPLES / "roots").glob("*.pem"))})
    return files


def generate(into: Path, cwd: Path) -> dict[str, bytes]:
    subprocess.run([sys.executable, str(GENERATOR), str(into)], cwd=cwd, check=True, capture_output=True,
                   timeout=120)
    return {str(p.relative_to(into)): p.read_bytes() for p in sorted(into.rglob("*")) if p.is_file()}


def test_generator_is_deterministic_and_matches_the_committed_samples(tmp_path: Path) -> None:
    # Run from an unrelated folder, twice: same bytes, and the same bytes as in the repository.
    first = generate(tmp_path / "one", cwd=tmp_path)
    second = generate(tmp_path / "two", cwd=tmp_path)
    assert first == second
    assert sorted(first) == sorted(committed_files())
    for name, data in committed_files().items():
        assert first[name] == data, f"samples/{name} is stale: run python samples/make_samples.py"


def test_generator_usage_error(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(GENERATOR), "a", "b"], cwd=tmp_path, capture_output=True,
                            timeout=60, check=False)
    assert result.returncode == 2 and result.stderr.startswith(b"usage: ")
    assert list(tmp_path.iterdir()) == []


def pem_der(slug: str) -> bytes:
    pem = (SAMPLES / "roots" / f"{slug}.pem").read_bytes()
    return x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)


def test_sample_round_trips_and_has_the_promised_roots() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    store = parse(text)
    assert dump(store) == text
    root_set = read_roots(store)
    assert root_set.distrust_entries == ()
    assert [root.label for root in root_set.roots] == list(PROMISED)
    for root in root_set.roots:
        slug, server, email, distrust = PROMISED[root.label]
        assert root.der == pem_der(slug)
        assert root.trust.server_auth is TrustLevel[server]
        assert root.trust.email_protection is TrustLevel[email]
        assert root.trust.code_signing is TrustLevel.MUST_VERIFY_TRUST
        assert root.problems == ()
        certificate = root.certificate(store)
        names = [a.name for a in certificate.attributes()]
        if distrust == "absent":
            assert names[-1] == "CKA_NSS_MOZILLA_CA_POLICY"
            assert not {"CKA_NSS_SERVER_DISTRUST_AFTER", "CKA_NSS_EMAIL_DISTRUST_AFTER"} & set(names)
        elif distrust == "false":
            assert root.distrust_after == DistrustAfter()
            assert names[-2:] == ["CKA_NSS_SERVER_DISTRUST_AFTER", "CKA_NSS_EMAIL_DISTRUST_AFTER"]
        else:
            assert [moment.isoformat() for moment in (root.distrust_after.server, root.distrust_after.email)
                    if moment] == ["2024-06-30T00:00:00+00:00"] * 2
    # The root the `add` example appends is not in the file.
    new_root = hashlib.sha256(pem_der("new-root")).hexdigest().upper()
    assert new_root not in {root.sha256 for root in root_set.roots}
    assert x509.load_pem_x509_certificate((SAMPLES / "roots" / "new-root.pem").read_bytes()).subject \
        .rfc4514_string() == "CN=Example New Root,O=Example New Trust B.V.,C=NL"


# -- NSS's layout (FORMAT.md §2-§7, §14), checked on the text -------------------------------------

CERTIFICATE_ORDER = ["CKA_CLASS", "CKA_TOKEN", "CKA_PRIVATE", "CKA_MODIFIABLE", "CKA_LABEL",
                     "CKA_CERTIFICATE_TYPE", "CKA_SUBJECT", "CKA_ID", "CKA_ISSUER", "CKA_SERIAL_NUMBER",
                     "CKA_VALUE", "CKA_NSS_MOZILLA_CA_POLICY", "CKA_NSS_SERVER_DISTRUST_AFTER",
                     "CKA_NSS_EMAIL_DISTRUST_AFTER"]
TRUST_ORDER = ["CKA_CLASS", "CKA_TOKEN", "CKA_PRIVATE", "CKA_MODIFIABLE", "CKA_LABEL", "CKA_CERT_SHA1_HASH",
               "CKA_CERT_MD5_HASH", "CKA_ISSUER", "CKA_SERIAL_NUMBER", "CKA_TRUST_SERVER_AUTH",
               "CKA_TRUST_EMAIL_PROTECTION", "CKA_TRUST_CODE_SIGNING", "CKA_TRUST_STEP_UP_APPROVED"]


def test_sample_follows_nss_layout() -> None:
    data = SAMPLE.read_bytes()
    text = data.decode("utf-8")
    assert data.endswith(b"CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n") and not data.endswith(b"\n\n")
    assert "\r" not in text and "\t" not in text
    assert not re.search(r"[ \t]$", text, re.M), "no trailing whitespace"
    lines = text.split("\n")
    assert lines[66:72] == ["BEGINDATA", "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_BUILTIN_ROOT_LIST",
                            "CKA_TOKEN CK_BBOOL CK_TRUE", "CKA_PRIVATE CK_BBOOL CK_FALSE",
                            "CKA_MODIFIABLE CK_BBOOL CK_FALSE", 'CKA_LABEL UTF8 "Mozilla Builtin Roots"']
    store = parse(text)
    for certificate, trust in zip(store.objects[1::2], store.objects[2::2], strict=True):
        label = certificate.label
        assert label is not None
        value = certificate.attribute("CKA_VALUE")
        assert value is not None
        der = value.octal
        parsed = x509.load_der_x509_certificate(der)
        info = certificate.preamble[4:]
        assert certificate.preamble[:4] == ("\n", "#\n", f'# Certificate "{label}"\n', "#\n")
        assert trust.preamble == ("\n", f'# Trust for "{label}"\n', *info)
        assert len(info) == 7
        colon_hex = ":".join(f"{byte:02X}" for byte in hashlib.sha256(der).digest())
        assert info[5] == f"# Fingerprint (SHA-256): {colon_hex}\n"
        sha1_hex = ":".join(f"{byte:02X}" for byte in hashlib.sha1(der).digest())
        assert info[6] == f"# Fingerprint (SHA1): {sha1_hex}\n"
        assert info[3] == f"# Not Valid Before: {parsed.not_valid_before_utc:%a %b %d %H:%M:%S %Y}\n"
        assert info[4] == f"# Not Valid After : {parsed.not_valid_after_utc:%a %b %d %H:%M:%S %Y}\n"
        names = [a.name for a in certificate.attributes()]
        assert names == [n for n in CERTIFICATE_ORDER if n in names] and names[:12] == CERTIFICATE_ORDER[:12]
        assert [a.name for a in trust.attributes()] == TRUST_ORDER
        assert trust.label == label
        for obj in (certificate, trust):
            for attribute in obj.attributes():
                assert isinstance(attribute, Attribute)
                if attribute.type == "MULTILINE_OCTAL":
                    # addbuiltin's dumpbytes(): 16 bytes a line, then END.
                    body = encode_octal(attribute.octal)
                    assert attribute.text == f"{attribute.name} MULTILINE_OCTAL\n{body}END\n"
        issuer = parsed.issuer.public_bytes()
        serial = certificate.attribute("CKA_SERIAL_NUMBER")
        assert serial is not None and serial.octal[0] == 0x02  # the whole INTEGER TLV
        assert int.from_bytes(serial.octal[2:], "big") == parsed.serial_number
        assert [obj.attribute(name).octal for obj, name in (  # type: ignore[union-attr]
            (certificate, "CKA_ISSUER"), (trust, "CKA_ISSUER"), (certificate, "CKA_SUBJECT"),
            (trust, "CKA_SERIAL_NUMBER"), (trust, "CKA_CERT_SHA1_HASH"), (trust, "CKA_CERT_MD5_HASH"))] == [
            issuer, issuer, parsed.subject.public_bytes(), serial.octal, hashlib.sha1(der).digest(),
            hashlib.md5(der).digest()]


def test_sample_comment_lines_worked_out_by_hand() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    # §6.2 rule 6: every byte of a UTF-8 character prints as "."; rule 4: a comma means quotes.
    assert ("# Subject: CN=Exemple Autorit.. Racine ..n..code,"
            "O=Exemple Soci..t.. G..n..rale de Confiance,C=FR\n") in text
    assert '# Issuer: CN=Example Email Root,OU=Secure Mail,O="Example Mail, Inc.",C=DE\n' in text
    assert '# Certificate "Exemple Autorité Racine Ünïcode"\n' in text  # the label line keeps UTF-8
    # §6.3: up to 4 content bytes in decimal, more in hex with the sign pad kept.
    assert "# Serial Number: 7 (0x7)\n" in text
    assert "# Serial Number: 4097 (0x1001)\n" in text
    assert "# Serial Number:00:c0:ff:ee:15:60:0d:01\n" in text
    assert "# Serial Number:3a:5f:0c:7e:91:b2:4d:68:e0:f1\n" in text
    # §7: the distrust-after form, as GLOBALTRUST 2020 has it.
    assert ("CKA_NSS_MOZILLA_CA_POLICY CK_BBOOL CK_TRUE\n"
            "# For Server Distrust After: Sun Jun 30 00:00:00 2024\n"
            "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n"
            "\\062\\064\\060\\066\\063\\060\\060\\060\\060\\060\\060\\060\\132\n"
            "END\n"
            "# For Email Distrust After: Sun Jun 30 00:00:00 2024\n"
            "CKA_NSS_EMAIL_DISTRUST_AFTER MULTILINE_OCTAL\n"
            "\\062\\064\\060\\066\\063\\060\\060\\060\\060\\060\\060\\060\\132\n"
            "END\n\n") in text
    # A notAfter after 2049 is a GeneralizedTime, printed the same way.
    assert "# Not Valid After : Wed Mar 01 00:00:00 2051\n" in text


@pytest.mark.corpus
def test_sample_header_is_nss_header() -> None:
    real = corpus_file("certdata-2024-06-13-469e60ef4.txt").decode("utf-8").split("\n")[:72]
    assert SAMPLE.read_text(encoding="utf-8").split("\n")[:72] == real
