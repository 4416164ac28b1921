"""Each export format read back by the program that really reads it: OpenSSL, p11-kit's `trust`, `keytool`.

These tests skip, saying why, where a program is missing; CI installs them (Debian packages openssl,
p11-kit and default-jre-headless).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
from conftest import corpus_file, corpus_revisions
from test_export import CASES, INPUT, NEWEST, pem_certificates, run, sha256

from certdata_tool import exporting as export
from certdata_tool.exporting import Purpose, Verdict
from certdata_tool.exporting.directory import hash_links, subject_hash
from certdata_tool.model.roots import read_roots
from certdata_tool.moments import encode_utctime
from certdata_tool.syntax.nssfile import parse

pytestmark = pytest.mark.consumer

PACKAGES = {"openssl": "openssl", "trust": "p11-kit", "keytool": "default-jre-headless"}
FILE_DATE = int(datetime(2024, 6, 13, tzinfo=UTC).timestamp())  # "now" for openssl verify -attime


def need(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        pytest.skip(f"{program} is not installed (Debian package {PACKAGES[program]}); CI installs it")
    return path


def command(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(args[:3])}… exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def export_to(path: Path, source: Path | bytes, *options: str) -> Path:
    args = ["-" if isinstance(source, bytes) else str(source), "-o", str(path), *options]
    result = run(*args, stdin=source if isinstance(source, bytes) else None)
    assert result.exit_code == 0, result.output
    return path


def _make_input() -> ModuleType:
    spec = importlib.util.spec_from_file_location("export_make_input", CASES / "make_input.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def leaf(root_label: str, path: Path) -> Path:
    """A leaf for both TLS servers and e-mail, issued by one of the small file's roots."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    maker = _make_input()
    root_der = next(item.der for item in maker.items() if item.label == root_label)
    issuer = x509.load_der_x509_certificate(root_der).subject
    key = ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"leaf").digest())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "leaf.example")]))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(datetime(2024, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2026, 1, 1, tzinfo=UTC))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                              ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            maker.root_key(root_label).public_key()), critical=False)
        .sign(maker.root_key(root_label), None)
    )
    path.write_bytes(certificate.public_bytes(Encoding.PEM))
    return path


def verify(*options: str, targets: list[Path]) -> dict[str, str]:
    """`openssl verify` of every target: file name -> "OK" or the first error line."""
    openssl = need("openssl")
    result = command(openssl, "verify", "-attime", str(FILE_DATE), *options, *map(str, targets), check=False)
    outcome: dict[str, str] = {}
    error = ""
    for line in (result.stdout + result.stderr).splitlines():
        if line.startswith("error ") and " at " in line:
            error = line.split(": ", 1)[-1]
        elif line.endswith(": OK"):
            outcome[Path(line[:-4]).name] = "OK"
        elif line.startswith("error ") and line.endswith("verification failed"):
            outcome[Path(line[6:].split(": verification failed")[0]).name] = error
    return outcome


