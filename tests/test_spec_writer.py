"""The YAML a maintainer starts from when adding a root: exact text, its structure, labels, refusals."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from conftest import DATA_DIR, corpus_file
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from certdata_tool.cli.files import spec_file_reader
from certdata_tool.model.roots import TrustLevel, read_roots
from certdata_tool.spec.write import add_spec_yaml, suggest_label
from certdata_tool.syntax.nssfile import parse
from certdata_tool.x509.checks import certificate_from_bytes

CERTS = DATA_DIR / "certs"
TD = TrustLevel.TRUSTED_DELEGATOR


def _der(name: str) -> bytes:
    return certificate_from_bytes((CERTS / f"{name}.pem").read_bytes(), name)


def test_exact_text() -> None:
    text = add_spec_yaml(_der("non-ascii-name"), certificate_ref="roots/new root.pem", label=None,
                         trust={"server_auth": TD, "email_protection": TD}, bug="1901080")
    # Subject and dates as addbuiltin will print them (tests/cases/blocks/non-ascii-name.txt);
    # the label keeps its UTF-8.
    assert text == (
        "# certdata-tool change spec: add one root to certdata.txt.\n"
        "# Subject: CN=F..tan..s..tv..ny Root CA,O=..nnepi Kft.,C=HU\n"
        "# SHA-256: 14:D9:48:10:8E:4E:13:FF:92:14:89:B5:E5:E4:6B:F2:"
        "DF:2D:6B:E1:94:6E:A2:61:28:D4:AA:E9:8A:45:07:39\n"
        "# Valid from Thu Feb 29 12:30:45 2024 to Fri Dec 31 23:59:59 2049 (UTC)\n"
        "version: 1\n"
        'title: "Add Főtanúsítvány Root CA"\n'
        "bug: 1901080\n"
        "changes:\n"
        "  - add:\n"
        '      certificate: "roots/new root.pem"\n'
        '      label: "Főtanúsítvány Root CA"\n'
        "      trust:\n"
        "        server_auth: trusted_delegator\n"
        "        email_protection: trusted_delegator\n"
        "        code_signing: must_verify_trust\n"
    )


def test_distrust_dates_title_and_url_bug() -> None:
    text = add_spec_yaml(
        _der("quoted-name"), certificate_ref="q.der", label="Quote Root CA", trust={},
        distrust_after={"server": datetime(2024, 11, 30, 23, 59, 59, tzinfo=UTC),
                        "email": datetime(2024, 6, 30, tzinfo=UTC)},
        title='Add "Quote Root CA"', bug="https://bugzilla.mozilla.org/show_bug.cgi?id=1",
    )
    assert text.splitlines()[4:] == [
        "version: 1",
        'title: "Add \\"Quote Root CA\\""',
        'bug: "https://bugzilla.mozilla.org/show_bug.cgi?id=1"',
        "changes:",
        "  - add:",
        '      certificate: "q.der"',
        '      label: "Quote Root CA"',
        "      trust:",
        "        server_auth: must_verify_trust",
        "        email_protection: must_verify_trust",
        "        code_signing: must_verify_trust",
        "      distrust_after:",
        "        server: 2024-11-30T23:59:59Z",
        "        email: 2024-06-30T00:00:00Z",
    ]
    assert text.splitlines()[1] == '# Subject: CN=Quote \\"Root\\" CA,OU="Two  Spaces",O="Example, Inc.",C=US'


def test_yaml_structure() -> None:
    text = add_spec_yaml(_der("long-serial"), certificate_ref="a: b #c.pem", label="Long Serial CA",
                         trust={"code_signing": TrustLevel.NOT_TRUSTED},
                         distrust_after={"email": None}, bug=5)
    assert yaml.safe_load(text) == {
        "version": 1,
        "title": "Add Long Serial CA",
        "bug": 5,
        "changes": [{"add": {
            "certificate": "a: b #c.pem",
            "label": "Long Serial CA",
            "trust": {"server_auth": "must_verify_trust", "email_protection": "must_verify_trust",
                      "code_signing": "not_trusted"},
            "distrust_after": {"server": None, "email": None},
        }}],
    }


def test_the_same_input_gives_the_same_text() -> None:
    one = add_spec_yaml(_der("unknown-oid"), certificate_ref="x.pem", label=None, trust={"server_auth": TD})
    assert one == add_spec_yaml(_der("unknown-oid"), certificate_ref="x.pem", label=None,
                                trust={"server_auth": TD})


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("quoted-name", "Quote Root CA"),  # the quotes of the CN cannot be in a label
        ("non-ascii-name", "Főtanúsítvány Root CA"),
        ("unknown-oid", "Unknown OID Root CA"),
    ],
)
def test_suggested_label(name: str, label: str) -> None:
    assert suggest_label(_der(name)) == label


def _self_signed(*attributes: tuple[x509.ObjectIdentifier, str]) -> bytes:
    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    name = x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes])
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).serial_number(7)
            .not_valid_before(datetime(2024, 1, 1, tzinfo=UTC))
            .not_valid_after(datetime(2030, 1, 1, tzinfo=UTC))
            .public_key(key.public_key()).sign(key, None).public_bytes(Encoding.DER))


def test_suggested_label_falls_back_to_ou_then_o() -> None:
    assert suggest_label(_self_signed((NameOID.COUNTRY_NAME, "FR"),
                                      (NameOID.ORGANIZATION_NAME, "  Org\twith  space "))) == "Org with space"
    assert suggest_label(_self_signed((NameOID.ORGANIZATION_NAME, "Org"),
                                      (NameOID.ORGANIZATIONAL_UNIT_NAME, "Unit"))) == "Unit"
    with pytest.raises(ValueError, match="no CN, O or OU"):
        suggest_label(_self_signed((NameOID.COUNTRY_NAME, "FR")))


@pytest.mark.corpus
def test_suggested_labels_for_real_roots() -> None:
    """Most NSS labels are the subject's CN; those that differ are renamings NSS chose."""
    roots = read_roots(parse(corpus_file("certdata-2024-06-13-469e60ef4.txt"))).roots
    suggested = {root.label: suggest_label(root.der) for root in roots}
    different = {label: text for label, text in suggested.items() if text != label}
    assert len(roots) - len(different) == 160
    assert different["Entrust.net Premium 2048 Secure Server CA"] == (
        "Entrust.net Certification Authority (2048)")
    # No CN: the OU is the CA's name, as in NSS's own labels.
    assert different["Go Daddy Class 2 CA"] == "Go Daddy Class 2 Certification Authority"
    assert "Security Communication RootCA2" not in different


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"label": " Lead"}, "leading or trailing whitespace"),
        ({"label": 'A "B"'}, "contains '\"'"),
        ({"trust": {"server": TD}}, "unknown trust field 'server'"),
        ({"distrust_after": {"tls": None}}, "unknown distrust-after purpose 'tls'"),
        ({"bug": "soon"}, "bug must be a Mozilla bug number or a URL"),
        ({"bug": "0"}, "bug must be a Mozilla bug number or a URL"),
    ],
)
def test_refusals(options: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"certificate_ref": "x.pem", "label": "X", "trust": {}, **options}
    with pytest.raises(ValueError, match=message):
        add_spec_yaml(_der("long-serial"), **arguments)  # type: ignore[arg-type]


