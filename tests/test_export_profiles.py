"""`export --profile certifi|curl|debian`: every byte rule of PROFILES.md, checked line by line against the
rule itself (names re-derived with cryptography, labels read from the certdata text, converters modelled
independently in reference_converters.py), goldens, and determinism on the real corpus."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from conftest import TESTS_DIR, assert_golden, corpus_revisions
from cryptography import x509
from profile_store import ROOTS, TRUSTED, certificates, text
from reference_converters import certdata2pem, mk_ca_bundle_body, objects
from typer.testing import CliRunner, Result

import certdata_tool
from certdata_tool.cli import app
from certdata_tool.exporting.bundle import ExportOptions, export_store
from certdata_tool.exporting.directory import DirectoryExport
from certdata_tool.exporting.profiles import Profile
from certdata_tool.syntax.nssfile import parse

CASES = TESTS_DIR / "cases" / "export" / "profiles"
INPUT = CASES / "input.certdata.txt"
AT = "2025-01-07T08:09:10Z"  # a day of the month below 10: curl pads it with a space
AT_MOMENT = datetime(2025, 1, 7, 8, 9, 10, tzinfo=UTC)
STORE = {root.label + root.key_note: value for root, value in certificates()}


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["export", *args])


def export_bytes(profile: str, *options: str, source: Path = INPUT) -> bytes:
    result = run(str(source), "--profile", profile, "-o", "-", *options)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def der_of(name: str, note: str = "") -> bytes:
    return STORE[name + note]


def pem_blocks(data: str) -> list[str]:
    return re.findall(r"-----BEGIN CERTIFICATE-----\n.*?-----END CERTIFICATE-----\n", data, re.S)


def block_der(block: str) -> bytes:
    return base64.b64decode("".join(block.splitlines()[1:-1]))


def server_roots() -> list[bytes]:
    """The store's certificates whose own trust object grants websites trusted_delegator, file order."""
    return [value for root, value in certificates() if root.server == TRUSTED and not root.distrust_entry]


def written_labels(source: str | None = None) -> dict[bytes, str]:
    """DER -> the CKA_LABEL value as written after UTF8 (quotes included), read from the text."""
    labels = {}
    for obj in objects(INPUT.read_text("utf-8") if source is None else source):
        value = obj.get("CKA_VALUE")
        if obj.get("CKA_CLASS") == "CKO_CERTIFICATE" and isinstance(value, bytes):
            labels[value] = str(obj["CKA_LABEL"])
    return labels


# -- the store itself -------------------------------------------------------------------------------

def test_the_store_file_is_what_its_generator_writes() -> None:
    assert INPUT.read_text("utf-8") == text(), "run python tests/profile_store.py"


