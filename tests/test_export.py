"""`certdata-tool export`: the selection policy, every format's bytes (goldens), determinism, safe output."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import TESTS_DIR, corpus_file
from conftest import assert_golden as check_golden_file
from typer.testing import CliRunner, Result

from certdata_tool import exporting as export
from certdata_tool.cli import app
from certdata_tool.exporting import DistrustAfterPolicy, ExportFormat, Purpose, Verdict
from certdata_tool.exporting.directory import MANIFEST, canonical_name, safe_name
from certdata_tool.model.roots import read_roots
from certdata_tool.moments import parse_moment
from certdata_tool.syntax.nssfile import parse

CASES = TESTS_DIR / "cases" / "export"
INPUT = CASES / "input.certdata.txt"
NEWEST = "certdata-2024-06-13-469e60ef4.txt"
UPDATE = os.environ.get("CERTDATA_UPDATE_GOLDEN") == "1"


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(app, ["export", *args], input=stdin)


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/cases/export/NAME (see conftest.assert_golden)."""
    check_golden_file(CASES / name, actual)

def pem_certificates(text: str, kind: str = "CERTIFICATE") -> list[bytes]:
    """The DER contents of every `kind` PEM block, in order."""
    pattern = rf"-----BEGIN {kind}-----\n(.*?)-----END {kind}-----"
    return [base64.b64decode(body) for body in re.findall(pattern, text, re.S)]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest().upper()


# -- an independent reader: what curl's mk-ca-bundle.pl and Debian's certdata2pem.py select ----------

_OBJECT = re.compile(r"^CKA_CLASS CK_OBJECT_CLASS (\S+)\n(.*?)(?=^CKA_CLASS |\Z)", re.S | re.M)
_OCTAL = r"MULTILINE_OCTAL\n((?:\\[0-7]{3})+(?:\n(?:\\[0-7]{3})+)*)\nEND"


def _octal(body: str, name: str) -> bytes | None:
    match = re.search(rf"^{name} {_OCTAL}", body, re.M)
    if match is None:
        return None
    return bytes(int(code, 8) for code in re.findall(r"\\([0-7]{3})", match.group(1)))


def independent_selection(text: str, trust_attribute: str = "CKA_TRUST_SERVER_AUTH") -> dict[str, str]:
    """SHA-256 -> label of every certificate whose trust object says CKT_NSS_TRUSTED_DELEGATOR for
    `trust_attribute`, read with nothing but regular expressions."""
    certificates: dict[bytes, tuple[str, bytes]] = {}
    trusted: set[bytes] = set()
    for kind, body in _OBJECT.findall(text.split("BEGINDATA", 1)[1]):
        if kind == "CKO_CERTIFICATE":
            value = _octal(body, "CKA_VALUE")
            label = re.search(r'^CKA_LABEL UTF8 "(.*)"$', body, re.M)
            assert value is not None and label is not None
            certificates[hashlib.sha1(value).digest()] = (label.group(1), value)
        elif kind == "CKO_NSS_TRUST":
            digest = _octal(body, "CKA_CERT_SHA1_HASH")
            if digest is not None and re.search(rf"^{trust_attribute} CK_TRUST CKT_NSS_TRUSTED_DELEGATOR$",
                                                body, re.M):
                trusted.add(digest)
    return {sha256(certificates[d][1]): certificates[d][0] for d in trusted if d in certificates}


# -- selection on the real file ----------------------------------------------------------------------

