"""`add` changes: loading, the blocks the engine writes (golden diffs and an independent oracle),
idempotence, refusals and warnings (`certdata-tool spec add` is in test_spec_add.py)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from conftest import PROJECT_ROOT, TESTS_DIR
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from test_engine import assert_golden, diff_text

from certdata_tool.applying.editor import apply, apply_with_warnings
from certdata_tool.cli.files import spec_file_reader
from certdata_tool.errors import ChangeError, SpecError
from certdata_tool.model.roots import DistrustPurpose, TrustField, TrustLevel, roots
from certdata_tool.model.selectors import Selector
from certdata_tool.moments import read_moment
from certdata_tool.spec.load import AddChange, load_spec
from certdata_tool.syntax.nssfile import dump, parse

SAMPLES = PROJECT_ROOT / "samples"
SAMPLE = SAMPLES / "certdata.txt"
NEW_ROOT = SAMPLES / "roots" / "new-root.pem"
GOLDEN = TESTS_DIR / "cases" / "apply" / "add"
NEW_ROOT_SHA256 = "0EB91FC80DDA67F90E1FB1F66A879AA4AB63D71E5089D3AED8691A2E8A1453F2"
EMAIL_ROOT_SHA256 = "879522D877EEEA2EAED4F9131006C4E652A6F282AF878E07CAAAF2C826AC7BF3"
WEBSITES_2_SHA1 = roots(parse(SAMPLE.read_bytes()))[-1].sha1.lower()  # the last root of the sample
ED25519 = "Ed25519 key: Mozilla's policy and NSS's root store accept only RSA and ECDSA (P-256, P-384) keys"
MVT, TD, NT = TrustLevel.MUST_VERIFY_TRUST, TrustLevel.TRUSTED_DELEGATOR, TrustLevel.NOT_TRUSTED


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def new_root_der() -> bytes:
    return x509.load_pem_x509_certificate(NEW_ROOT.read_bytes()).public_bytes(Encoding.DER)


def inline_pem(indent: int = 6) -> str:
    """`certificate: |` with the new root's PEM text, at `indent` spaces."""
    lines = NEW_ROOT.read_text(encoding="ascii").splitlines()
    return " " * indent + "certificate: |\n" + "".join(" " * (indent + 2) + line + "\n" for line in lines)


def add_spec(body: str, certificate: str = "") -> str:
    """A spec with one add of the new root: `body` holds the keys after `certificate`."""
    return "version: 1\nchanges:\n  - add:\n" + (certificate or inline_pem()) + body


def run(text: str, *spec_texts: str, at: datetime | None = None) -> tuple[str, tuple[str, ...]]:
    specs = [
        load_spec(
            spec_text, source=f"spec{number}.yaml",
            base_dir=SAMPLES,
            read_file=spec_file_reader(SAMPLES))
        for number, spec_text in enumerate(spec_texts)
    ]
    store, warnings = apply_with_warnings(parse(text, source="in.txt"), specs, at=at)
    return dump(store), warnings


# -- the oracle: samples/make_samples.py writes root blocks by its own code -----------------------


def make_samples() -> ModuleType:
    name = "make_samples_for_tests"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, SAMPLES / "make_samples.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def oracle_block(
    label: str, server: str, email: str, code: str, distrust_after: datetime | None = None
) -> str:
    """The text the sample generator writes for the new root (leading empty line included)."""
    module = make_samples()
    root = module.SampleRoot(
        label=label,
        subject=(),
        serial=0,
        not_before=datetime(2024, 1, 15, tzinfo=UTC),
        not_after=datetime(2049, 1, 14, tzinfo=UTC),
        server=f"CKT_NSS_{server}",
        email=f"CKT_NSS_{email}",
        code=f"CKT_NSS_{code}",
        distrust_after=distrust_after,
    )
    return "\n".join(module.root_block(root, new_root_der())) + "\n"


# -- golden cases ------------------------------------------------------------------------------------


# Each case is a folder of tests/cases/apply/add/: spec.yaml (`{new-root-pem}` stands for the new
# root's PEM text as `certificate: |`), expected.diff, and case.yaml when the case needs one: `input`
# (how the sample is changed first), `oracle` (the trust the sample generator writes the expected
# block with) and `oracle_after` (the label the block follows; absent: the end of the file).