def split_pem_files(bundle: str, folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for der in pem_certificates(bundle):
        path = folder / f"{sha256(der)}.pem"
        body = base64.encodebytes(der).decode("ascii")
        path.write_text(f"-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n")
        paths.append(path)
    return paths


def small_selection(**options: object) -> export.Selection:
    return export.select_roots(read_roots(parse(INPUT.read_bytes())), export.make_policy(**options))  # type: ignore[arg-type]


# -- OpenSSL: pem ------------------------------------------------------------------------------------

@pytest.mark.corpus
def test_openssl_verify_accepts_every_root_of_the_real_pem_bundle(tmp_path: Path) -> None:
    bundle = export_to(tmp_path / "bundle.pem", corpus_file(NEWEST))
    roots = split_pem_files(bundle.read_text(), tmp_path / "roots")
    assert len(roots) == 148
    outcome = verify("-CAfile", str(bundle), targets=roots)
    assert outcome == {path.name: "OK" for path in roots}


def test_openssl_verify_chains_through_the_pem_bundle(tmp_path: Path) -> None:
    bundle = export_to(tmp_path / "bundle.pem", INPUT)
    leaves = [leaf(label, tmp_path / f"leaf{n}.pem") for n, label in enumerate(
        ["Test Server Root", "Test Twin/Root", "Test Twin Root", "Test Email Root",
         "Explicitly Distrusted Test Root"])]
    outcome = verify("-CAfile", str(bundle), "-purpose", "sslserver", targets=leaves)
    assert outcome == {"leaf0.pem": "OK", "leaf1.pem": "OK", "leaf2.pem": "OK",
                       "leaf3.pem": "unable to get local issuer certificate",
                       "leaf4.pem": "unable to get local issuer certificate"}


# -- OpenSSL: TRUSTED CERTIFICATE ------------------------------------------------------------------------

def trust_settings(bundle: Path) -> dict[str, list[str]]:
    """What `openssl storeutl -text` shows of each TRUSTED CERTIFICATE: alias -> the lines from
    "Trusted Uses" to "Alias"."""
    openssl = need("openssl")
    output = command(openssl, "storeutl", "-noout", "-text", "-certs", str(bundle)).stdout
    shown: dict[str, list[str]] = {}
    for section in re.split(r"^\d+: Certificate$", output, flags=re.M)[1:]:
        lines = section.splitlines()
        start = next(i for i, line in enumerate(lines) if line in ("Trusted Uses:", "No Trusted Uses."))
        end = next(i for i, line in enumerate(lines) if line.startswith("Alias: "))
        shown[lines[end][len("Alias: "):]] = lines[start:end]
    return shown


def test_openssl_shows_trusted_and_rejected_uses(tmp_path: Path) -> None:
    bundle = export_to(tmp_path / "bundle.pem", INPUT, "--format", "openssl", "--purpose", "server",
                       "--purpose", "email", "--distrust-after", "drop", "--at", "2024-12-01")
    server = ["Trusted Uses:", "  TLS Web Server Authentication", "No Rejected Uses."]
    assert trust_settings(bundle) == {
        "Test Server Root": server,
        "Test Email Root": ["Trusted Uses:", "  E-mail Protection", "No Rejected Uses."],
        # The server date has passed on 2024-12-01 (policy drop), the e-mail date has not.
        "Test Dated Root": ["Trusted Uses:", "  E-mail Protection", "Rejected Uses:",
                            "  TLS Web Server Authentication"],
        "Test Expired Root": server,
        "Explicitly Distrusted Test Root": [
            "No Trusted Uses.", "Rejected Uses:",
            "  TLS Web Server Authentication, E-mail Protection, Code Signing"],
        "Test Root Ünïcode Çà": server,
        "Test Twin/Root": server,
        "Test Twin Root": server,
    }


def test_openssl_enforces_the_trust_settings(tmp_path: Path) -> None:
    bundle = export_to(tmp_path / "bundle.pem", INPUT, "--format", "openssl", "--purpose", "server",
                       "--purpose", "email")
    leaves = [leaf(label, tmp_path / f"leaf{n}.pem") for n, label in enumerate(
        ["Test Server Root", "Test Email Root", "Explicitly Distrusted Test Root"])]
    assert verify("-CAfile", str(bundle), "-purpose", "sslserver", targets=leaves) == {
        "leaf0.pem": "OK", "leaf1.pem": "certificate rejected", "leaf2.pem": "certificate rejected"}
    assert verify("-CAfile", str(bundle), "-purpose", "smimesign", targets=leaves) == {
        "leaf0.pem": "certificate rejected", "leaf1.pem": "OK", "leaf2.pem": "certificate rejected"}


@pytest.mark.corpus
def test_openssl_reads_the_real_trusted_certificates(tmp_path: Path) -> None:
    bundle = export_to(tmp_path / "bundle.pem", corpus_file(NEWEST), "--format", "openssl")
    shown = trust_settings(bundle)
    distrusted = "Explicitly Distrust DigiNotar Root CA"
    selection = export.select_roots(read_roots(parse(corpus_file(NEWEST))), export.make_policy())
    assert sorted(shown) == sorted([*(d.label for d in selection.kept), distrusted])
    server = ["Trusted Uses:", "  TLS Web Server Authentication", "No Rejected Uses."]
    assert all(lines == server for label, lines in shown.items() if label != distrusted)
    assert shown[distrusted] == [
        "No Trusted Uses.", "Rejected Uses:",
        "  TLS Web Server Authentication, E-mail Protection, Code Signing"]


# -- OpenSSL: hashed directory ------------------------------------------------------------------------

def _links(folder: Path) -> dict[str, str]:
    return {p.name: os.readlink(p) for p in folder.iterdir() if p.is_symlink()}


def _rehash_copy(folder: Path, copy: Path) -> dict[str, str]:
    """What `openssl rehash` makes of the folder's PEM files."""
    openssl = need("openssl")
    copy.mkdir()
    for path in folder.glob("*.pem"):
        shutil.copyfile(path, copy / path.name)
    command(openssl, "rehash", str(copy))
    return _links(copy)


@pytest.mark.parametrize("source", ["small", "real"])
def test_directory_links_are_what_openssl_rehash_makes(source: str, tmp_path: Path) -> None:
    data = INPUT.read_bytes() if source == "small" else corpus_file(NEWEST)
    folder = export_to(tmp_path / "roots", data, "--format", "directory")
    links = _links(folder)
    assert links == _rehash_copy(folder, tmp_path / "rehashed")
    assert len(links) == (6 if source == "small" else 148)


@pytest.mark.corpus
def test_openssl_verify_with_capath_accepts_every_real_root(tmp_path: Path) -> None:
    folder = export_to(tmp_path / "roots", corpus_file(NEWEST), "--format", "directory")
    roots = sorted(folder.glob("*.pem"))
    assert len(roots) == 148
    # -partial_chain: a root passes once OpenSSL finds it through its HASH.N link. (Without it,
    # OpenSSL 3.0 rejects one real root as "self-signed certificate" even from a folder made by
    # `openssl rehash` itself; the links are compared with rehash's in another test.)
    outcome = verify("-CApath", str(folder), "-partial_chain", targets=roots)
    assert outcome == {path.name: "OK" for path in roots}
    strict = verify("-CApath", str(folder), targets=roots)
    assert sum(result == "OK" for result in strict.values()) >= 147


def test_openssl_verify_with_capath_finds_the_second_root_of_a_hash(tmp_path: Path) -> None:
    folder = export_to(tmp_path / "roots", INPUT, "--format", "directory")
    twin_hashes = {name for name, target in _links(folder).items() if target.startswith("Test_Twin_Root_")}
    assert {name.rsplit(".", 1)[1] for name in twin_hashes} == {"0", "1"}
    leaves = [leaf(label, tmp_path / f"leaf{n}.pem") for n, label in enumerate(
        ["Test Twin/Root", "Test Twin Root", "Test Email Root"])]
    assert verify("-CApath", str(folder), "-purpose", "sslserver", targets=leaves) == {
        "leaf0.pem": "OK", "leaf1.pem": "OK", "leaf2.pem": "unable to get local issuer certificate"}


@pytest.mark.corpus
def test_subject_hash_matches_openssl_for_every_certificate_in_the_corpus(tmp_path: Path) -> None:
    """Every distinct certificate of all 137 revisions: our hash against `openssl rehash`'s links."""
    openssl = need("openssl")
    blocks: set[str] = set()
    for _name, data in corpus_revisions():
        text = data.decode("utf-8")
        blocks.update(re.findall(r"^CKA_VALUE MULTILINE_OCTAL\n(.*?)^END$", text, re.S | re.M))
    ders = {bytes(int(code, 8) for code in re.findall(r"\\([0-7]{3})", block)) for block in blocks}
    folder = tmp_path / "all"
    folder.mkdir()
    files = {}
    for der in ders:
        name = f"{sha256(der)}.pem"
        body = base64.encodebytes(der).decode("ascii")
        (folder / name).write_text(f"-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n")
        files[name] = der
    assert len(files) > 300
    command(openssl, "rehash", str(folder))
    assert _links(folder) == dict(hash_links(files))
    assert all(subject_hash(files[target]) == name.split(".")[0] for name, target in _links(folder).items())


# -- p11-kit's trust tool ---------------------------------------------------------------------------

@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder any user can read (pytest's tmp_path is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="certdata-tool-p11kit-"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def trust_tool(p11kit: bytes, folder: Path) -> list[str]:
    """A command prefix that runs p11-kit's `trust` with `p11kit` as its only source of anchors.

    p11-kit reads a user's module configuration (~/.config/pkcs11/modules) only when not run as
    root, so as root the command drops to the `nobody` user (setpriv, util-linux)."""
    trust = need("trust")
    (folder / "anchors").mkdir(mode=0o755)
    (folder / "anchors" / "roots.p11-kit").write_bytes(p11kit)
    modules = folder / "home" / ".config" / "pkcs11" / "modules"
    modules.mkdir(parents=True)
    (modules / "p11-kit-trust.module").write_text(
        "module: p11-kit-trust.so\npriority: 1\ntrust-policy: yes\n"
        f"x-init-reserved: paths={folder / 'anchors'}\n")
    for path in [folder, *folder.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    prefix = ["env", "-u", "P11_KIT_NO_USER_CONFIG", f"HOME={folder / 'home'}"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root and setpriv (util-linux) is missing: p11-kit ignores a root "
                        "user's module configuration")
        prefix += [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    return [*prefix, trust]


def trust_labels(prefix: list[str], *options: str) -> list[str]:
    output = command(*prefix, "list", *options).stdout
    return sorted(re.findall(r"^    label: (.*)$", output, re.M))


def _decode(value: str) -> bytes | str:
    if value.startswith('"') and value.endswith('"'):
        return urllib.parse.unquote_to_bytes(value[1:-1])
    return value


def trust_dump(prefix: list[str]) -> list[dict[str, bytes | str]]:
    """The objects `trust dump` prints, attribute -> value (strings decoded to bytes); `der` holds a
    certificate's PEM block."""
    objects = []
    for section in command(*prefix, "dump", "--filter=all").stdout.split("[p11-kit-object-v1]\n")[1:]:
        attributes: dict[str, bytes | str] = {}
        for line in section.splitlines():
            if ": " in line and not line.startswith("#"):
                key, value = line.split(": ", 1)
                attributes[key] = _decode(value)
        ders = pem_certificates(section)
        if ders:
            attributes["der"] = ders[0]
        objects.append(attributes)
    return objects


def _expected_date(root_date: datetime | None) -> bytes:
    return b"\x00" if root_date is None else encode_utctime(root_date)


def test_trust_reads_back_purposes_distrust_and_dates(open_folder: Path) -> None:
    options = ("--purpose", "server", "--purpose", "email", "--purpose", "code-signing",
               "--distrust-after", "drop", "--at", "2024-12-01")
    p11kit = run(str(INPUT), "-o", "-", "--format", "p11-kit", *options).stdout.encode("utf-8")
    prefix = trust_tool(p11kit, open_folder)
    selection = small_selection(purposes=list(Purpose), distrust_after=export.DistrustAfterPolicy.DROP,
                                at=datetime(2024, 12, 1, tzinfo=UTC))
    for purpose, name in ((Purpose.SERVER, "server-auth"), (Purpose.EMAIL, "email"),
                          (Purpose.CODE_SIGNING, "code-signing")):
        expected = sorted(d.label for d in selection.kept if purpose in d.purposes)
        assert trust_labels(prefix, "--filter=ca-anchors", f"--purpose={name}") == expected
    assert trust_labels(prefix, "--filter=ca-anchors", "--purpose=server-auth") == [
        "Test Expired Root", "Test Root Ünïcode Çà", "Test Server Root", "Test Twin Root", "Test Twin/Root"]
    assert trust_labels(prefix, "--filter=blocklist") == ["Explicitly Distrusted Test Root"]

    objects = trust_dump(prefix)
    certificates = {o["label"]: o for o in objects if "der" in o}
    roots = {r.label: r for r in read_roots(parse(INPUT.read_bytes())).roots}
    written = [d for d in selection.decisions if d.verdict is not Verdict.DROPPED and d.root is not None]
    assert sorted(certificates) == sorted(d.label.encode("utf-8") for d in written)
    for decision in written:
        root = roots[decision.label]
        got = certificates[decision.label.encode("utf-8")]
        assert got["der"] == root.der
        assert got["trusted"] == ("false" if decision.verdict is Verdict.DISTRUSTED else "true")
        assert got["x-distrusted"] == ("true" if decision.verdict is Verdict.DISTRUSTED else "false")
        assert got["nss-server-distrust-after"] == _expected_date(root.distrust_after.server)
        assert got["nss-email-distrust-after"] == _expected_date(root.distrust_after.email)
        assert got["nss-mozilla-ca-policy"] == ("true" if root.mozilla_ca_policy else "false")
    assert certificates[b"Test Dated Root"]["nss-server-distrust-after"] == b"240630000000Z"
    assert certificates[b"Test Dated Root"]["nss-email-distrust-after"] == b"250131235959Z"

    # The NSS trust objects p11-kit builds: trusted, rejected (dropped or distrusted) and unknown uses.
    nss_trust = {o["label"]: o for o in objects if o.get("class") == "nss-trust"}
    dated = nss_trust[b"Test Dated Root"]
    assert (dated["trust-server-auth"], dated["trust-email-protection"], dated["trust-code-signing"]) == (
        "nss-not-trusted", "nss-trusted-delegator", "nss-trust-unknown")
    serial_entry = nss_trust[b"Distrust Test Serial Entry"]
    assert serial_entry["trust-server-auth"] == "nss-not-trusted"
    assert serial_entry["serial-number"] == b"\x02\x01\x01"


@pytest.mark.corpus
def test_trust_reads_back_the_real_file(open_folder: Path) -> None:
    text = corpus_file(NEWEST)
    prefix = trust_tool(run("-", "-o", "-", "--format", "p11-kit", stdin=text).stdout.encode("utf-8"),
                        open_folder)
    selection = export.select_roots(read_roots(parse(text)), export.make_policy())
    labels = sorted(d.label for d in selection.kept)
    assert len(labels) == 148
    assert trust_labels(prefix, "--filter=ca-anchors", "--purpose=server-auth") == labels
    assert trust_labels(prefix, "--filter=ca-anchors", "--purpose=email") == []
    assert trust_labels(prefix, "--filter=blocklist") == ["Explicitly Distrust DigiNotar Root CA"]
    certificates = {o["label"]: o for o in trust_dump(prefix) if "der" in o}
    globaltrust = certificates[b"GLOBALTRUST 2020"]
    assert globaltrust["nss-server-distrust-after"] == b"240630000000Z"
    assert globaltrust["nss-email-distrust-after"] == b"240630000000Z"
    assert sum(o["nss-server-distrust-after"] != b"\x00" for o in certificates.values()) == 1


# -- keytool ------------------------------------------------------------------------------------------

def keytool_entries(path: Path, password: str = "changeit") -> list[tuple[str, str]]:
    keytool = need("keytool")
    output = command(keytool, "-list", "-v", "-keystore", str(path), "-storetype", "PKCS12",
                     "-storepass", password).stdout
    names = re.findall(r"^Alias name: (.*)$", output, re.M)
    kinds = re.findall(r"^Entry type: (.*)$", output, re.M)
    fingerprints = re.findall(r"^\s+SHA256: ([0-9A-F:]+)$", output, re.M)
    assert len(names) == len(kinds) == len(fingerprints)
    return sorted(zip(names, [f"{k} {f.replace(':', '')}" for k, f in zip(kinds, fingerprints, strict=True)],
                      strict=True))


def test_keytool_lists_one_trusted_entry_per_root(tmp_path: Path) -> None:
    store = export_to(tmp_path / "truststore.p12", INPUT, "--format", "java")
    selection = small_selection()
    # The JDK lower-cases PKCS#12 aliases.
    assert keytool_entries(store) == sorted(
        (d.label.lower(), f"trustedCertEntry {d.root.sha256}") for d in selection.kept if d.root is not None)


@pytest.mark.corpus
def test_keytool_reads_the_real_truststore(tmp_path: Path) -> None:
    store = export_to(tmp_path / "truststore.p12", corpus_file(NEWEST), "--format", "java")
    entries = keytool_entries(store)
    assert len(entries) == 148
    assert {kind.split()[0] for _, kind in entries} == {"trustedCertEntry"}
    expected = {d.root.sha256 for d in export.select_roots(read_roots(parse(corpus_file(NEWEST))),
                                                            export.make_policy()).kept if d.root}
    assert {kind.split()[1] for _, kind in entries} == expected


def test_the_truststore_mac_checks_with_the_documented_password(tmp_path: Path) -> None:
    openssl = need("openssl")
    store = export_to(tmp_path / "truststore.p12", INPUT, "--format", "java")
    good = command(openssl, "pkcs12", "-in", str(store), "-passin", "pass:changeit", "-nokeys", "-noout",
                   check=False)
    assert good.returncode == 0, good.stderr
    bad = command(openssl, "pkcs12", "-in", str(store), "-passin", "pass:wrong", "-nokeys", "-noout",
                  check=False)
    assert bad.returncode != 0
    assert "mac verify" in bad.stderr.lower()



def trust_entries(prefix: list[str], *options: str) -> list[tuple[str, str]]:
    """(label, trust) of every object `trust list` prints, sorted."""
    output = command(*prefix, "list", *options).stdout
    return sorted(re.findall(r"^    label: (.*)\n    trust: (.*)$", output, re.M))


@pytest.mark.corpus
def test_trust_reads_back_the_oldest_revision_with_its_distrust_records(open_folder: Path) -> None:
    """2013: explicit distrust by certificate and by issuer + serial number (no certificate)."""
    data = corpus_revisions()[0][1]
    every = ("--purpose", "server", "--purpose", "email", "--purpose", "code-signing")
    prefix = trust_tool(run("-", "-o", "-", "--format", "p11-kit", *every, stdin=data).stdout.encode("utf-8"),
                        open_folder)
    selection = export.select_roots(read_roots(parse(data)), export.make_policy(list(Purpose)))
    expected = sorted([*((d.label, "anchor") for d in selection.kept),
                       *((d.label, "distrusted") for d in selection.distrusted if d.root is not None)])
    # trust-policy lists anchors and the blocklist, whatever p11-kit's category for the certificate.
    assert trust_entries(prefix, "--filter=trust-policy") == expected
    serial_entries = {d.label for d in selection.distrusted if d.entry is not None}
    assert len(serial_entries) == 4
    objects = trust_dump(prefix)
    distrusted_by_serial = {o["label"].decode("utf-8") for o in objects  # type: ignore[union-attr]
                            if o.get("class") == "nss-trust" and "cert-sha1-hash" not in o
                            and o.get("trust-server-auth") == "nss-not-trusted"}
    assert serial_entries <= distrusted_by_serial