@pytest.mark.corpus
def test_default_pem_holds_exactly_the_roots_trusted_for_websites() -> None:
    text = corpus_file(NEWEST).decode("utf-8")
    expected = independent_selection(text)
    result = run("-", "-o", "-", stdin=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    exported = [sha256(der) for der in pem_certificates(result.stdout)]
    assert len(exported) == len(set(exported)) == len(expected) == 148
    assert set(exported) == set(expected)
    # Each certificate sits under its own label and fingerprint.
    for sha, label in expected.items():
        assert f"# {label}\n# SHA-256: {sha}\n" in result.stdout


@pytest.mark.corpus
@pytest.mark.parametrize(("purpose", "attribute"), [("email", "CKA_TRUST_EMAIL_PROTECTION"),
                                                    ("code-signing", "CKA_TRUST_CODE_SIGNING")])
def test_other_purposes_match_the_independent_reader(purpose: str, attribute: str) -> None:
    text = corpus_file(NEWEST).decode("utf-8")
    result = run("-", "-o", "-", "--purpose", purpose, stdin=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert {sha256(d) for d in pem_certificates(result.stdout)} == set(independent_selection(text, attribute))


@pytest.mark.corpus
def test_older_revisions_with_distrust_records_select_the_same_roots() -> None:
    from conftest import corpus_revisions

    revisions = corpus_revisions()
    for name, data in (revisions[0], revisions[len(revisions) // 2]):
        text = data.decode("utf-8")
        selection = export.select_roots(read_roots(parse(data)), export.make_policy())
        got = {d.root.sha256 for d in selection.kept if d.root is not None}
        assert got == set(independent_selection(text)), name


# -- the three policies at the GLOBALTRUST 2020 boundaries ---------------------------------------------

GLOBALTRUST = "GLOBALTRUST 2020"  # server distrust-after 2024-06-30 00:00:00 UTC in 469e60ef4


def _exported_labels(*options: str) -> tuple[int, bool]:
    result = run("-", "-o", "-", *options, stdin=corpus_file(NEWEST))
    assert result.exit_code == 0, result.output
    return len(pem_certificates(result.stdout)), f"# {GLOBALTRUST}\n" in result.stdout


@pytest.mark.corpus
@pytest.mark.parametrize(("options", "kept"), [
    ((), True),
    (("--at", "2024-06-29T23:59:59Z"), True),
    (("--at", "2024-06-30"), True),
    (("--at", "2030-01-01"), True),
    (("--distrust-after", "drop"), False),  # no --at: every dated root goes
    (("--distrust-after", "drop", "--at", "2024-06-29T23:59:59Z"), True),
    (("--distrust-after", "drop", "--at", "2024-06-30"), True),  # at the date itself: not yet passed
    (("--distrust-after", "drop", "--at", "2024-06-30T00:00:01Z"), False),
    (("--distrust-after", "drop", "--at", "2025-01-01"), False),
    (("--distrust-after", "grace", "--at", "2024-06-01"), True),
    (("--distrust-after", "grace", "--at", "2024-06-30"), True),
    (("--distrust-after", "grace", "--at", "2025-08-02"), True),  # exactly 398 days after
    (("--distrust-after", "grace", "--at", "2025-08-02T00:00:01Z"), False),
    (("--distrust-after", "grace", "--at", "2025-08-03"), False),
])
def test_distrust_after_policies_at_the_boundaries(options: tuple[str, ...], kept: bool) -> None:
    count, present = _exported_labels(*options)
    assert present is kept
    assert count == (148 if kept else 147)


def test_grace_and_drop_expired_need_at() -> None:
    for options, message in ((("--distrust-after", "grace"), "--distrust-after grace needs --at DATE"),
                             (("--drop-expired",), "--drop-expired needs --at DATE")):
        result = run(str(INPUT), "-o", "-", *options)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr.startswith(f"certdata-tool: error: {message}\nhint: ")


@pytest.mark.parametrize("text", ["yesterday", "2025-13-01", "2025-01-01T25:00:00Z", "01/02/2025"])
def test_bad_at_is_a_usage_error(text: str) -> None:
    result = run(str(INPUT), "-o", "-", "--at", text)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"certdata-tool: error: --at {text!r}: ")


def test_at_accepts_dates_and_timestamps() -> None:
    assert parse_moment("2025-01-01") == datetime(2025, 1, 1, tzinfo=UTC)
    assert parse_moment("2025-01-01T12:30:00Z") == datetime(2025, 1, 1, 12, 30, tzinfo=UTC)
    for other in ("2025-01-01T14:30:00+02:00", "2025-01-01 12:30"):  # the contract's two forms only
        with pytest.raises(ValueError, match=re.escape("expected 2024-06-30 or 2024-06-30T23:59:59Z")):
            parse_moment(other)


# -- the policy on the small self-made file ---------------------------------------------------------

def _selection(**options: object) -> export.Selection:
    store = parse(INPUT.read_bytes(), source="input.certdata.txt")
    return export.select_roots(read_roots(store), export.make_policy(**options))  # type: ignore[arg-type]


def _verdicts(selection: export.Selection) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(d.label, d.verdict.value, tuple(p.value for p in d.purposes)) for d in selection.decisions]


def test_default_selection_of_the_small_file() -> None:
    assert _verdicts(_selection()) == [
        ("Test Server Root", "kept", ("server",)),
        ("Test Email Root", "dropped", ()),
        ("Test Dated Root", "kept", ("server",)),
        ("Test Expired Root", "kept", ("server",)),  # no --drop-expired: nothing depends on the clock
        ("Explicitly Distrusted Test Root", "distrusted", ()),
        ("Test Root Ünïcode Çà", "kept", ("server",)),
        ("Test Twin/Root", "kept", ("server",)),
        ("Test Twin Root", "kept", ("server",)),
        ("Test Not An Anchor", "dropped", ()),
        ("Test Code Signing Root", "dropped", ()),
        ("Test Server Root", "dropped", ()),  # the same certificate again
        ("Distrust Test Serial Entry", "distrusted", ()),
    ]


def test_purposes_are_judged_one_by_one() -> None:
    every = list(Purpose)
    selection = _selection(purposes=every, distrust_after=DistrustAfterPolicy.DROP,
                           at=datetime(2024, 12, 1, tzinfo=UTC))
    by_label = {d.label: d for d in selection.decisions}
    dated = by_label["Test Dated Root"]
    # Server date 2024-06-30 has passed on 2024-12-01, the email date 2025-01-31 has not.
    assert dated.verdict is Verdict.KEPT
    assert dated.purposes == (Purpose.EMAIL,)
    assert dated.rejected == (Purpose.SERVER,)
    assert dated.dated == (Purpose.EMAIL,)
    assert by_label["Test Code Signing Root"].purposes == (Purpose.CODE_SIGNING,)
    assert by_label["Explicitly Distrusted Test Root"].rejected == tuple(Purpose)
    assert by_label["Explicitly Distrusted Test Root"].purposes == ()


def test_drop_expired_judges_expiry_at_the_given_moment() -> None:
    def expired_kept(at: datetime) -> bool:
        selection = _selection(drop_expired=True, at=at)
        return any(d.label == "Test Expired Root" for d in selection.kept)

    assert expired_kept(datetime(2020, 12, 31, 23, 59, 59, tzinfo=UTC))  # notAfter itself is still valid
    assert not expired_kept(datetime(2021, 1, 1, tzinfo=UTC))


def test_purposes_are_deduplicated_and_ordered() -> None:
    policy = export.make_policy([Purpose.CODE_SIGNING, Purpose.SERVER, Purpose.CODE_SIGNING])
    assert policy.purposes == (Purpose.SERVER, Purpose.CODE_SIGNING)
    assert policy.options() == "--purpose server --purpose code-signing --distrust-after keep"


# -- goldens -----------------------------------------------------------------------------------------

GOLDEN_RUNS = {
    "default": (),
    "all-purposes-grace": ("--purpose", "code-signing", "--purpose", "email", "--purpose", "server",
                           "--distrust-after", "grace", "--at", "2025-08-03", "--drop-expired"),
    "drop-no-at": ("--distrust-after", "drop"),
    "email-drop-at": ("--purpose", "email", "--distrust-after", "drop", "--at", "2024-12-01"),
}
SUFFIX = {ExportFormat.PEM: "pem", ExportFormat.OPENSSL: "openssl.pem", ExportFormat.P11_KIT: "p11-kit"}


@pytest.mark.parametrize("name", sorted(GOLDEN_RUNS))
def test_explain_golden(name: str) -> None:
    result = run(str(INPUT), "-o", "-", "--explain", *GOLDEN_RUNS[name])
    assert result.exit_code == 0, result.output
    assert_golden(f"explain-{name}.txt", result.stderr)


@pytest.mark.parametrize("fmt", list(SUFFIX), ids=lambda f: f.value)
@pytest.mark.parametrize("name", ["default", "all-purposes-grace"])
def test_format_golden(fmt: ExportFormat, name: str) -> None:
    result = run(str(INPUT), "-o", "-", "--format", fmt.value, *GOLDEN_RUNS[name])
    assert result.exit_code == 0, result.output
    assert_golden(f"{name}.{SUFFIX[fmt]}", result.stdout)


def test_directory_golden(tmp_path: Path) -> None:
    out = tmp_path / "roots"
    result = run(str(INPUT), "-o", str(out), "--format", "directory")
    assert result.exit_code == 0, result.output
    listing = []
    for entry in sorted(out.iterdir(), key=lambda p: p.name):
        if entry.is_symlink():
            listing.append(f"{entry.name} -> {os.readlink(entry)}\n")
        else:
            listing.append(f"{entry.name} ({sha256(entry.read_bytes())[:16]})\n")
    assert_golden("directory-listing.txt", "".join(listing))
    assert_golden("directory-manifest.txt", (out / MANIFEST).read_text("utf-8"))
    # Twin roots share a subject, so a subject hash with .0 and .1, and their names would clash.
    twins = [r for r in read_roots(parse(INPUT.read_bytes())).roots if r.label.startswith("Test Twin")]
    assert sorted(p.name for p in out.glob("Test_Twin_Root*.pem")) == sorted(
        f"Test_Twin_Root_{r.sha256[:8]}.pem" for r in twins)


def test_every_format_has_a_writer() -> None:
    """Each ExportFormat member renders (the directory one through render_directory)."""
    selection = _selection()
    for fmt in ExportFormat:
        provenance = export.Provenance("00" * 32, fmt, selection.policy)
        if fmt.is_directory:
            assert export.render_directory(selection, provenance).files
        else:
            assert export.render(selection, provenance)


# -- determinism, headers, provenance -------------------------------------------------------------------

@pytest.mark.parametrize("fmt", [f for f in ExportFormat if not f.is_directory], ids=lambda f: f.value)
def test_two_runs_give_the_same_bytes(fmt: ExportFormat, tmp_path: Path) -> None:
    outputs = []
    for attempt, order in enumerate((("server", "email"), ("email", "server"))):
        out = tmp_path / f"out{attempt}"
        options = [arg for purpose in order for arg in ("--purpose", purpose)]
        result = run(str(INPUT), "-o", str(out), "--format", fmt.value, *options)
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_directory_runs_give_the_same_files(tmp_path: Path) -> None:
    trees = []
    for attempt in range(2):
        out = tmp_path / f"dir{attempt}"
        assert run(str(INPUT), "-o", str(out), "--format", "directory").exit_code == 0
        trees.append({p.name: (os.readlink(p) if p.is_symlink() else p.read_bytes()) for p in out.iterdir()})
    assert trees[0] == trees[1]


def test_header_names_the_source_and_options_never_a_time() -> None:
    result = run(str(INPUT), "-o", "-", "--at", "2025-01-01")
    header = result.stdout.split("\n\n", 1)[0]
    assert f"# Source SHA-256: {sha256(INPUT.read_bytes())}\n" in header + "\n"
    assert ("# Options: --format pem --purpose server --distrust-after keep --at 2025-01-01T00:00:00Z"
            in header)
    assert "# At: 2025-01-01T00:00:00Z" in header
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert today not in result.stdout


def test_pem_notes_that_it_cannot_enforce_the_date() -> None:
    result = run(str(INPUT), "-o", "-")
    block = result.stdout.split("# Test Dated Root\n", 1)[1].split("-----BEGIN", 1)[0]
    dated = next(r for r in read_roots(parse(INPUT.read_bytes())).roots if r.label == "Test Dated Root")
    assert block.splitlines() == [
        f"# SHA-256: {sha256(dated.der)}",
        "# Trusted for: server",
        "# Server distrust after: 2024-06-30 00:00:00 UTC (NSS rejects certificates issued after it; "
        "PEM cannot carry the date, so it is not enforced)",
    ]


def test_distrusted_roots_are_never_trusted_in_any_format(tmp_path: Path) -> None:
    store = parse(INPUT.read_bytes())
    root = next(r for r in read_roots(store).roots if r.label == "Explicitly Distrusted Test Root")
    every = ("--purpose", "server", "--purpose", "email", "--purpose", "code-signing")
    pem = run(str(INPUT), "-o", "-", *every).stdout
    assert root.der not in pem_certificates(pem)
    assert "Explicitly Distrusted" not in pem
    java = tmp_path / "truststore.p12"
    assert run(str(INPUT), "-o", str(java), "--format", "java", *every).exit_code == 0
    assert root.der not in java.read_bytes()
    p11 = run(str(INPUT), "-o", "-", "--format", "p11-kit", *every).stdout
    section = p11.split("# Explicitly Distrusted Test Root\n", 1)[1].split("\n\n", 1)[0]
    assert "\nx-distrusted: true\n" in section
    assert "\ntrusted: true" not in section
    assert "x-certificate-extension" not in section
    openssl = run(str(INPUT), "-o", "-", "--format", "openssl", *every).stdout
    section = openssl.split("# Explicitly Distrusted Test Root\n", 1)[1]
    aux = pem_certificates(section, "TRUSTED CERTIFICATE")[0][len(root.der):]
    # X509_CERT_AUX with no trust list, all three uses rejected, and the label as alias.
    reject = bytes.fromhex("a01e" "06082b06010505070301" "06082b06010505070304" "06082b06010505070303")
    alias = b"\x0c\x1f" + b"Explicitly Distrusted Test Root"
    assert aux == b"\x30" + bytes([len(reject) + len(alias)]) + reject + alias


# -- names and hashes ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("label", "name"), [
    ("GLOBALTRUST 2020", "GLOBALTRUST_2020"),
    ("NetLock Arany (Class Gold) Főtanúsítvány", "NetLock_Arany_Class_Gold_Fotanusitvany"),
    ("Hellenic Academic and Research Institutions RootCA 2015",
     "Hellenic_Academic_and_Research_Institutions_RootCA_2015"),
    ("../../etc/passwd", "etc_passwd"),
    ("...", "root"),
    ("TÜBİTAK UEKAE Kök Sertifika Hizmet Sağlay\u0131c\u0131s\u0131 - Sürüm 3",
     "TUBITAK_UEKAE_Kok_Sertifika_Hizmet_Saglayicisi_-_Surum_3"),
    ("Certinomis - Autorité Racine", "Certinomis_-_Autorite_Racine"),
    ("Sonera Class2 CA ø ß", "Sonera_Class2_CA_o_ss"),
])
def test_safe_names(label: str, name: str) -> None:
    assert safe_name(label) == name


