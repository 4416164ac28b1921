"""`certdata-tool spec add` for a whole bug: several files, PEM bundles and standard input, one `add`
per certificate, trust by purpose, non-CA certificates refused, and a spec that applies."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, TESTS_DIR, assert_golden
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from typer.testing import CliRunner, Result

from certdata_tool.adding.draft import CertificateFile, draft_add_spec, trust_item
from certdata_tool.cli import app
from certdata_tool.cli.files import spec_file_reader
from certdata_tool.errors import CertdataError, SpecError
from certdata_tool.model.roots import DistrustPurpose, TrustField, TrustLevel, roots
from certdata_tool.spec.changes import AddChange
from certdata_tool.spec.load import Spec, load_spec
from certdata_tool.spec.write import BUG_PLACEHOLDER
from certdata_tool.syntax.nssfile import parse

GOLDEN = TESTS_DIR / "cases" / "spec-add"
SAMPLE = PROJECT_ROOT / "samples" / "certdata.txt"
TD, MVT, NT = TrustLevel.TRUSTED_DELEGATOR, TrustLevel.MUST_VERIFY_TRUST, TrustLevel.NOT_TRUSTED
AT = "2025-01-01"  # every certificate here is valid then: no warning depends on the clock


def certificate(common_name: str | None, *, organization: str | None = None, ca: bool | None = True,
                issuer: str | None = None, years: tuple[int, int] = (2024, 2044)) -> bytes:
    """A P-256 certificate, the same bytes every run (key derived from the name, RFC 6979
    signatures); `ca` None leaves basicConstraints out; `issuer` signs it with that name's key."""

    def key(name: str) -> ec.EllipticCurvePrivateKey:
        secret = int.from_bytes(hashlib.sha256(name.encode()).digest()) % (2**255) + 1
        return ec.derive_private_key(secret, ec.SECP256R1())

    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "XX")]
    if organization is not None:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    if common_name is not None:
        attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    subject = x509.Name(attributes)
    own = common_name or organization or "x"
    issuer_name = subject if issuer is None else x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)])
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name)
               .public_key(key(own).public_key())
               .serial_number(int(hashlib.sha1(own.encode()).hexdigest()[:8], 16))
               .not_valid_before(datetime(years[0], 1, 1, tzinfo=UTC))
               .not_valid_after(datetime(years[1], 1, 1, tzinfo=UTC)))
    if ca is not None:
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    signed = builder.sign(key(issuer or own), hashes.SHA256(), ecdsa_deterministic=True)
    return signed.public_bytes(Encoding.DER)


def pem(*ders: bytes) -> bytes:
    return b"".join(x509.load_der_x509_certificate(der).public_bytes(Encoding.PEM) for der in ders)


ALPHA = certificate("Example Alpha Root CA")
BETA = certificate("Example Beta Root CA")
GAMMA = certificate(None, organization="Example Gamma Trust")  # no CN: the label is the O
LEAF = certificate("www.example.test", ca=False, issuer="Example Beta Root CA")
NO_CONSTRAINTS = certificate("Example Old Root", ca=None)


def second(first: bytes) -> int:
    """The line of the second BEGIN in a bundle that starts with `first`."""
    return pem(first).count(b"\n") + 1