def test_the_store_holds_every_case_the_rules_need() -> None:
    """A negative serial, serial 0, non-ASCII labels, a duplicate and a leading-space label, an expired
    root and server distrust-after dates: checked on the DER, not on the generator's word."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cryptography warns about the negative serial, as it should
        parsed = [x509.load_der_x509_certificate(value) for value in server_roots()]
        serials = [cert.serial_number for cert in parsed]
    assert any(serial < 0 for serial in serials) and 0 in serials
    labels = [root.label for root in ROOTS]
    assert any(not label.isascii() for label in labels)
    assert len(labels) != len(set(labels)) and any(label.startswith(" ") for label in labels)
    assert any(cert.not_valid_after_utc < AT_MOMENT for cert in parsed)
    assert sum(root.server_distrust_after is not None for root in ROOTS) == 2


# -- every profile ----------------------------------------------------------------------------------

@pytest.mark.parametrize("profile", list(Profile))
def test_every_profile_writes_its_roots_and_refuses_format(profile: Profile, tmp_path: Path) -> None:
    assert profile.defaults is profile.module.DEFAULTS
    out = tmp_path / "out"
    result = run(str(INPUT), "--profile", profile.value, "--at", AT, "-o", str(out))
    assert result.exit_code == 0, result.output
    written = b"".join(p.read_bytes() for p in sorted(out.iterdir())) if out.is_dir() else out.read_bytes()
    assert out.is_dir() is profile.is_directory
    text_out = written.decode("utf-8")
    assert {block_der(block) for block in pem_blocks(text_out.replace("\r", ""))} <= set(STORE.values())
    # A profile is a format of its own.
    refused = run(str(INPUT), "--profile", profile.value, "--format", "pem", "--at", AT, "-o", str(out))
    assert refused.exit_code == 2 and "leave out" in refused.stderr and "--format pem" in refused.stderr


@pytest.mark.parametrize("profile", list(Profile))
def test_every_profile_golden(profile: Profile, tmp_path: Path) -> None:
    store = parse(INPUT.read_bytes(), source="input.certdata.txt")
    options = ExportOptions(profile=profile, at=AT_MOMENT)
    result = export_store(store, hashlib.sha256(INPUT.read_bytes()).hexdigest(), options, "0.0.0-test")
    output = result.output
    if isinstance(output, DirectoryExport):
        assert output.links == () and output.manifest is None
        listing = "".join(f"== {name}\n{data.decode('ascii')}" for name, data in output.files)
        assert_golden(CASES / "debian.folder.txt", listing)
    else:
        name = {"certifi": "certifi.cacert.pem", "curl": "curl.ca-bundle.crt"}[profile.value]
        assert_golden(CASES / name, output.decode("utf-8"))
    assert_golden(CASES / f"explain-{profile.value}.txt", result.explanation())


def test_a_profile_that_needs_a_date_says_so() -> None:
    for profile in ("certifi", "curl"):
        result = run(str(INPUT), "--profile", profile, "-o", "-")
        assert result.exit_code == 2
        assert f"--profile {profile} needs --at DATE" in result.stderr
        assert result.stdout == ""
    assert run(str(INPUT), "--profile", "debian", "-o", "-").exit_code == 2  # a folder, not stdout


# -- certifi ------------------------------------------------------------------------------------------

CERTIFI_HEADER = ("Issuer", "Subject", "Label", "Serial", "MD5 Fingerprint", "SHA1 Fingerprint",
                  "SHA256 Fingerprint")


def certifi_entries(data: bytes) -> list[tuple[dict[str, str], bytes]]:
    """(header values, DER) per root, checking the layout of each entry on the way."""
    body = data.decode("ascii")  # the whole file is ASCII
    assert body.startswith("\n# Issuer: ") and body.endswith("-----END CERTIFICATE-----\n")
    assert not body.endswith("\n\n")
    entries = []
    for chunk in body[1:].split("\n\n"):
        lines = chunk.rstrip("\n").split("\n")
        header = lines[:7]
        assert [line.split(": ", 1)[0] for line in header] == [f"# {key}" for key in CERTIFI_HEADER]
        assert lines[7] == "-----BEGIN CERTIFICATE-----" and lines[-1] == "-----END CERTIFICATE-----"
        base64_lines = lines[8:-1]
        assert all(len(line) == 64 for line in base64_lines[:-1]) and 0 < len(base64_lines[-1]) <= 64
        values = {key: line.split(": ", 1)[1] for key, line in zip(CERTIFI_HEADER, header, strict=True)}
        entries.append((values, base64.b64decode("".join(base64_lines))))
    return entries


def python_escapes(value: str) -> str:
    """Python's backslash escapes for every non-ASCII character, written out by hand."""
    out = []
    for char in value:
        code = ord(char)
        if code < 0x80:
            out.append(char)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return "".join(out)


_DECODINGS = {12: "utf-8", 19: "ascii", 20: "latin-1", 22: "ascii", 30: "utf-16-be"}


