"""Fuzzing (bounded for CI): any input is read or rejected with the tool's own error and a line.

Inputs are mutations of real files (cut, flipped, duplicated, deleted, spliced lines) and generated
specs. Every input that ever broke a property is kept in tests/data/fuzz/ and replayed here.
For long local runs use the atheris harness in fuzz/ (see docs/bad-input.md).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from conftest import DATA_DIR, PROJECT_ROOT
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import certdata_tool
from certdata_tool.cli import app
from certdata_tool.errors import CertdataError, ParseError, SpecError
from certdata_tool.syntax.nssfile import dump, parse

if TYPE_CHECKING:
    from typer.testing import Result

    from certdata_tool.spec.load import Spec

SAMPLE = (PROJECT_ROOT / "samples" / "certdata.txt").read_bytes()
FUZZ_DATA = DATA_DIR / "fuzz"
SAMPLE_LABELS = sorted({root.label for root in certdata_tool.roots(parse(SAMPLE))})
SAMPLE_SHA256 = {root.label: root.sha256 for root in certdata_tool.roots(parse(SAMPLE))}

# Bounded so that the whole file runs in well under a minute on 2 cores; FUZZ_EXAMPLES raises it.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=3000, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
FEW = settings(FUZZ, max_examples=max(EXAMPLES // 5, 10))

# Bytes that matter to the reader: escapes, digits, quotes, line ends, comment and keyword pieces.
INTERESTING = [b"\\", b"0", b"3", b"7", b"8", b"\n", b"\r\n", b"\r", b"#", b'"', b" ", b"\t", b"END",
               b"BEGINDATA", b"MULTILINE_OCTAL", b"CKA_CLASS", b"CK_OBJECT_CLASS", b"CKO_CERTIFICATE",
               b"CKO_NSS_TRUST", b"UTF8", b"\xff", b"\xc3", b"\x00", b"\\377", b"\\400", b"\x0c"]


class Mutated(bytes):
    """Mutated file contents that print as the edits made, not as 40 kB of bytes."""

    edits: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"<{len(self)} bytes after {', '.join(self.edits)}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis's pretty printer
        printer.text(repr(self))


@st.composite
def mutated(draw: st.DrawFn, base: bytes = SAMPLE) -> Mutated:
    """`base` with a few random edits of the kinds that real damage does."""
    data = bytearray(base)
    edits = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cut", "flip", "insert", "delete", "duplicate-line", "drop-line",
                                     "swap-lines", "splice"]))
        at = draw(st.integers(0, len(data)))
        edits.append(f"{kind}@{at}")
        if kind == "cut":
            del data[at:]
        elif kind == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            piece = draw(st.sampled_from(INTERESTING) | st.binary(max_size=8))
            data[at:at] = piece
            edits[-1] += f"={piece!r}"
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        else:
            lines = bytes(data).split(b"\n")
            index = min(at * len(lines) // (len(data) + 1), len(lines) - 1)
            other = draw(st.integers(0, len(lines) - 1))
            if kind == "duplicate-line":
                lines.insert(index, lines[other])
            elif kind == "drop-line":
                del lines[index]
            elif kind == "swap-lines":
                lines[index], lines[other] = lines[other], lines[index]
            else:  # splice: a run of lines moved elsewhere, as a bad merge does
                run = lines[index : index + draw(st.integers(1, 30))]
                del lines[index : index + len(run)]
                lines[other:other] = run
            data = bytearray(b"\n".join(lines))
    result = Mutated(data)
    result.edits = tuple(edits)
    return result


def check_certdata(data: bytes) -> None:
    """The reader's property: a store that round-trips, or ParseError naming the line."""
    try:
        store = parse(data, source="fuzz.txt")
    except ParseError as error:
        assert error.source == "fuzz.txt"
        assert error.line is not None and error.line >= 1, str(error)
        assert error.line <= data.count(b"\n") + 1, str(error)
        assert str(error).startswith(f"fuzz.txt:{error.line}: ")
        assert "\n" not in str(error), f"a message of more than one line: {error}"
        return
    assert dump(store).encode("utf-8", "surrogateescape") == data  # bytes not UTF-8 are kept as they are
    # Everything downstream of a readable file reads it without crashing (problems are values).
    root_set = certdata_tool.read_roots(store)
    for root in root_set.roots:
        root.trust.level  # noqa: B018
    from certdata_tool.render.show import render_json

    render_json(root_set)