def test_the_spec_loader_reads_it(tmp_path: Path) -> None:
    """The generated spec loads as written: the certificate from the file it names, or inline."""
    from certdata_tool import load_spec
    from certdata_tool.model.roots import DistrustPurpose, TrustField
    from certdata_tool.spec.load import AddChange

    (tmp_path / "root.pem").write_bytes((CERTS / "long-serial.pem").read_bytes())
    server = datetime(2024, 11, 30, 23, 59, 59, tzinfo=UTC)
    for reference in ("root.pem", None):
        text = add_spec_yaml(_der("long-serial"), certificate_ref=reference, label=None,
                             trust={"server_auth": TD}, distrust_after={"server": server})
        spec = load_spec(
            text, source=str(tmp_path / "spec.yaml"),
            base_dir=tmp_path,
            read_file=spec_file_reader(tmp_path))
        assert spec.changes == (AddChange(
            der=_der("long-serial"),
            label=suggest_label(_der("long-serial")),
            trust={TrustField.SERVER_AUTH: TD, TrustField.EMAIL_PROTECTION: TrustLevel.MUST_VERIFY_TRUST,
                   TrustField.CODE_SIGNING: TrustLevel.MUST_VERIFY_TRUST},
            distrust_after={DistrustPurpose.SERVER: server, DistrustPurpose.EMAIL: None},
            certificate_ref=reference,
            line=8,
            path="changes[0]",
            key_lines=spec.changes[0].key_lines,
        ),)


def test_inline_certificate_is_the_pem_of_the_der() -> None:
    text = add_spec_yaml(_der("long-serial"), certificate_ref=None, label="L", trust={})
    block = text.split("      certificate: |\n", 1)[1].split("      label:", 1)[0]
    pem = "".join(line.removeprefix("        ") + "\n" for line in block.splitlines())
    assert pem == (CERTS / "long-serial.pem").read_text(encoding="ascii")