def certifi_name(value: bytes, which: str) -> str:
    """certifi's rendering of the certificate's `which` ("subject" or "issuer") name, re-derived with
    asn1crypto's reading of the DER: each value decoded by its string type."""
    tbs = asn1_x509.Certificate.load(value)["tbs_certificate"]
    found: dict[str, list[str]] = {"2.5.4.3": [], "2.5.4.10": [], "2.5.4.11": []}
    for rdn in tbs[which].chosen:
        for attribute in rdn:
            kind = attribute["type"].dotted
            if kind in found:
                string = attribute["value"].chosen
                found[kind].append(string.contents.decode(_DECODINGS[string.tag], errors="surrogatepass"))
    common, organization, unit = found["2.5.4.3"], found["2.5.4.10"], found["2.5.4.11"]
    parts = [f"CN={common[-1]}"] if common else []
    parts += ["O=" + "/".join(organization)] if organization else []
    parts += ["OU=" + "/".join(unit)] if unit else []
    return python_escapes(" ".join(parts))


def signed_serial(value: bytes) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cryptography warns about serials below 1, as it should
        return x509.load_der_x509_certificate(value).serial_number


def test_certifi_roots_are_the_server_anchors_in_file_order_expired_kept() -> None:
    entries = certifi_entries(export_bytes("certifi", "--at", AT, "--distrust-after", "keep"))
    assert [value for _, value in entries] == server_roots()
    assert der_of("Profile Expired Root") in [value for _, value in entries]


@pytest.mark.parametrize(("policy", "dropped"), [
    ("keep", set()),  # certifi until 2022-09
    ("drop", {"Profile Dated Root 2023", "Profile Dated Root 2024"}),  # 2022-12 to 2024-08: date passed
    ("grace", {"Profile Dated Root 2023"}),  # since 2024-12-14: 398 days past the date (the default)
])
def test_certifi_distrust_after_policy_by_release(policy: str, dropped: set[str]) -> None:
    options = ("--at", AT) if policy == "grace" else ("--at", AT, "--distrust-after", policy)
    written = [value for _, value in certifi_entries(export_bytes("certifi", *options))]
    expected = [value for root, value in certificates() if root.server == TRUSTED
                and not root.distrust_entry and root.label not in dropped]
    assert written == expected


def test_certifi_grace_keeps_a_root_until_398_days_past_its_date() -> None:
    # Profile Dated Root 2024: 2024-09-30T23:59:59Z + 398 days = 2025-11-02T23:59:59Z.
    def has_root(at: str) -> bool:
        entries = certifi_entries(export_bytes("certifi", "--at", at))
        return der_of("Profile Dated Root 2024") in [value for _, value in entries]

    assert has_root("2025-11-02T23:59:59Z") and not has_root("2025-11-03T00:00:00Z")


def test_certifi_headers_follow_the_rules_for_every_root() -> None:
    labels = written_labels()
    for values, value in certifi_entries(export_bytes("certifi", "--at", AT, "--distrust-after", "keep")):
        assert values["Subject"] == certifi_name(value, "subject")
        assert values["Issuer"] == certifi_name(value, "issuer")
        # L: as written after UTF8, quotes kept, whitespace runs made one space, then escaped.
        assert values["Label"] == python_escapes(" ".join(labels[value].split()))
        assert values["Serial"] == str(signed_serial(value))  # signed decimal
        for key, digest in (("MD5", hashlib.md5(value)), ("SHA1", hashlib.sha1(value)),
                            ("SHA256", hashlib.sha256(value))):
            fingerprint = values[f"{key} Fingerprint"]
            assert re.fullmatch(r"[0-9a-f]{2}(:[0-9a-f]{2})*", fingerprint)
            assert fingerprint.replace(":", "") == digest.hexdigest()


def certifi_header(label: str, note: str = "") -> dict[str, str]:
    data = export_bytes("certifi", "--at", AT, "--distrust-after", "keep")
    value = der_of(label, note)
    return next(values for values, der in certifi_entries(data) if der == value)