@FUZZ
@given(mutated())
def test_reader_on_mutated_sample(data: bytes) -> None:
    check_certdata(data)


@FUZZ
@given(st.lists(st.sampled_from(INTERESTING) | st.binary(max_size=6), max_size=60).map(b"".join))
@example(b"BEGINDATA\nCKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\nCKA_VALUE MULTILINE_OCTAL\n\\060\nEND\n")
@example(b"BEGINDATA\nCKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\nCKA_VALUE MULTILINE_OCTAL\nEND")
@example(b"BEGINDATA\r\nCKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST\r\nCKA_LABEL UTF8 \"a\\\"\r\n")
def test_reader_on_token_soup(data: bytes) -> None:
    check_certdata(b"# header\nBEGINDATA\n" + data)


@FEW
@given(st.data())
def test_reader_on_mutated_real_file(data: st.DataObject) -> None:
    real = _real_file()
    check_certdata(data.draw(mutated(real)))


def _real_file() -> bytes:
    from conftest import corpus_file

    global _REAL
    if _REAL is None:
        _REAL = corpus_file("certdata-2024-06-13-469e60ef4.txt")
    return _REAL


_REAL: bytes | None = None


# ---------------------------------------------------------------- specs

GOOD_SPECS = [
    (PROJECT_ROOT / "benchmarks" / "globaltrust-2020.yaml").read_text("utf-8"),
    'version: 1\ntitle: t\nbug: 1\nchanges:\n  - select: {label: "Example Root CA 1", count: 1}\n'
    "    trust: {server_auth: must_verify_trust, step_up_approved: false}\n"
    "    distrust_after: {server: 2024-06-30T00:00:00Z, email: null}\n"
    "    mozilla_ca_policy: false\n    rename: Renamed\n"
    '  - select: {sha1: "0000000000000000000000000000000000000000"}\n    remove: true\n',
]


def check_spec(text: str) -> Spec | None:
    """The spec loader's property: a Spec, or SpecError naming the spec and a line."""
    try:
        return certdata_tool.load_spec(text, source="fuzz.yaml")
    except SpecError as error:
        assert error.source == "fuzz.yaml", str(error)
        assert error.line is not None or "bytes, more than the limit" in error.message, str(error)
        assert "\n" not in str(error), f"a message of more than one line: {error}"
        return None