@dataclass(frozen=True)
class Case:
    name: str
    spec: str
    make_input: Callable[[str], str] | None = None  # None: the sample as it is
    # (label, server, email, code, distrust date for both) when the sample generator can write
    # the expected block, which is then appended to (or inserted into) the input.
    oracle: tuple[str, str, str, str, datetime | None] | None = None
    after_label: str | None = None  # where the oracle block goes; None: at the end


def without_final_newline(text: str) -> str:
    return text.removesuffix("\n")


def with_empty_last_line(text: str) -> str:
    return text + "\n"  # as NSS bb4242fc1 left it (FORMAT.md §12, Q8)


def with_comment_after_the_last_object(text: str) -> str:
    return text + "\n# a note left at the end of the file\n"


INPUTS: dict[str, Callable[[str], str]] = {
    "without-final-newline": without_final_newline,
    "with-empty-last-line": with_empty_last_line,
    "with-comment-after-the-last-object": with_comment_after_the_last_object,
}


def load_case(folder: Path) -> Case:
    spec = (folder / "spec.yaml").read_text(encoding="utf-8").replace("      {new-root-pem}\n", inline_pem())
    meta_file = folder / "case.yaml"
    meta = yaml.safe_load(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
    oracle = None
    if "oracle" in meta:
        found = meta["oracle"]
        date = found.get("distrust_after")
        oracle = (found["label"], found["server_auth"], found["email_protection"], found["code_signing"],
                  None if date is None else read_moment(date))
    return Case(folder.name, spec, INPUTS[meta["input"]] if "input" in meta else None, oracle,
                meta.get("oracle_after"))


CASES = [load_case(folder) for folder in sorted(GOLDEN.iterdir()) if folder.is_dir()]
CASE = {case.name: case for case in CASES}


def make(case: Case) -> str:
    text = sample_text()
    return text if case.make_input is None else case.make_input(text)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_add_writes_exactly_the_golden_lines(case: Case) -> None:
    before = make(case)
    after, _ = run(before, case.spec)
    assert_golden(GOLDEN / case.name / "expected.diff", diff_text(before, after))
    # Applying the spec again changes nothing: the root is there with the same values.
    store = parse(after)
    assert apply(store, load_spec(case.spec, base_dir=SAMPLES, read_file=spec_file_reader(SAMPLES))) is store
    assert dump(parse(after)) == after


@pytest.mark.parametrize(
    "case", [case for case in CASES if case.oracle is not None], ids=lambda case: case.name
)
def test_add_matches_the_sample_generators_own_blocks(case: Case) -> None:
    """samples/make_samples.py prints addbuiltin's layout by its own code: the same text must result."""
    assert case.oracle is not None
    block = oracle_block(*case.oracle)
    after, _ = run(make(case), case.spec)
    sample = sample_text()
    if case.after_label is None:
        expected = sample + block  # the file ends with one newline, then the block's empty line
    else:
        start = sample.index(f'\n#\n# Certificate "{case.after_label}"\n')
        end = sample.index("\n\n#\n# Certificate", start) + 1
        expected = sample[:end] + block + sample[end:]
    assert after == expected


def test_add_comes_out_as_the_diff_says() -> None:
    from certdata_tool.diff import compare

    old = parse(sample_text())
    new = parse(run(sample_text(), CASE["append"].spec)[0])
    diff = compare(old, new)
    (added,) = diff.added
    assert (added.label, added.sha256, added.trust.server_auth, added.mozilla_ca_policy) == (
        "Example New Root",
        NEW_ROOT_SHA256,
        TD,
        True,
    )
    assert (diff.removed, diff.modified, diff.formatting_changed) == ((), (), False)


def test_crlf_files_get_crlf_blocks() -> None:
    lf, _ = run(sample_text(), CASE["after"].spec)
    crlf, _ = run(sample_text().replace("\n", "\r\n"), CASE["after"].spec)
    assert crlf == lf.replace("\n", "\r\n")


def test_samples_add_yaml_is_the_append_case() -> None:
    spec = load_spec(
        (SAMPLES / "add.yaml").read_text(encoding="utf-8"), source="add.yaml",
        base_dir=SAMPLES,
        read_file=spec_file_reader(SAMPLES))
    assert dump(apply(parse(sample_text()), spec)) == run(sample_text(), CASE["append"].spec)[0]


# -- loading -----------------------------------------------------------------------------------------


def test_load_an_add_with_every_key(tmp_path: Path) -> None:
    (tmp_path / "root.der").write_bytes(new_root_der())
    text = (
        "version: 1\nchanges:\n"
        "  - add:\n"
        "      certificate: root.der\n"
        '      label: "Example New Root"\n'
        "      trust: {server_auth: trusted_delegator, code_signing: not_trusted}\n"
        "      distrust_after: {server: 2024-11-30T23:59:59Z, email: null}\n"
        "      step_up_approved: true\n"
        '      after: {label: "Example Email Root", sha256: "' + EMAIL_ROOT_SHA256.lower() + '"}\n'
    )
    (change,) = load_spec(
        text, source="s.yaml",
        base_dir=tmp_path,
        read_file=spec_file_reader(tmp_path)).changes
    assert change == AddChange(
        der=new_root_der(),
        label="Example New Root",
        trust={TrustField.SERVER_AUTH: TD, TrustField.EMAIL_PROTECTION: MVT, TrustField.CODE_SIGNING: NT},
        distrust_after={
            DistrustPurpose.SERVER: datetime(2024, 11, 30, 23, 59, 59, tzinfo=UTC),
            DistrustPurpose.EMAIL: None,
        },
        step_up_approved=True,
        after=Selector(label="Example Email Root", sha256=EMAIL_ROOT_SHA256),
        certificate_ref="root.der",
        line=3,
        path="changes[0]",
        key_lines={
            "add": 3,
            "add.certificate": 4,
            "add.label": 5,
            "add.trust": 6,
            "add.distrust_after": 7,
            "add.step_up_approved": 8,
            "add.after": 9,
        },
    )
    assert change.sha256 == NEW_ROOT_SHA256
    assert "der=" not in repr(change)  # a certificate's bytes would drown the rest


def test_defaults_and_inline_pem() -> None:
    (change,) = load_spec(add_spec("      label: New Root\n")).changes
    assert isinstance(change, AddChange)
    assert change.der == new_root_der()
    assert change.certificate_ref is None
    assert change.trust == dict.fromkeys(TrustField, MVT)
    assert change.distrust_after == dict.fromkeys(DistrustPurpose)
    assert (change.step_up_approved, change.after) == (False, None)


def test_step_up_approved_may_also_sit_in_trust() -> None:
    (change,) = load_spec(add_spec("      label: New Root\n      trust: {step_up_approved: true}\n")).changes
    assert isinstance(change, AddChange) and change.step_up_approved is True


def test_without_base_dir_a_file_is_found_from_the_current_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SAMPLES)
    (change,) = load_spec(
        add_spec("      label: New Root\n", "      certificate: roots/new-root.pem\n"),
        read_file=spec_file_reader(None),
    ).changes
    assert isinstance(change, AddChange) and change.der == new_root_der()
    monkeypatch.chdir(TESTS_DIR)
    with pytest.raises(SpecError) as caught:
        load_spec(
            add_spec("      label: New Root\n", "      certificate: roots/new-root.pem\n"), source="s.yaml",
            read_file=spec_file_reader(None),
        )
    assert str(caught.value) == "s.yaml:4: changes[0].add.certificate: roots/new-root.pem: no such file"