def test_certifi_name_order_multiple_values_and_hidden_attributes() -> None:
    # DER order: CN, OU, O, C, ST, L, O, serialNumber, emailAddress, OU, CN.
    header = certifi_header("Profile Many Names Root")
    assert header["Subject"] == "CN=Profile Many Names Root O=Org, One=1/Org Two OU=Unit 1/Unit 2"
    assert header["Issuer"] == header["Subject"]


def test_certifi_name_string_types_and_escapes() -> None:
    header = certifi_header("Profile String Types Root")
    # CN is a T61String read as Latin-1 (0xDC Ü, 0xF6 ö); O a BMPString with a character beyond the
    # BMP (a surrogate pair in UTF-16) written as \U; OU a PrintableString.
    assert header["Subject"] == "CN=T\\xdcRK Profil K\\xf6k O=Profile \\U0001d518nicode Org OU=Printable Unit"
    accented = certifi_header("Profilé Arany (Class Gold) Főtanúsítvány")
    assert accented["Label"] == '"Profil\\xe9 Arany (Class Gold) F\\u0151tan\\xfas\\xedtv\\xe1ny"'
    assert accented["Subject"].startswith(
        "CN=Profil\\xe9 Arany (Class Gold) F\\u0151tan\\xfas\\xedtv\\xe1ny O=")


def test_certifi_absent_parts_are_left_out_and_serials_are_signed() -> None:
    zero = certifi_header("Profile Serial Zero Root")
    assert zero["Subject"] == "O=Profile Zero Org OU=No Common Name" and zero["Serial"] == "0"
    assert certifi_header("Profile Negative Serial Root")["Serial"] == str(-0x1234567890AB)


def test_certifi_labels_keep_a_leading_space_and_collapse_runs() -> None:
    assert certifi_header(" Profile Leading Space Root")["Label"] == '" Profile Leading Space Root"'
    assert certifi_header("Profile  Spaced   Root")["Label"] == '"Profile Spaced Root"'


# -- curl ---------------------------------------------------------------------------------------------

CURL_HEADER = """\
##
## Bundle of CA Root Certificates
##
## Certificate data from Mozilla as of: Tue Jan  7 08:09:10 2025 GMT
##
## Find updated versions here: https://curl.se/docs/caextract.html
##
## This is a bundle of X.509 certificates of public Certificate Authorities
## (CA). These were automatically extracted from Mozilla's root certificates
## file (certdata.txt).  This file can be found in the mozilla source tree:
## https://raw.githubusercontent.com/mozilla-firefox/firefox/refs/heads/release/security/nss/lib/ckfw/builtins/certdata.txt
##
## It contains the certificates in PEM format and therefore
## can be directly used with curl / libcurl / php_curl, or with
## an Apache+mod_ssl webserver for SSL client authentication.
## Just configure this file as the SSLCACertificateFile.
##
## Conversion done with certdata-tool version {version}.
## SHA256: {sha256}
##

"""


def test_curl_header_text_date_converter_and_input_hash() -> None:
    data = export_bytes("curl", "--at", AT).decode("utf-8")
    expected = CURL_HEADER.format(version=certdata_tool.__version__,
                                  sha256=hashlib.sha256(INPUT.read_bytes()).hexdigest())
    assert data.startswith(expected)
    # The first label follows two empty lines: the one closing the header and the one before it.
    assert data[len(expected):].startswith("\nProfile Plain Root\n")


def test_curl_date_pads_the_day_with_a_space_and_uses_english_names() -> None:
    for at, shown in (("2024-11-12", "Tue Nov 12 00:00:00 2024"),
                      ("2025-03-02T23:05:09Z", "Sun Mar  2 23:05:09 2025")):
        data = export_bytes("curl", "--at", at).decode("utf-8")
        assert f"## Certificate data from Mozilla as of: {shown} GMT\n" in data


def test_curl_body_is_mk_ca_bundle_s_byte_for_byte() -> None:
    data = export_bytes("curl", "--at", AT).decode("utf-8")
    body = data.split("##\n\n", 1)[1]
    assert body == mk_ca_bundle_body(INPUT.read_text("utf-8"), AT_MOMENT)