@FUZZ
@given(st.sampled_from(GOOD_SPECS).map(str.encode).flatmap(mutated))
def test_spec_loader_on_mutated_specs(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    check_spec(text)


YAML_SCALARS = (st.none() | st.booleans() | st.integers(-10, 3_000_000) | st.floats(allow_nan=True)
                | st.text(max_size=20) | st.dates() | st.datetimes()
                | st.sampled_from(["trusted_delegator", "CKT_NSS_NOT_TRUSTED", "2024-06-30", *SAMPLE_LABELS]))
YAML_KEYS = st.sampled_from(["version", "title", "bug", "changes", "select", "label", "sha256", "sha1",
                             "count", "trust", "server_auth", "email_protection", "code_signing",
                             "step_up_approved", "distrust_after", "server", "email", "mozilla_ca_policy",
                             "rename", "remove", "add", "certificate", "after", "other"])
YAML_VALUES = st.recursive(YAML_SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(YAML_KEYS, inner, max_size=5), max_leaves=25)


@FUZZ
@given(st.dictionaries(YAML_KEYS, YAML_VALUES, max_size=5))
def test_spec_loader_on_random_documents(document: dict[str, object]) -> None:
    check_spec(yaml.safe_dump(document, allow_unicode=True))


@FUZZ
@given(st.text(max_size=300))
def test_spec_loader_on_random_text(text: str) -> None:
    check_spec(text)


# ---------------------------------------------------------------- apply

TRUST_VALUES = st.sampled_from(["trusted_delegator", "must_verify_trust", "not_trusted", "trusted",
                                "valid_delegator", "trust_unknown", "CKT_NSS_MUST_VERIFY_TRUST"])
ROOT_PEMS = [path.read_text("ascii") for path in sorted((PROJECT_ROOT / "samples" / "roots").glob("*.pem"))]
DATES = st.sampled_from(["2024-06-30", "1950-01-01", "2049-12-31T23:59:59Z", None, "2050-01-01"])


@st.composite
def change_entries(draw: st.DrawFn) -> dict[str, object]:
    selector: dict[str, object] = {"label": draw(st.sampled_from([*SAMPLE_LABELS, "No Such Root"]))}
    if draw(st.booleans()):
        selector["count"] = draw(st.integers(0, 2))
    entry: dict[str, object] = {"select": selector}
    if draw(st.integers(0, 5)) == 0:
        entry["remove"] = True
        label = selector["label"]
        if isinstance(label, str) and label in SAMPLE_SHA256 and draw(st.booleans()):
            # By fingerprint, a removal applies twice; by label alone, the second apply is an error.
            selector["sha256"] = SAMPLE_SHA256[label]
        return entry
    if draw(st.integers(0, 5)) == 0:  # an add entry, with inline PEM
        added: dict[str, object] = {"certificate": draw(st.sampled_from(ROOT_PEMS)),
                                    "label": draw(st.text(max_size=12) | st.just("Example Root CA 1")),
                                    "trust": draw(st.dictionaries(st.sampled_from(["server_auth",
                                                                                   "email_protection"]),
                                                                  TRUST_VALUES))}
        if draw(st.booleans()):
            added["distrust_after"] = draw(st.dictionaries(st.sampled_from(["server", "email"]), DATES))
        if draw(st.booleans()):
            added["after"] = {"label": draw(st.sampled_from([*SAMPLE_LABELS, "No Such Root"]))}
        return {"add": added}
    if draw(st.booleans()):
        entry["trust"] = draw(st.dictionaries(st.sampled_from(["server_auth", "email_protection",
                                                              "code_signing"]), TRUST_VALUES, min_size=1))
    if draw(st.booleans()):
        entry["distrust_after"] = draw(st.dictionaries(st.sampled_from(["server", "email"]), DATES,
                                                       min_size=1))
    if draw(st.booleans()):
        entry["mozilla_ca_policy"] = draw(st.booleans())
    if draw(st.integers(0, 3)) == 0:
        # Not to a label another root has: then the selector of a second apply matches nothing (a
        # known limit, reported), since the two roots can no longer be told apart by label.
        entry["rename"] = draw(st.text(max_size=12).filter(lambda label: label not in SAMPLE_LABELS))
    if len(entry) == 1:
        entry["mozilla_ca_policy"] = True
    return entry


@settings(FUZZ, max_examples=max(EXAMPLES // 2, 10))
@given(st.lists(change_entries(), min_size=1, max_size=4))
# Found by this test: a later change renames the root an earlier one selects by label; the second
# apply must still find it (the engine looks up renamed roots only for the renaming change itself).
@example([{"select": {"label": "Example Email Root"}, "mozilla_ca_policy": True},
          {"select": {"label": "Example Email Root"}, "rename": "0"}])
def test_apply_of_valid_ish_specs(changes: list[dict[str, object]]) -> None:
    """apply either works (and then is idempotent, and its output reads back) or raises CertdataError."""
    text = yaml.safe_dump({"version": 1, "changes": changes}, allow_unicode=True)
    spec = check_spec(text)
    assume(spec is not None)
    assert spec is not None
    store = parse(SAMPLE)
    try:
        new = certdata_tool.apply(store, spec)
    except CertdataError as error:
        assert error.line is not None or error.source is not None, str(error)
        return
    written = dump(new)
    assert dump(parse(written)) == written
    if any(entry.get("remove") and "sha256" not in entry["select"]  # type: ignore[operator]
           for entry in changes):
        # A removal by label alone that finds nothing is an error, so that a typo cannot pass.
        with pytest.raises(CertdataError, match="no root matches"):
            certdata_tool.apply(parse(written), spec)
        return
    removed = {entry["select"].get("label") for entry in changes  # type: ignore[attr-defined]
               if entry.get("remove")}
    if any(not entry.get("remove") and isinstance(entry.get("select"), dict)
           and entry["select"].get("label") in removed for entry in changes):  # type: ignore[attr-defined]
        # A change to a root the spec then removes finds nothing the second time: that is an error,
        # never a silent success.
        try:
            again = dump(certdata_tool.apply(parse(written), spec))
        except CertdataError as error:
            assert "no root matches" in str(error)
        else:
            assert again == written
        return
    assert dump(certdata_tool.apply(parse(written), spec)) == written  # a second apply changes nothing


# ---------------------------------------------------------------- the CLI never shows a traceback


def _commands() -> list[list[str]]:
    commands = [["show", "in.txt"], ["show", "in.txt", "--format", "json"]]
    runner = CliRunner()
    for name, args in (("lint", ["lint", "in.txt"]), ("diff", ["diff", "old.txt", "in.txt"]),
                       ("export", ["export", "in.txt", "-o", "out.pem"]),
                       ("apply", ["apply", "in.txt", "spec.yaml", "-o", "out.txt"])):
        if runner.invoke(app, [name, "--help"]).exit_code == 0:
            commands.append(args)
    return commands


COMMANDS = _commands()
CLI_SPEC = GOOD_SPECS[1].replace(
    '  - select: {sha1: "0000000000000000000000000000000000000000"}\n    remove: true\n', "")


@settings(FUZZ, max_examples=max(EXAMPLES // 5, 10))
@given(mutated(), st.sampled_from(COMMANDS))
def test_cli_never_shows_a_traceback(tmp_path_factory: pytest.TempPathFactory, data: bytes,
                                     command: list[str]) -> None:
    folder = tmp_path_factory.mktemp("cli")
    (folder / "in.txt").write_bytes(data)
    (folder / "old.txt").write_bytes(SAMPLE)
    (folder / "spec.yaml").write_text(CLI_SPEC)
    result = _invoke_in(folder, command)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 2:  # warnings may come first; then one error line (and maybe a hint)
        errors = [line for line in result.stderr.splitlines() if line.startswith("certdata-tool: error: ")]
        others = [line for line in result.stderr.splitlines()
                  if not line.startswith(("certdata-tool: error: ", "certdata-tool: warning: ", "hint: "))]
        assert len(errors) == 1 and not others, result.stderr


def _invoke_in(folder: Path, command: list[str]) -> Result:
    previous = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(app, command)
    finally:
        os.chdir(previous)


# ---------------------------------------------------------------- regression inputs

REGRESSIONS = sorted(FUZZ_DATA.glob("*")) if FUZZ_DATA.is_dir() else []


@pytest.mark.parametrize("path", REGRESSIONS, ids=[path.name for path in REGRESSIONS])
def test_regression_inputs(path: Path) -> None:
    """Inputs that once broke a property (see tests/data/fuzz/README.md)."""
    if path.name == "README.md":
        return
    data = path.read_bytes()
    if path.suffix == ".yaml":
        check_spec(data.decode("utf-8", "replace"))
    else:
        check_certdata(data)
