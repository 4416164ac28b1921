"""apply lints its result: lint_change finds exactly what an edit introduced, and apply acts on it."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, corpus_file
from typer.testing import CliRunner

from certdata_tool.applying import editor as engine
from certdata_tool.applying.editor import apply
from certdata_tool.cli import app
from certdata_tool.cli.files import spec_file_reader
from certdata_tool.linting import Level, lint, lint_change, new_findings
from certdata_tool.spec.load import load_spec
from certdata_tool.syntax.nssfile import CertdataFile, octal_attribute, parse

SAMPLES = PROJECT_ROOT / "samples"
AT = datetime(2025, 1, 1, tzinfo=UTC)


def sample_store() -> CertdataFile:
    return parse((SAMPLES / "certdata.txt").read_bytes(), source="certdata.txt")


def spec_of(text: str, name: str = "spec.yaml") -> object:
    return load_spec(text, source=name, base_dir=SAMPLES, read_file=spec_file_reader(SAMPLES))


def full_check(before: CertdataFile, after: CertdataFile) -> tuple[object, ...]:
    return new_findings(lint(before, at=AT), lint(after, at=AT))


def with_wrong_sha1(store: CertdataFile, label: str) -> CertdataFile:
    """The store with the SHA-1 hash of `label`'s trust object broken, as a careless edit would."""
    objects = list(store.objects)
    for index, obj in enumerate(objects):
        if obj.object_class == "CKO_NSS_TRUST" and obj.label == label:
            entries = tuple(octal_attribute("CKA_CERT_SHA1_HASH", bytes(20), store.newline)
                            if getattr(entry, "name", None) == "CKA_CERT_SHA1_HASH" else entry
                            for entry in obj.entries)
            objects[index] = obj._replace(entries=entries)
            return store._replace(objects=tuple(objects))
    raise AssertionError(f"no trust object labelled {label}")


@pytest.mark.parametrize("spec_path", sorted(SAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
def test_the_quick_check_agrees_with_linting_both_whole_files(spec_path: Path) -> None:
    before = sample_store()
    after = apply(before, spec_of(spec_path.read_text(encoding="utf-8"), spec_path.name))  # type: ignore[arg-type]
    assert lint_change(before, after, at=AT) == full_check(before, after)


def test_a_broken_hash_is_a_new_error_with_its_real_line() -> None:
    before = sample_store()
    after = with_wrong_sha1(before, "Example Email Root")
    fresh = lint_change(before, after, at=AT)
    assert fresh == full_check(before, after)
    assert [(finding.code, finding.level, finding.label) for finding in fresh] == [
        ("CD106", Level.ERROR, "Example Email Root")]
    # The line is the file's own, not the line in the cut-down store the quick check reads.
    text = (SAMPLES / "certdata.txt").read_text(encoding="utf-8").splitlines()
    trust_label = text.index('# Trust for "Example Email Root"')
    assert text[fresh[0].line - 1] == "CKA_CERT_SHA1_HASH MULTILINE_OCTAL"
    assert fresh[0].line > trust_label


def test_an_ineffective_date_is_a_new_warning() -> None:
    before = sample_store()
    spec = spec_of('version: 1\nchanges:\n  - select: {label: "Example Websites Root 2"}\n'
                   "    distrust_after: {email: 2025-04-15}\n")
    after = apply(before, spec)  # type: ignore[arg-type]
    fresh = lint_change(before, after, at=AT)
    assert [(finding.code, finding.level) for finding in fresh] == [("CD204", Level.WARNING)]
    assert fresh == full_check(before, after)


def test_the_reference_case_adds_no_finding() -> None:
    before = parse(corpus_file("certdata-2024-05-30-bb4242fc1.txt"))
    spec = load_spec((PROJECT_ROOT / "benchmarks" / "globaltrust-2020.yaml").read_text(encoding="utf-8"))
    assert lint_change(before, apply(before, spec), at=AT) == ()


# -- through the CLI -------------------------------------------------------------------------------


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "certdata.txt").write_bytes((SAMPLES / "certdata.txt").read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder))}


def test_apply_refuses_a_result_with_a_new_lint_error(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (work / "spec.yaml").write_text('version: 1\nchanges:\n  - select: {label: "Example Email Root"}\n'
                                    "    mozilla_ca_policy: true\n", encoding="utf-8")
    real = engine.apply_with_notes

    def careless(*args: object, **kwargs: object) -> tuple[CertdataFile, tuple[str, ...], tuple[str, ...]]:
        store, warnings, notes = real(*args, **kwargs)  # type: ignore[arg-type]
        return with_wrong_sha1(store, "Example Email Root"), warnings, notes

    monkeypatch.setattr(engine, "apply_with_notes", careless)
    files = snapshot(work)
    result = CliRunner().invoke(app, ["apply", "certdata.txt", "spec.yaml", "--in-place"])
    assert result.exit_code == 2, result.output
    first, hint = result.stderr.splitlines()
    assert first.startswith("certdata-tool: error: certdata.txt:")
    assert ": the change would add lint error CD106: CKA_CERT_SHA1_HASH is not the SHA-1 of the certificate" \
        in first
    assert hint == "hint: nothing was written; run certdata-tool lint on the result to see why"
    assert snapshot(work) == files


def test_apply_prints_new_warnings_and_still_writes(work: Path) -> None:
    (work / "spec.yaml").write_text('version: 1\nchanges:\n  - select: {label: "Example Websites Root 2"}\n'
                                    "    distrust_after: {email: 2025-04-15}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["apply", "certdata.txt", "spec.yaml", "-o", "new.txt",
                                      "--report", "none"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "CD204" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("certdata-tool: warning: certdata.txt:")
    assert '"Example Websites Root 2": CKA_NSS_EMAIL_DISTRUST_AFTER is set, but the root is not trusted ' \
        "for email" in warnings[0]
    assert warnings[0].endswith("(new with this change)")
    assert (work / "new.txt").exists()


def test_the_sample_distrust_after_spec_applies_without_warnings(work: Path) -> None:
    result = CliRunner().invoke(app, ["apply", "certdata.txt", str(SAMPLES / "distrust-after.yaml"),
                                      "-o", "new.txt"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_a_finding_whose_count_grows_is_not_new() -> None:
    crlf = parse((SAMPLES / "certdata.txt").read_bytes().replace(b"\n", b"\r\n"), source="crlf.txt")
    spec = spec_of((SAMPLES / "distrust-after.yaml").read_text(encoding="utf-8"))
    after = apply(crlf, spec)  # type: ignore[arg-type]
    assert any(finding.code == "CD209" for finding in lint(after, at=AT))
    assert lint_change(crlf, after, at=AT) == ()