def test_curl_labels_underlines_and_76_columns() -> None:
    data = export_bytes("curl", "--at", AT).decode("utf-8")
    body = data.split("##\n\n", 1)[1]
    assert body.startswith("\n")
    entries = body[1:].split("\n\n")
    labels = []
    for entry in entries:
        lines = entry.rstrip("\n").split("\n")
        label, underline = lines[0], lines[1]
        labels.append(label)
        assert underline == "=" * len(label)  # characters, not bytes
        base64_lines = lines[3:-1]
        assert all(len(line) == 76 for line in base64_lines[:-1]) and 0 < len(base64_lines[-1]) <= 76
    assert " Profile Leading Space Root" in labels and "Profile  Spaced   Root" in labels
    accented = "Profilé Arany (Class Gold) Főtanúsítvány"
    assert accented in labels and len(accented.encode("utf-8")) > len(accented)


def test_curl_drops_expired_roots_at_at_and_ignores_distrust_after() -> None:
    written = [block_der(block) for block in pem_blocks(export_bytes("curl", "--at", AT).decode("utf-8"))]
    assert written == [value for value in server_roots() if value != der_of("Profile Expired Root")]
    kept = [block_der(b) for b in pem_blocks(export_bytes("curl", "--at", AT, "--keep-expired").decode())]
    assert kept == server_roots()  # curl before 2021-09
    dropped = [block_der(b) for b in pem_blocks(
        export_bytes("curl", "--at", AT, "--distrust-after", "drop").decode())]  # curl 2022-02 to 2024-11
    assert der_of("Profile Dated Root 2023") not in dropped
    assert der_of("Profile Dated Root 2024") not in dropped
    # Expired at 2021-06-30T23:59:59Z: still written at that second, gone the next.
    assert der_of("Profile Expired Root") in [block_der(b) for b in pem_blocks(
        export_bytes("curl", "--at", "2021-06-30T23:59:59Z").decode())]
    assert der_of("Profile Expired Root") not in [block_der(b) for b in pem_blocks(
        export_bytes("curl", "--at", "2021-07-01T00:00:00Z").decode())]


# -- debian -------------------------------------------------------------------------------------------

def debian_folder(tmp_path: Path, *options: str, source: Path = INPUT) -> dict[str, bytes]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    out = tmp_path / "mozilla"
    result = run(str(source), "--profile", "debian", "-o", str(out), *options)
    assert result.exit_code == 0, result.output
    return {path.name: path.read_bytes() for path in out.iterdir()}


def test_debian_folder_is_certdata2pem_s(tmp_path: Path) -> None:
    folder = debian_folder(tmp_path)
    expected = certdata2pem(INPUT.read_text("utf-8"))
    assert {name: data.decode("ascii") for name, data in folder.items()} == expected


def test_debian_names(tmp_path: Path) -> None:
    names = set(debian_folder(tmp_path))
    assert "Profilé_Arany_=Class_Gold=_Főtanúsítvány.crt" in names  # UTF-8 kept, ( ) become =
    assert {"Profile_Twin__Root_Label.crt", "Profile_Twin__Root_Label_2.crt"} <= names  # , / space; _2
    assert "_Profile_Leading_Space_Root.crt" in names and "Profile__Spaced___Root.crt" in names
    for name in names:
        assert name.endswith(".crt") and not set(name) & set("/ ,()")


def test_debian_trust_is_decided_by_label(tmp_path: Path) -> None:
    folder = debian_folder(tmp_path)
    written = {block_der(data.decode("ascii")) for data in folder.values()}
    # The second "Profile Label Trust Root" is not trusted for websites itself, but its label is.
    assert der_of("Profile Label Trust Root", "second") in written
    # A trusted root whose trust object carries another label is not written.
    assert der_of("Profile Relabelled Root") not in written
    # Expired and distrust-after roots stay.
    assert {der_of("Profile Expired Root"), der_of("Profile Dated Root 2023")} <= written