TWO_CERTIFICATES = NEW_ROOT.read_text(encoding="ascii") * 2
GARBAGE_PEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "      certificate: nowhere.pem\n      label: A\n",
            "s.yaml:4: changes[0].add.certificate: nowhere.pem (relative to the spec's folder): no such file",
        ),
        (
            "      certificate: roots\n      label: A\n",
            "s.yaml:4: changes[0].add.certificate: roots (relative to the spec's folder): is a directory, "
            "expected "
            "a certificate file",
        ),
        (
            "      certificate: certdata.txt\n      label: A\n",
            "s.yaml:4: changes[0].add.certificate: certdata.txt is not a certificate: expected PEM "
            "(-----BEGIN "
            "CERTIFICATE-----) or DER (a file starting with a SEQUENCE)",
        ),
        (
            "      certificate: 12\n      label: A\n",
            "s.yaml:4: changes[0].add.certificate: expected the certificate's file name (PEM or DER, "
            "relative to "
            "the spec) or its PEM text, found an integer (12)",
        ),
        (
            "      certificate: ''\n      label: A\n",
            "s.yaml:4: changes[0].add.certificate: expected the certificate's file name (PEM or DER, "
            "relative to "
            "the spec) or its PEM text, found a string ('')",
        ),
        (
            '      certificate: "a.pem\\nb.pem"\n      label: A\n',
            "s.yaml:4: changes[0].add.certificate: expected one file name or PEM text starting with "
            "-----BEGIN "
            "CERTIFICATE-----, found several lines",
        ),
        (
            "      certificate: |\n"
            + "".join(f"        {line}\n" for line in GARBAGE_PEM.splitlines())
            + "      label: A\n",
            "s.yaml:4: changes[0].add.certificate: the inline PEM text is not a certificate: ",
        ),
        (
            "      certificate: |\n"
            + "".join(f"        {line}\n" for line in TWO_CERTIFICATES.splitlines())
            + "      label: A\n",
            "s.yaml:4: changes[0].add.certificate: the inline PEM text holds 2 certificates; an add takes "
            "exactly "
            "one",
        ),
        (
            '      certificate: "a\\0b"\n      label: A\n',
            "s.yaml:4: changes[0].add.certificate: a\\x00b: not a usable file name",
        ),
        (
            "      certificate: /dev/zero\n      label: A\n",
            "s.yaml:4: changes[0].add.certificate: /dev/zero: more than 1000000 bytes (1 MB); a certificate "
            "file is a few kilobytes",
        ),
        (
            "      label: A\n",
            "s.yaml:3: changes[0].add: missing certificate; an add needs the certificate and the label of "
            "the new "
            "root (certificate: roots/new-root.pem)",
        ),
        (
            "      certificate: roots/new-root.pem\n",
            "s.yaml:3: changes[0].add: missing label; an add needs the certificate and the label of the new "
            "root "
            '(label: "New Root")',
        ),
        (
            "      certificate: roots/new-root.pem\n      label: ''\n",
            "s.yaml:5: changes[0].add.label: the new label is empty",
        ),
        (
            "      certificate: roots/new-root.pem\n      label: 'New Root '\n",
            "s.yaml:5: changes[0].add.label: the new label 'New Root ' has leading or trailing whitespace",
        ),
        (
            "      certificate: roots/new-root.pem\n      label: 'New \\Root'\n",
            "s.yaml:5: changes[0].add.label: the new label 'New \\\\Root' contains '\\\\', which a CKA_LABEL "
            "cannot hold",
        ),
        (
            '      certificate: roots/new-root.pem\n      label: "New\\u0007Root"\n',
            "s.yaml:5: changes[0].add.label: the new label 'New\\x07Root' contains the control character "
            "U+0007, "
            "which a CKA_LABEL cannot hold",
        ),
        (
            "      certificate: roots/new-root.pem\n      label: A\n      trust: {server_auth: yes}\n",
            "s.yaml:6: changes[0].add.trust.server_auth: expected a trust value such as must_verify_trust, "
            "found "
            "a boolean (true)",
        ),
        (
            "      certificate: roots/new-root.pem\n      label: A\n      distrust_after: "
            "{server: 2050-01-01}\n",
            "s.yaml:6: changes[0].add.distrust_after.server: 2050-01-01 is outside 1950-2049, which a "
            "UTCTime "
            "distrust-after value cannot express",
        ),
        (
            "      certificate: roots/new-root.pem\n      label: A\n      after: {label: B, count: 2}\n",
            "s.yaml:6: changes[0].add.after.count: unknown key; expected label, sha256 or sha1",
        ),
        (
            "      certificate: roots/new-root.pem\n      label: A\n      after: {}\n",
            "s.yaml:6: changes[0].add.after: needs at least one of label, sha256 or sha1",
        ),
        (
            "      certificate: roots/new-root.pem\n      label: A\n      lable: B\n",
            "s.yaml:6: changes[0].add.lable: unknown key; expected certificate, label, trust, "
            "distrust_after, "
            "step_up_approved or after (did you mean label?)",
        ),
        (
            "      certificate: roots/new-root.pem\n      label: A\n      trust: {step_up_approved: true}\n"
            "      step_up_approved: true\n",
            "s.yaml:7: changes[0].add.step_up_approved: given twice: here and in trust.step_up_approved; "
            "keep one",
        ),
        (
            "      certificate: roots/new-root.pem\n      label: A\n    remove: true\n",
            "s.yaml:6: changes[0].remove: add stands alone in its entry; to change other roots, or the new "
            "one, "
            "write a separate - select: entry after it",
        ),
    ],
)
def test_refusals_name_the_line_and_key(body: str, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec(
            "version: 1\nchanges:\n  - add:\n" + body, source="s.yaml",
            base_dir=SAMPLES,
            read_file=spec_file_reader(SAMPLES))
    if message.endswith(": "):
        assert str(caught.value).startswith(message)
        assert "\n" not in str(caught.value)
    else:
        assert str(caught.value) == message


def test_a_spec_add_is_a_list_entry_of_its_own() -> None:
    with pytest.raises(SpecError) as caught:
        load_spec(
            "version: 1\nchanges:\n  - add: roots/new-root.pem\n", source="s.yaml",
            base_dir=SAMPLES,
            read_file=spec_file_reader(SAMPLES))
    assert str(caught.value) == (
        "s.yaml:3: changes[0].add: expected a mapping with the new root's certificate, label and trust, "
        "found a string ('roots/new-root.pem')"
    )


# -- applying: idempotence, refusals and warnings ----------------------------------------------------


def test_the_same_add_twice_in_one_spec_adds_once() -> None:
    once, _ = run(sample_text(), CASE["append"].spec)
    spec = CASE["append"].spec + "".join(CASE["append"].spec.splitlines(keepends=True)[2:])
    assert run(sample_text(), spec)[0] == once


def test_an_add_of_a_present_certificate_with_other_values_is_refused() -> None:
    once, _ = run(sample_text(), CASE["append"].spec)
    other = add_spec(
        '      label: "Example New Root (2024)"\n'
        "      trust: {server_auth: trusted_delegator}\n      distrust_after: {email: 2024-06-30}\n"
    )
    with pytest.raises(ChangeError) as caught:
        run(once, other)
    assert str(caught.value) == (
        "spec0.yaml:4: changes[0].add.certificate: the certificate (SHA-256 0EB91FC80DDA67F9…) is already in "
        "the file as 'Example New Root' (in.txt line 723) with another label, distrust_after.email; to "
        "change "
        "a root that is already there, use - select: {sha256: "
        '"0EB91FC80DDA67F90E1FB1F66A879AA4AB63D71E5089D3AED8691A2E8A1453F2"} with trust, distrust_after or '
        "rename"
    )


def test_an_add_then_changes_to_the_new_root_apply_twice() -> None:
    """Later changes of the spec may edit the root the add made: applied again, nothing changes."""
    spec = (
        add_spec('      label: "Example New Root"\n      trust: {server_auth: trusted_delegator}\n')
        + '  - select: {label: "Example New Root"}\n    rename: "Example New Root 2024"\n'
        + '  - select: {label: "Example New Root 2024"}\n    trust: {email_protection: trusted_delegator}\n'
        + "    mozilla_ca_policy: false\n"
    )
    once, _ = run(sample_text(), spec)
    new = roots(parse(once))[-1]
    assert (new.label, new.trust.email_protection, new.mozilla_ca_policy) == (
        "Example New Root 2024",
        TD,
        False,
    )
    assert run(once, spec) == (once, ())
    # Changed by hand since: the add no longer describes the root, and says so.
    last = once.rindex("CKA_TRUST_SERVER_AUTH CK_TRUST CKT_NSS_TRUSTED_DELEGATOR\n")  # the new root's
    edited = once[:last] + once[last:].replace("CKT_NSS_TRUSTED_DELEGATOR", "CKT_NSS_NOT_TRUSTED", 1)
    with pytest.raises(ChangeError) as caught:
        run(edited, spec)
    assert str(caught.value).startswith(
        "spec0.yaml:4: changes[0].add.certificate: the certificate (SHA-256 0EB91FC80DDA67F9…) is already in "
        "the file as 'Example New Root 2024' (in.txt line 723) with another trust.server_auth; "
    )


def test_an_add_placed_after_is_already_made_wherever_the_root_is() -> None:
    """A spec applied twice: the second add finds the root and changes nothing, `after` included."""
    once, _ = run(sample_text(), CASE["after"].spec)
    moved = add_spec(
        '      label: "Example New Root"\n'
        "      trust: {server_auth: trusted_delegator, email_protection: trusted_delegator}\n"
        '      after: {label: "No Such Root"}\n'
    )
    assert run(once, moved)[0] == once


@pytest.mark.parametrize(
    ("make_input", "after", "message"),
    [
        (
            None,
            '{label: "No Such Root"}',
            "spec0.yaml:17: changes[0].add.after: no root matches label=No Such Root",
        ),
        (
            lambda text: text.replace('"Example Legacy Root"', '"Example Email Root"'),
            '{label: "Example Email Root"}',
            "spec0.yaml:17: changes[0].add.after: label=Example Email Root matches 2 roots, expected 1: "
            "Example "
            "Email Root (879522D877EEEA2E…); Example Email Root (57BDE4FCA146E15A…)",
        ),
    ],
)
def test_after_must_select_one_root(make_input: object, after: str, message: str) -> None:
    text = sample_text() if make_input is None else make_input(sample_text())  # type: ignore[operator]
    spec = add_spec("      label: New Root\n" + f"      after: {after}\n")
    with pytest.raises(ChangeError) as caught:
        run(text, spec)
    assert str(caught.value) == message


def test_after_may_select_a_root_added_before_in_the_same_spec(tmp_path: Path) -> None:
    (tmp_path / "second.pem").write_bytes((SAMPLES / "roots" / "example-websites-root-2.pem").read_bytes())
    first = inline_pem()
    text = _without(sample_text(), "Example Websites Root 2")
    spec = (
        "version: 1\nchanges:\n  - add:\n" + first + '      label: "Example New Root"\n'
        '      after: {label: "Example Root CA 1"}\n'
        '  - add:\n      certificate: second.pem\n      label: "Example Websites Root 2"\n'
        "      trust: {server_auth: trusted_delegator}\n"
        '      after: {label: "Example New Root"}\n'
    )
    store = apply(parse(text), load_spec(spec, base_dir=tmp_path, read_file=spec_file_reader(tmp_path)))
    assert [root.label for root in roots(store)][:4] == [
        "Example Root CA 1",
        "Example New Root",
        "Example Websites Root 2",
        "Example Email Root",
    ]


def _without(text: str, label: str) -> str:
    start = text.index(f'\n#\n# Certificate "{label}"\n')
    end = text.find("\n\n#\n# Certificate", start + 1)
    return text[:start] + (text[end + 1 :] if end >= 0 else "")


def test_a_used_label_and_perl_characters_warn() -> None:
    spec = add_spec('      label: "Example Email Root"\n')
    _, warnings = run(sample_text(), spec)
    assert warnings == (
        "spec0.yaml:16: changes[0].add.label: the label 'Example Email Root' is already used by another root "
        "(in.txt line 184); NSS expects labels to be unique",
        f"spec0.yaml:4: changes[0].add.certificate: {ED25519}",
    )
    _, warnings = run(sample_text(), add_spec('      label: "New $Root@"\n'))
    assert warnings[0] == (
        "spec0.yaml:16: changes[0].add.label: the label 'New $Root@' contains $ and @, "
        "which NSS's certdata.perl interpolates when it computes the label's size"
    )


def test_validity_is_checked_only_at_a_given_moment() -> None:
    spec = add_spec("      label: New Root\n")
    assert run(sample_text(), spec)[1] == (f"spec0.yaml:4: changes[0].add.certificate: {ED25519}",)
    assert run(sample_text(), spec, at=datetime(2030, 1, 1, tzinfo=UTC))[1] == (
        f"spec0.yaml:4: changes[0].add.certificate: {ED25519}",
    )
    assert run(sample_text(), spec, at=datetime(2049, 6, 1, tzinfo=UTC))[1] == (
        "spec0.yaml:4: changes[0].add.certificate: expired: not valid after 2049-01-14 23:59:59 UTC (checked "
        "at "
        "2049-06-01 00:00:00 UTC)",
        f"spec0.yaml:4: changes[0].add.certificate: {ED25519}",
    )
    # A spec applied twice warns only the first time: the second time there is nothing to add.
    once, _ = run(sample_text(), spec)
    assert run(once, spec) == (once, ())


def test_an_added_root_reads_back_with_the_values_of_the_spec() -> None:
    after, _ = run(sample_text(), CASE["distrust-after-dates"].spec)
    new = roots(parse(after))[-1]
    assert (new.label, new.sha256, new.problems) == ("Example New Root", NEW_ROOT_SHA256, ())
    moment = datetime(2024, 11, 30, 23, 59, 59, tzinfo=UTC)
    assert (new.distrust_after.server, new.distrust_after.email) == (moment, moment)