def test_canonical_name_lowercases_and_collapses_spaces() -> None:
    # Name: C=XX (PrintableString), O="A  B" (UTF8String), OU=" Web  PKI " (BMPString)
    rdns = [(b"\x06\x03\x55\x04\x06", b"\x13\x02XX"),
            (b"\x06\x03\x55\x04\x0a", b"\x0c\x04A  B"),
            (b"\x06\x03\x55\x04\x0b", b"\x1e\x14" + " Web  PKI ".encode("utf-16-be"))]
    body = b"".join(b"\x31" + bytes([len(s) + 2]) + b"\x30" + bytes([len(s)]) + s
                    for s in (oid + value for oid, value in rdns))
    name = b"\x30" + bytes([len(body)]) + body
    expected_values = [b"\x0c\x02xx", b"\x0c\x03a b", b"\x0c\x07web pki"]
    expected = b"".join(b"\x31" + bytes([len(s) + 2]) + b"\x30" + bytes([len(s)]) + s
                        for s in (oid + value for (oid, _), value in zip(rdns, expected_values, strict=True)))
    assert canonical_name(name) == expected


# -- safe output ---------------------------------------------------------------------------------------

def test_directory_refuses_a_folder_with_foreign_files(tmp_path: Path) -> None:
    out = tmp_path / "roots"
    out.mkdir()
    (out / "local.pem").write_text("mine")
    result = run(str(INPUT), "-o", str(out), "--format", "directory")
    assert result.exit_code == 2
    assert "not written by certdata-tool export" in result.stderr
    assert [p.name for p in out.iterdir()] == ["local.pem"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roots"]  # no temporary folder left


def test_directory_replaces_its_own_folder_whole(tmp_path: Path) -> None:
    out = tmp_path / "roots"
    assert run(str(INPUT), "-o", str(out), "--format", "directory").exit_code == 0
    assert (out / "Test_Server_Root.pem").exists()
    assert run(str(INPUT), "-o", str(out), "--format", "directory", "--purpose", "email").exit_code == 0
    assert sorted(p.name for p in out.glob("*.pem")) == ["Test_Dated_Root.pem", "Test_Email_Root.pem"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roots"]


def test_directory_refuses_our_folder_once_someone_added_a_file(tmp_path: Path) -> None:
    out = tmp_path / "roots"
    assert run(str(INPUT), "-o", str(out), "--format", "directory").exit_code == 0
    (out / "extra.pem").write_text("someone else's")
    before = sorted(p.name for p in out.iterdir())
    result = run(str(INPUT), "-o", str(out), "--format", "directory", "--purpose", "email")
    assert result.exit_code == 2
    assert "files certdata-tool did not write (extra.pem)" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == before


def test_directory_into_an_empty_folder_and_not_to_stdout(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert run(str(INPUT), "-o", str(out), "--format", "directory").exit_code == 0
    assert (out / MANIFEST).is_file()
    result = run(str(INPUT), "-o", "-", "--format", "directory")
    assert result.exit_code == 2
    assert "give -o FOLDER" in result.stderr


def test_directory_leaves_nothing_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_symlink(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "symlink", broken_symlink)
    result = run(str(INPUT), "-o", str(tmp_path / "roots"), "--format", "directory")
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_no_output_file_on_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "bundle.pem"
    assert run(str(INPUT), "-o", str(out), "--distrust-after", "grace").exit_code == 2
    assert run(str(tmp_path / "missing.txt"), "-o", str(out)).exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_java_to_standard_output_is_binary() -> None:
    result = CliRunner().invoke(app, ["export", str(INPUT), "-o", "-", "--format", "java"])
    assert result.exit_code == 0
    assert result.stdout_bytes[:2] == b"\x30\x82"


def test_explain_goes_to_standard_error_even_with_a_file(tmp_path: Path) -> None:
    out = tmp_path / "bundle.pem"
    result = run(str(INPUT), "-o", str(out), "--explain")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == ("summary: 6 kept, 4 dropped, 2 distrusted "
                                              "(--purpose server --distrust-after keep)")


def test_pem_export_imports_nothing_heavy(tmp_path: Path) -> None:
    """Start-up time matters (the 1.3 MB file must export in well under a second): the default
    export must not load X.509 or YAML libraries."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from certdata_tool.cli import main\n"
        f"sys.argv = ['certdata-tool', 'export', {str(INPUT)!r}, '-o', {str(tmp_path / 'b.pem')!r}]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert done.code in (0, None), done.code\n"
        "print(sorted(m for m in ('cryptography', 'asn1crypto', 'yaml', 'ctypes') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"


def test_problems_are_warned_and_explained() -> None:
    text = INPUT.read_text("utf-8")
    start = text.index('\n# Trust for "Test Server Root"')
    end = text.index('\n#\n# Certificate "Test Email Root"')
    result = run("-", "-o", "-", "--explain", stdin=(text[:start] + text[end:]).encode("utf-8"))
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert lines[0].startswith("certdata-tool: warning: <stdin>:16: Test Server Root: no trust object")
    assert "dropped    Test Server Root (line 16): server: no trust value (not a trust anchor)" in lines
    assert any(line.startswith("kept       Test Server Root (line 9") for line in lines)


@pytest.mark.corpus
def test_every_format_writes_sampled_revisions_of_the_corpus() -> None:
    """Old files have explicit distrust records, duplicate labels, T61String names and v1
    certificates; every writer must take them."""
    from conftest import corpus_revisions

    revisions = corpus_revisions()
    policy = export.make_policy(list(Purpose))
    for name, data in revisions[::20]:
        selection = export.select_roots(read_roots(parse(data)), policy)
        assert len(selection.kept) > 100, name
        for fmt in ExportFormat:
            provenance = export.Provenance(sha256(data), fmt, policy)
            if fmt.is_directory:
                folder = export.render_directory(selection, provenance)
                names = [n for n, _ in folder.files]
                assert len(names) == len({n.casefold() for n in names}) == len(selection.kept) + 1, name
                assert len(folder.links) == len(selection.kept), name
            else:
                assert export.render(selection, provenance), name