def test_debian_content_is_a_bare_pem_block(tmp_path: Path) -> None:
    for name, data in debian_folder(tmp_path).items():
        lines = data.decode("ascii").split("\n")
        assert lines[0] == "-----BEGIN CERTIFICATE-----" and lines[-2:] == ["-----END CERTIFICATE-----", ""]
        assert all(len(line) == 64 for line in lines[1:-3]) and 0 < len(lines[-3]) <= 64, name


def test_debian_blacklist_lines_as_debian_reads_them(tmp_path: Path) -> None:
    blacklist = ("# certificates we do not ship\n"
                 "\n"
                 '   "Profile Plain Root"   \n'
                 '"Profile Expired Root" # expired long ago\n'
                 "  # an indented comment\n"
                 '"profile dated root 2023"\n')  # case matters: this matches nothing
    path = tmp_path / "blacklist.txt"
    path.write_text(blacklist, encoding="utf-8")
    out = tmp_path / "mozilla"
    result = run(str(INPUT), "--profile", "debian", "--exclude-file", str(path), "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr.strip().splitlines() == [
        f"certdata-tool: warning: {path}:6: exclusion \"profile dated root 2023\" matches no root "
        '(nothing excluded) (did you mean "Profile Dated Root 2023" or "Profile Dated Root 2024"?)']
    folder = {p.name: p.read_text("ascii") for p in out.iterdir()}
    assert folder == certdata2pem(INPUT.read_text("utf-8"), blacklist)
    assert "Profile_Plain_Root.crt" not in folder and "Profile_Expired_Root.crt" not in folder


def test_debian_replaces_a_crt_folder_and_refuses_any_other(tmp_path: Path) -> None:
    out = tmp_path / "mozilla"
    out.mkdir()
    (out / "Old_Root.crt").write_text("old")
    assert run(str(INPUT), "--profile", "debian", "-o", str(out)).exit_code == 0
    names = {p.name for p in out.iterdir()}
    assert "Old_Root.crt" not in names and names == set(certdata2pem(INPUT.read_text("utf-8")))
    (out / "README").write_text("mine")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    refused = run(str(INPUT), "--profile", "debian", "-o", str(out))
    assert refused.exit_code == 2 and "README" in refused.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# -- the real corpus ------------------------------------------------------------------------------------

def newest(count: int) -> list[tuple[str, bytes]]:
    return list(corpus_revisions()[-count:])


@pytest.mark.corpus
def test_profiles_match_the_converter_models_on_the_newest_revisions(tmp_path: Path) -> None:
    for name, data in newest(3):
        source = tmp_path / name
        source.write_bytes(data)
        body = export_bytes("curl", "--at", AT, source=source).decode("utf-8").split("##\n\n", 1)[1]
        assert body == mk_ca_bundle_body(data.decode("utf-8"), AT_MOMENT), name
        folder = debian_folder(tmp_path / f"{name}.out", source=source)
        assert {n: d.decode("ascii") for n, d in folder.items()} == certdata2pem(data.decode("utf-8")), name
        assert "NetLock_Arany_=Class_Gold=_Főtanúsítvány.crt" in folder


@pytest.mark.corpus
def test_debian_duplicate_label_in_a_real_revision(tmp_path: Path) -> None:
    name, data = next((n, d) for n, d in corpus_revisions() if n.startswith("2023-11-13"))
    source = tmp_path / name
    source.write_bytes(data)
    folder = debian_folder(tmp_path / "out", source=source)
    assert {"Autoridad_de_Certificacion_Firmaprofesional_CIF_A62634068.crt",
            "Autoridad_de_Certificacion_Firmaprofesional_CIF_A62634068_2.crt"} <= set(folder)