def cli(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder: alpha.pem (one certificate), bundle.pem (Beta and Gamma), the sample store."""
    (tmp_path / "alpha.pem").write_bytes(pem(ALPHA))
    (tmp_path / "bundle.pem").write_bytes(pem(BETA, GAMMA))
    (tmp_path / "certdata.txt").write_bytes(SAMPLE.read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def load(text: str, folder: Path) -> Spec:
    """The spec as apply reads it from `folder`, certificate files included."""
    return load_spec(text, source="add.yaml", base_dir=folder, read_file=spec_file_reader(folder))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def test_a_file_and_a_bundle_give_one_add_per_certificate(folder: Path) -> None:
    result = cli("spec", "add", "alpha.pem", "bundle.pem", "--at", AT)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert_golden(GOLDEN / "file-and-bundle.yaml", result.stdout)
    spec = load(result.stdout, folder)  # loads as written
    assert [(change.label, change.certificate_ref) for change in spec.changes
            if isinstance(change, AddChange)] == [
        ("Example Alpha Root CA", "alpha.pem"),  # a file of one certificate is named
        ("Example Beta Root CA", None),  # a bundle's certificates are inline: a name cannot pick one
        ("Example Gamma Trust", None),
    ]
    assert spec.title == "Add Example Alpha Root CA, Example Beta Root CA and Example Gamma Trust"
    assert spec.bug is None
    assert BUG_PLACEHOLDER + "\n" in result.stdout


def test_the_filled_in_spec_applies_and_adds_the_roots_with_the_trust_asked(folder: Path) -> None:
    (folder / "specs").mkdir()
    written = cli("spec", "add", "alpha.pem", "bundle.pem", "--trust", "server,email", "-o", "specs/add.yaml",
                  "--at", AT)
    assert (written.exit_code, written.stdout, written.stderr) == (0, "", ""), written.output
    path = folder / "specs" / "add.yaml"
    text = path.read_text(encoding="utf-8")
    assert '      certificate: "../alpha.pem"\n' in text  # relative to the spec's folder
    filled = (text.replace(BUG_PLACEHOLDER, "bug: 1234567")
              .replace('title: "Add Example Alpha', 'title: "Bug 1234567: add Example Alpha'))
    assert filled != text
    path.write_text(filled, encoding="utf-8")
    applied = cli("apply", "certdata.txt", "specs/add.yaml", "-o", "new.txt", "--report", "text")
    assert applied.exit_code == 0, applied.output
    assert applied.stdout.startswith("Bug 1234567: add Example Alpha Root CA, Example Beta Root CA and "
                                     "Example Gamma Trust\nBug 1234567: https://bugzilla.mozilla.org/")
    before = roots(parse(SAMPLE.read_bytes()))
    after = roots(parse((folder / "new.txt").read_bytes()))
    added = after[len(before):]
    assert [(root.label, root.sha256) for root in added] == [
        ("Example Alpha Root CA", hashlib.sha256(ALPHA).hexdigest().upper()),
        ("Example Beta Root CA", hashlib.sha256(BETA).hexdigest().upper()),
        ("Example Gamma Trust", hashlib.sha256(GAMMA).hexdigest().upper()),
    ]
    for root in added:
        assert (root.trust.server_auth, root.trust.email_protection, root.trust.code_signing) == (TD, TD, MVT)
        assert root.problems == ()
    assert after[: len(before)] == before
    assert cli("apply", "new.txt", "specs/add.yaml", "--check").exit_code == 0  # applied: nothing to do


def test_an_uncommented_placeholder_does_not_load(folder: Path) -> None:
    text = cli("spec", "add", "alpha.pem", "--at", AT).stdout
    with pytest.raises(SpecError, match="bug: expected a Mozilla bug number or a URL, found a string"):
        load_spec(text.replace(BUG_PLACEHOLDER, BUG_PLACEHOLDER.removeprefix("# ")), source="add.yaml")


def test_bug_title_trust_and_dates(folder: Path) -> None:
    result = cli("spec", "add", "alpha.pem", "--label", "Alpha", "--trust", "email", "-t", "code-signing",
                 "--bug", "1234567", "--title", "Add Alpha", "--distrust-after", "server=2030-06-30",
                 "--at", AT)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert_golden(GOLDEN / "options.yaml", result.stdout)
    assert "NNNNNNN" not in result.stdout
    change = load(result.stdout, folder).changes[0]
    assert isinstance(change, AddChange)
    assert change.trust == {TrustField.SERVER_AUTH: MVT, TrustField.EMAIL_PROTECTION: TD,
                            TrustField.CODE_SIGNING: TD}
    # A bare date on the command line is 00:00:00 UTC, and the spec says so in full.
    assert "        server: 2030-06-30T00:00:00Z\n        email: null\n" in result.stdout
    assert change.distrust_after == {DistrustPurpose.SERVER: datetime(2030, 6, 30, tzinfo=UTC),
                                     DistrustPurpose.EMAIL: None}


@pytest.mark.parametrize(("trust", "levels"), [
    ((), (TD, MVT, MVT)),  # the default: websites
    (("--trust", "server,email,code-signing"), (TD, TD, TD)),
    (("--trust", "email"), (MVT, TD, MVT)),
    (("--trust", "server_auth=trusted_delegator,code_signing=not_trusted"), (TD, MVT, NT)),
    (("--trust", "server", "--trust", "email_protection"), (TD, TD, MVT)),
])
def test_trust_by_purpose(folder: Path, trust: tuple[str, ...], levels: tuple[TrustLevel, ...]) -> None:
    result = cli("spec", "add", "alpha.pem", *trust, "--at", AT)
    assert result.exit_code == 0, result.output
    change = load(result.stdout, folder).changes[0]
    assert isinstance(change, AddChange)
    assert tuple(change.trust[field] for field in TrustField) == levels


def test_standard_input_takes_a_bundle_and_writes_it_inline(folder: Path) -> None:
    result = cli("spec", "add", "-", "alpha.pem", "--at", AT, stdin=pem(BETA, GAMMA))
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    spec = load(result.stdout, folder)
    assert [(change.label, change.certificate_ref) for change in spec.changes
            if isinstance(change, AddChange)] == [
        ("Example Beta Root CA", None), ("Example Gamma Trust", None), ("Example Alpha Root CA", "alpha.pem")]


def test_der_and_inline(folder: Path) -> None:
    (folder / "alpha.der").write_bytes(ALPHA)
    result = cli("spec", "add", "alpha.der", "--inline", "--at", AT)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("-----BEGIN CERTIFICATE-----") == 1
    change = load_spec(result.stdout, source="add.yaml").changes[0]
    assert isinstance(change, AddChange) and change.der == ALPHA


def test_a_certificate_given_twice_is_added_once(folder: Path) -> None:
    (folder / "again.pem").write_bytes(pem(GAMMA, ALPHA))
    result = cli("spec", "add", "alpha.pem", "again.pem", "--at", AT)
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"certdata-tool: warning: again.pem:{second(GAMMA)}: certificate 2 of 2: the "
                             "same certificate as alpha.pem; the spec adds it once\n")
    labels = [change.label for change in load(result.stdout, folder).changes
              if isinstance(change, AddChange)]
    assert labels == ["Example Alpha Root CA", "Example Gamma Trust"]


def test_two_roots_with_one_label_are_warned_about(folder: Path) -> None:
    (folder / "twins.pem").write_bytes(pem(certificate("Twin CA", organization="One"),
                                           certificate("Twin CA", organization="Two")))
    result = cli("spec", "add", "twins.pem", "--at", AT)
    assert result.exit_code == 0, result.output
    assert result.stderr == ('certdata-tool: warning: the label "Twin CA" is taken by more than one '
                             "certificate; give each root its own label in the spec\n")


def test_warnings_about_a_certificate_name_it(folder: Path) -> None:
    (folder / "late.pem").write_bytes(pem(BETA, ALPHA))
    result = cli("spec", "add", "late.pem", "--at", "2050-01-01")
    assert result.exit_code == 0, result.output
    assert result.stderr == "".join(
        f"certdata-tool: warning: late.pem:{line}: certificate {number} of 2: expired: not valid after "
        "2044-01-01 00:00:00 UTC (checked at 2050-01-01 00:00:00 UTC)\n"
        for number, line in ((1, 1), (2, second(BETA))))


def test_a_trust_that_names_no_purpose_is_refused(folder: Path) -> None:
    result = cli("spec", "add", "alpha.pem", "--trust", "", "--at", AT)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("certdata-tool: error: --trust names no purpose; expected server, email or "
                             "code-signing (several: server,email)\n")


def test_without_at_validity_is_not_judged(folder: Path) -> None:
    """No output depends on the clock unless --at asks: a root that expired in 2020 gets no warning."""
    (folder / "old.pem").write_bytes(pem(certificate("Example Old Root CA", years=(2000, 2020))))
    undated = cli("spec", "add", "old.pem")
    assert undated.exit_code == 0 and undated.stderr == ""
    dated = cli("spec", "add", "old.pem", "--at", AT)
    assert "expired: not valid after 2020-01-01 00:00:00 UTC" in dated.stderr
    assert undated.stdout == dated.stdout


@pytest.mark.parametrize(("files", "args", "message"), [
    ({"leaf.pem": pem(LEAF)}, ("leaf.pem",),
     "leaf.pem: not a CA certificate (CN=www.example.test,C=XX): its basicConstraints says cA is false; "
     "a root must be a CA"),
    ({"chain.pem": pem(BETA, LEAF)}, ("alpha.pem", "chain.pem"),
     f"chain.pem:{second(BETA)}: certificate 2 of 2: not a CA certificate (CN=www.example.test,C=XX): its "
     "basicConstraints says cA is false; a root must be a CA"),
    ({"old.pem": pem(NO_CONSTRAINTS)}, ("old.pem",),
     "old.pem: not a CA certificate (CN=Example Old Root,C=XX): it has no basicConstraints extension; a root "
     "must be a CA"),
    ({}, ("alpha.pem", "bundle.pem", "--label", "One"),
     "one label given for 3 certificates: a label names one root\n"
     "hint: without a label each root takes its subject's CN (else OU, else O)"),
    ({}, ("bundle.pem", "--label", "One"),
     "one label given for 2 certificates: a label names one root\n"
     "hint: without a label each root takes its subject's CN (else OU, else O)"),
    ({}, ("alpha.pem", "bundle.pem", "--certificate-ref", "x.pem"),
     "--certificate-ref names one certificate file, but 2 were given"),
    ({}, ("-", "-"), "- (standard input) can be given once only"),
    ({}, ("alpha.pem", "--trust", "web"),
     "--trust 'web': expected server, email or code-signing (or USAGE=VALUE with USAGE one of server_auth, "
     "email_protection, code_signing)"),
    ({}, ("alpha.pem", "--trust", "server=yes"),
     "--trust 'server=yes': unknown trust value 'yes' (expected one of trusted_delegator, must_verify_trust, "
     "not_trusted, trusted, valid_delegator, trust_unknown)"),
    ({}, ("alpha.pem", "--distrust-after", "tls=2025-01-01"),
     "--distrust-after 'tls=2025-01-01': expected server=DATE or email=DATE"),
    ({}, ("alpha.pem", "--distrust-after", "server=2050-01-01"),
     "--distrust-after 'server=2050-01-01': 2050-01-01 is outside 1950-2049, which a UTCTime distrust-after "
     "value cannot express"),
    ({}, ("alpha.pem", "--distrust-after", "server=June 30"),
     "--distrust-after 'server=June 30': 'June 30': expected 2024-06-30 or 2024-06-30T23:59:59Z"),
    ({}, ("alpha.pem", "--bug", "soon"), "bug must be a Mozilla bug number or a URL, not 'soon'"),
    ({}, ("alpha.pem", "--label", " Lead"),
     "alpha.pem: the new label ' Lead' has leading or trailing whitespace"),
    ({}, ("alpha.pem", "--at", "soon"), "--at 'soon': expected 2024-06-30 or 2024-06-30T23:59:59Z"),
    ({}, ("alpha.pem", "--inline", "--certificate-ref", "x.pem"),
     "--inline and --certificate-ref cannot be used together"),
    ({}, ("alpha.pem", "-o", "nowhere/add.yaml"),
     "nowhere/add.yaml: cannot write: folder 'nowhere' does not exist"),
    ({}, ("missing.pem",), "missing.pem: no such file"),
    ({"empty.pem": b""}, ("empty.pem",),
     "empty.pem is not a certificate: expected PEM (-----BEGIN CERTIFICATE-----) or DER (a file starting "
     "with a SEQUENCE)"),
    ({"broken.pem": pem(ALPHA) + b"-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n"},
     ("broken.pem",),
     f"broken.pem:{second(ALPHA)}: certificate 2 of 2 is not a certificate: its PEM block is not valid "
     "base64"),
])
def test_refusals_write_nothing(folder: Path, files: dict[str, bytes], args: tuple[str, ...],
                                message: str) -> None:
    for name, data in files.items():
        (folder / name).write_bytes(data)
    before = snapshot(folder)
    result = cli("spec", "add", "-o", "add.yaml", *args, stdin=b"")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"certdata-tool: error: {message}\n")
    assert snapshot(folder) == before


def test_the_library_use_case() -> None:
    draft = draft_add_spec([CertificateFile("alpha.pem", pem(ALPHA), "roots/alpha.pem"),
                            CertificateFile("bundle.pem", pem(BETA, GAMMA), "roots/bundle.pem")],
                           trust={TrustField.EMAIL_PROTECTION: TD}, bug=1234567)
    assert [(root.name, root.label) for root in draft.roots] == [
        ("alpha.pem", "Example Alpha Root CA"), ("bundle.pem:1: certificate 1 of 2", "Example Beta Root CA"),
        (f"bundle.pem:{second(BETA)}: certificate 2 of 2", "Example Gamma Trust")]
    assert draft.warnings == ()
    spec = load_spec(draft.text, source="s.yaml", read_file=lambda name, limit: pem(ALPHA))
    assert spec.bug == 1234567
    levels = [change.trust[TrustField.SERVER_AUTH] for change in spec.changes
              if isinstance(change, AddChange)]
    assert levels == [MVT, MVT, MVT]
    with pytest.raises(CertdataError, match="one label given for 2 certificates"):
        draft_add_spec([CertificateFile("bundle.pem", pem(BETA, GAMMA))], label="X")
    assert trust_item("code-signing") == (TrustField.CODE_SIGNING, TD)
    assert trust_item("email=not_trusted") == (TrustField.EMAIL_PROTECTION, NT)
    with pytest.raises(ValueError, match="expected server, email or code-signing"):
        trust_item("websites")


def test_the_readme_example_adds_the_sample_root_as_the_golden_diff_shows(folder: Path) -> None:
    """samples/roots/new-root.pem with -o in another folder: the reference is relative to the spec,
    and apply adds the root as tests/cases/apply/samples/add.diff shows (the README's example)."""
    from test_engine import diff_text

    (folder / "roots").mkdir()
    sample_root = PROJECT_ROOT / "samples" / "roots" / "new-root.pem"
    (folder / "roots" / "new-root.pem").write_bytes(sample_root.read_bytes())
    (folder / "specs").mkdir()
    result = cli("spec", "add", "roots/new-root.pem", "-o", "specs/add.yaml", "--bug", "1234572", "--at", AT)
    assert (result.exit_code, result.stdout) == (0, ""), result.output
    assert result.stderr == ("certdata-tool: warning: roots/new-root.pem: Ed25519 key: Mozilla's policy and "
                             "NSS's root store accept only RSA and ECDSA (P-256, P-384) keys\n")
    assert '      certificate: "../roots/new-root.pem"\n' in (folder / "specs" / "add.yaml").read_text()
    applied = cli("apply", "certdata.txt", "specs/add.yaml", "-o", "out.txt", "--report", "none")
    assert applied.exit_code == 0, applied.output
    after = (folder / "out.txt").read_text(encoding="utf-8")
    assert_golden(TESTS_DIR / "cases" / "apply" / "samples" / "add.diff",
                  diff_text(SAMPLE.read_text(encoding="utf-8"), after))


def test_spec_help_lists_add() -> None:
    assert "add" in cli("spec", "--help").stdout
    usage = cli("spec", "add", "--help")
    assert usage.exit_code == 0
    assert "CERT..." in usage.stdout


# -- real additions: NSS's commits since June 2020 --------------------------------------------------

# Commits whose added roots NSS labelled otherwise than their subject's CN (else OU, else O):
# `spec add` gives the subject's name, and a maintainer corrects it from the bug.
LABELLED_BY_NSS = {
    "44638db4e": [("certSIGN Root CA G2", "certSIGN ROOT CA G2")],  # NSS's case; the OU's capitals
}


@pytest.mark.corpus
def test_spec_add_of_a_commits_roots_gives_nss_file() -> None:
    """For each NSS commit since 2020-06 that only appends roots, all with the same trust and no
    dates: their certificates as one PEM bundle, through `spec add`'s use case and `apply`, give
    NSS's file byte for byte, up to the labels NSS chose by hand."""
    from conftest import corpus_pairs

    from certdata_tool.applying.editor import apply
    from certdata_tool.diff import compare
    from certdata_tool.syntax.nssfile import dump
    from certdata_tool.x509.checks import pem_lines

    exact, labelled = [], {}
    for parent_name, parent_bytes, name, data in corpus_pairs():
        if name < "2020-06":
            continue
        old, new = parse(parent_bytes, source=parent_name), parse(data, source=name)
        diff = compare(old, new)
        trusts = {tuple(root.trust.level(field) for field in TrustField) for root in diff.added}
        plain = all(root.distrust_after.server is None and root.distrust_after.email is None
                    and not root.trust.step_up_approved for root in diff.added)
        last = roots(new)[-len(diff.added):] if diff.added else ()
        if not diff.added or diff.removed or diff.modified or len(trusts) != 1 or not plain \
                or tuple(last) != diff.added:
            continue  # not a plain append of roots alike: outside what one spec add expresses
        short = name.removesuffix(".txt").split("_")[1]
        bundle = "".join("\n".join(pem_lines(root.der)) + "\n" for root in diff.added).encode()
        levels = dict(zip(TrustField, trusts.pop(), strict=True))
        draft = draft_add_spec([CertificateFile("bundle.pem", bundle)],
                               trust={field: level for field, level in levels.items() if level is not None})
        assert draft.warnings == (), short
        ours = dump(apply(old, load_spec(draft.text, source=f"{short}.yaml")))
        # 037bef7bd: NSS left its file without the final newline (FORMAT.md §12 Q8), apply ends it.
        if ours == dump(new) or (short == "037bef7bd" and ours == dump(new) + "\n"):
            exact.append(short)
            continue
        differing = [(theirs.label, mine.label) for theirs, mine in zip(diff.added, draft.roots, strict=True)
                     if theirs.label != mine.label]
        assert differing, f"{short}: the replay differs from NSS's file, and not by a label"
        labelled[short] = differing
        relabelled = ours
        for theirs_label, mine_label in differing:
            relabelled = relabelled.replace(f'"{mine_label}"', f'"{theirs_label}"')
        assert relabelled == dump(new), short
    print(f"\nspec add reproduces {len(exact)} NSS commits byte for byte, {len(labelled)} up to a label")
    assert labelled == LABELLED_BY_NSS
    assert len(exact) == 27


def test_adding_roots_the_file_holds_with_other_trust_is_refused_at_once(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample's own roots as one bundle, with other trust: the first add is the error. Each
    add already present is judged once, by the real run: trial runs of the rest of the spec (to see
    whether a later change explains the difference) no longer judge the adds they pass, which made
    trials of trials, 2 to the power of the number of such adds."""
    from certdata_tool.applying import editor as editor_module
    from certdata_tool.applying.editor import apply
    from certdata_tool.errors import ChangeError
    from certdata_tool.x509.checks import pem_lines

    store = parse(SAMPLE.read_bytes(), source="certdata.txt")
    present = [root for root in roots(store) if root.facts().ca]
    bundle = "".join("\n".join(pem_lines(root.der)) + "\n" for root in present).encode()
    draft = draft_add_spec([CertificateFile("bundle.pem", bundle)], trust={TrustField.CODE_SIGNING: TD})
    spec = load_spec(draft.text, source="add.yaml")
    editors = 0
    original = editor_module.Editor.__init__

    def counting(self: editor_module.Editor, *args: object, **kwargs: object) -> None:
        nonlocal editors
        editors += 1
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(editor_module.Editor, "__init__", counting)
    first = r"^add\.yaml:12: changes\[0\]\.add\.certificate: the certificate .* is already in the file as "
    with pytest.raises(ChangeError, match=first + re.escape(repr(present[0].label))):
        apply(store, spec)
    assert len(present) >= 5
    assert editors <= 3  # the run itself and the two trials of the first add (was 2**len(present) and more)