@pytest.mark.corpus
def test_certifi_headers_on_the_newest_revision_follow_the_rules() -> None:
    name, data = newest(1)[0]
    store = parse(data, source=name)
    result = export_store(store, hashlib.sha256(data).hexdigest(),
                          ExportOptions(profile=Profile.CERTIFI, at=AT_MOMENT), "test")
    assert isinstance(result.output, bytes)
    labels = written_labels(data.decode("utf-8"))
    entries = certifi_entries(result.output)
    assert len(entries) > 100
    for values, value in entries:
        assert values["Subject"] == certifi_name(value, "subject")
        assert values["Issuer"] == certifi_name(value, "issuer")
        assert values["Label"] == python_escapes(" ".join(labels[value].split()))
        assert values["Serial"] == str(signed_serial(value))
        assert values["SHA256 Fingerprint"].replace(":", "") == hashlib.sha256(value).hexdigest()


@pytest.mark.corpus
@pytest.mark.parametrize("profile", list(Profile))
def test_each_profile_is_deterministic_on_the_newest_revisions(profile: Profile, tmp_path: Path) -> None:
    """In this process for the newest revisions, and in fresh interpreters with other hash seeds,
    time zones and locales for the newest one: the same bytes."""
    def in_process(data: bytes) -> list[tuple[str, bytes]]:
        store = parse(data)
        output = export_store(store, hashlib.sha256(data).hexdigest(),
                              ExportOptions(profile=profile, at=AT_MOMENT), "test").output
        return list(output.files) if isinstance(output, DirectoryExport) else [("", output)]

    for _, data in newest(4):
        assert in_process(data) == in_process(data)
    name, data = newest(1)[0]
    source = tmp_path / name
    source.write_bytes(data)
    results = []
    for seed, zone, locale in (("0", "UTC", "C"), ("12345", "Pacific/Kiritimati", "C.UTF-8")):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": zone, "LC_ALL": locale}
        subprocess.run([sys.executable, "-m", "certdata_tool", "export", str(source), "--profile",
                        profile.value, "--at", AT, "-o", str(out)], check=True, env=env, capture_output=True)
        results.append(sorted((p.name, p.read_bytes()) for p in out.iterdir()) if out.is_dir()
                       else out.read_bytes())
    assert results[0] == results[1]


def test_profile_outputs_carry_no_tool_format_header() -> None:
    """The profiles write the distributors' text, never the pem format's `#` provenance lines."""
    for profile in ("certifi", "curl"):
        assert b"Trust anchors exported by certdata-tool" not in export_bytes(profile, "--at", AT)


@pytest.mark.parametrize("profile", list(Profile))
def test_the_library_gives_the_command_s_bytes(profile: Profile, tmp_path: Path) -> None:
    store = certdata_tool.parse(INPUT.read_bytes())
    from_library = certdata_tool.export(store, profile=profile.value, at=AT)
    out = tmp_path / "out"
    assert run(str(INPUT), "--profile", profile.value, "--at", AT, "-o", str(out)).exit_code == 0
    if isinstance(from_library, dict):
        assert from_library == {p.name: p.read_bytes() for p in out.iterdir()}
    else:
        assert from_library == out.read_bytes()


def test_debian_a_third_root_with_one_name_replaces_the_second_s_file(tmp_path: Path) -> None:
    """certdata2pem.py checks only the plain name: the third "Same" becomes Same_2.crt again and
    overwrites the second's file; the tool does the same and says so in --explain."""
    from certdata_factory import FakeRoot, certdata_text
    from certdata_factory import certificate as make_certificate

    values = [make_certificate(f"Same Root {n}") for n in range(3)]
    source = tmp_path / "certdata.txt"
    source.write_text(certdata_text([FakeRoot("Same", value) for value in values]), encoding="utf-8")
    out = tmp_path / "mozilla"
    result = run(str(source), "--profile", "debian", "-o", str(out), "--explain")
    assert result.exit_code == 0
    folder = {p.name: p.read_text("ascii") for p in out.iterdir()}
    assert folder == certdata2pem(source.read_text("utf-8"))
    assert [block_der(folder[name]) for name in ("Same.crt", "Same_2.crt")] == [values[0], values[2]]
    assert "its file Same_2.crt is written again for the root at line" in result.stderr
