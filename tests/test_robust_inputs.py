"""Issue 13: inputs that once printed a traceback, were refused although real, or were exported wrong."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from certdata_factory import FakeRoot, certdata_text, certificate
from conftest import PROJECT_ROOT
from typer.testing import CliRunner, Result

from certdata_tool.cli import app
from certdata_tool.exporting import directory, java
from certdata_tool.exporting.names import unique_names
from certdata_tool.syntax.nssfile import dump, parse

SAMPLE = (PROJECT_ROOT / "samples" / "certdata.txt").read_bytes()
RENAME_LEGACY = ('version: 1\nchanges:\n  - select: {label: "Example Legacy Root"}\n'
                 '    rename: "Example Legacy Root 2"\n')


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rename.yaml").write_text(RENAME_LEGACY)
    return tmp_path


# ---------------------------------------------------------------- old real files

def _with_c_terminator(text: bytes) -> bytes:
    """The sample with its first CKA_VALUE ended by a `\\0` line, as three NSS revisions of 2000 have."""
    start = text.index(b"CKA_VALUE MULTILINE_OCTAL\n")
    end = text.index(b"END\n", start)
    return text[:end] + b"\\0\n" + text[end:]


def _with_latin1_label(text: bytes) -> bytes:
    """The sample with a label (and the comments that repeat it) in Latin-1, as NSS's file of 2009."""
    return text.replace(b'"Example Root CA 1"', b'"Example Root CA \xa11"')


@pytest.mark.parametrize("make", [_with_c_terminator, _with_latin1_label], ids=["c-terminator", "latin1"])
def test_old_constructs_round_trip_byte_for_byte(work: Path, make: object) -> None:
    assert callable(make)
    old: bytes = make(SAMPLE)
    assert old != SAMPLE
    store = parse(old, source="old.txt")
    assert dump(store).encode("utf-8", "surrogateescape") == old
    (work / "old.txt").write_bytes(old)
    (work / "new.txt").write_bytes(SAMPLE)
    result = run("apply", "old.txt", "rename.yaml", "--report", "none")
    no_traceback(result)
    assert result.exit_code == 0, result.output
    # The change an edit of the new file makes, and every other byte as it was.
    edited = run("apply", "new.txt", "rename.yaml", "--report", "none").stdout_bytes
    assert result.stdout_bytes == make(edited)


def test_a_c_terminator_is_not_part_of_the_certificate(work: Path) -> None:
    (work / "old.txt").write_bytes(_with_c_terminator(SAMPLE))
    (work / "new.txt").write_bytes(SAMPLE)
    result = run("diff", "old.txt", "new.txt")
    assert "no root changed" in result.stdout, result.output  # the same roots, the same certificates


def test_a_latin1_label_is_shown_as_latin1_and_warned_about_once(work: Path) -> None:
    (work / "old.txt").write_bytes(_with_latin1_label(SAMPLE))
    result = run("show", "old.txt")
    assert result.exit_code == 0, result.output
    assert "Example Root CA ¡1" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if "UTF-8" in line]
    assert len(warnings) == 1 and warnings[0].startswith("certdata-tool: warning: old.txt:"), result.stderr


def test_bytes_that_are_not_utf8_outside_labels_and_comments_are_still_an_error(work: Path) -> None:
    bad = SAMPLE.replace(b"CKA_TOKEN CK_BBOOL CK_TRUE", b"CKA_TOKEN CK_BBOOL CK_\xe9", 1)
    (work / "bad.txt").write_bytes(bad)
    result = run("show", "bad.txt")
    assert result.exit_code == 2
    assert re.fullmatch(r"certdata-tool: error: bad.txt:\d+: not valid UTF-8 \(byte 0xe9\); certdata.txt is "
                        r"UTF-8 text\n", result.stderr)


# ---------------------------------------------------------------- tracebacks


def test_a_label_escape_x_without_hex_digits_reads_as_perl_does(work: Path) -> None:
    (work / "x.txt").write_bytes(SAMPLE.replace(b'"Example Root CA 1"', b'"Ex\\xzz Root"'))
    for args in (["show", "x.txt"], ["lint", "x.txt", "--at", "2025-01-01"],
                 ["export", "x.txt", "-o", "x.pem"]):
        result = run(*args)
        no_traceback(result)
        assert result.exit_code in (0, 1), result.output
    store = parse((work / "x.txt").read_bytes())
    assert "Ex\x00zz Root" in [obj.label for obj in store.objects]
    assert "Ex\\x00zz Root" in run("show", "x.txt").stdout  # and shown safely


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
@pytest.mark.parametrize("command", ["lint", "export", "apply", "spec"])
def test_at_near_the_ends_of_the_calendar(work: Path, moment: str, command: str) -> None:
    (work / "c.txt").write_bytes(SAMPLE)
    (work / "root.pem").write_bytes((PROJECT_ROOT / "samples" / "roots" / "new-root.pem").read_bytes())
    args = {"lint": ["lint", "c.txt"], "export": ["export", "c.txt", "-o", "out.pem"],
            "apply": ["apply", "c.txt", "rename.yaml"], "spec": ["spec", "add", "root.pem"]}[command]
    result = run(*args, "--at", moment)
    no_traceback(result)
    assert result.exit_code == 2
    # Offsets are not the grammar; and no UTC form can be suggested for either (years 0 and 10000).
    assert result.stderr == (f"certdata-tool: error: --at '{moment}': expected 2024-06-30 or "
                             "2024-06-30T23:59:59Z\n")
    assert not (work / "out.pem").exists()


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59Z", "0001-01-01"])
def test_the_first_and_last_moments_themselves_work(work: Path, moment: str) -> None:
    (work / "c.txt").write_bytes(SAMPLE)
    for args in (["lint", "c.txt"],
                 ["export", "c.txt", "-o", "-", "--distrust-after", "grace", "--drop-expired"]):
        result = run(*args, "--at", moment)
        no_traceback(result)
        assert result.exit_code in (0, 1), result.output


def test_a_lone_surrogate_in_a_spec_is_refused_before_anything_is_written(work: Path) -> None:
    (work / "c.txt").write_bytes(SAMPLE)
    (work / "s.yaml").write_text('version: 1\nchanges:\n  - select: {label: "Example Legacy Root"}\n'
                                 '    rename: "A\\udc00B"\n')
    result = run("apply", "c.txt", "s.yaml", "-o", "out.txt")
    no_traceback(result)
    assert result.exit_code == 2
    assert result.stderr.startswith("certdata-tool: error: s.yaml:4: changes[0].rename: the string holds "
                                    "\\udc00, a lone surrogate")
    assert not (work / "out.txt").exists()


def test_a_huge_bug_number_gives_a_short_message(work: Path) -> None:
    (work / "c.txt").write_bytes(SAMPLE)
    for digits in (4000, 5000):
        (work / "s.yaml").write_text(f"version: 1\nbug: {'9' * digits}\nchanges:\n"
                                     '  - select: {label: "Example Legacy Root"}\n    remove: true\n')
        result = run("apply", "c.txt", "s.yaml")
        no_traceback(result)
        assert result.exit_code == 2
        assert result.stderr.startswith("certdata-tool: error: s.yaml:2: bug: ")
        assert len(result.stderr) < 300, result.stderr


def _with_odd_bmp_names(text: str) -> str:
    """`text` with every CN "Q" (a UTF8String) made a BMPString of one byte, which OpenSSL refuses:
    in the certificate and in CKA_SUBJECT and CKA_ISSUER alike."""
    import hashlib

    from certdata_tool.syntax.nssfile import decode_octal, encode_octal

    old_der = certificate("Q")
    new_der = old_der.replace(b"\x0c\x01Q", b"\x1e\x01Q")
    # The trust object names the certificate by its hashes: those change with it.
    hashes = {hashlib.new(name, old_der).digest(): hashlib.new(name, new_der).digest()
              for name in ("sha1", "md5")}

    def odd(match: re.Match[str]) -> str:
        data = decode_octal(match.group(2).replace("\n", ""))
        data = hashes.get(data, data.replace(b"\x0c\x01Q", b"\x1e\x01Q"))
        return match.group(1) + encode_octal(data) + "END\n"

    changed = re.sub(r"(MULTILINE_OCTAL\n)(.*?)END\n", odd, text, flags=re.DOTALL)
    assert changed != text
    return changed


def test_a_subject_openssl_cannot_read_gets_no_hash_link(work: Path) -> None:
    (work / "c.txt").write_text(_with_odd_bmp_names(certdata_text([FakeRoot("Odd Name", certificate("Q"))]))
                                + certdata_text([FakeRoot("Good", certificate("Good"))], header=""))
    result = run("export", "c.txt", "-f", "directory", "-o", "roots")
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "Odd_Name.pem: the subject holds a BMPString of an odd number of bytes" in result.stderr
    names = sorted(path.name for path in (work / "roots").iterdir())
    assert "Odd_Name.pem" in names and "Good.pem" in names
    links = [path for path in (work / "roots").iterdir() if path.is_symlink()]
    assert [str(path.readlink()) for path in links] == ["Good.pem"]


# ---------------------------------------------------------------- silently wrong output


def test_names_never_clash() -> None:
    def decorate(base: str, digits: str) -> str:
        return f"{base}_{digits}"

    a, b, c = "a" * 64, "ab" + "0" * 62, "b" * 64
    # Case: both get digits. A label that is literally another's decorated name: still distinct.
    names = unique_names([("Root", a), ("ROOT", c), (f"Root_{a[:8]}", b)], decorate)
    assert len({name.casefold() for name in names}) == 3
    assert names[:2] == (f"Root_{a[:8]}", f"ROOT_{c[:8]}") or len(set(names)) == 3
    # Two roots sharing 8 digits get more; one certificate twice gets a count.
    twins = unique_names([("X", "abcdef01" + "1" * 56), ("X", "abcdef01" + "2" * 56)], decorate)
    assert twins == ("X_abcdef0111111111", "X_abcdef0122222222")
    same = unique_names([("X", a), ("X", a)], decorate)
    assert len(set(same)) == 2
    # Reserved names are never given; order does not change the names.
    assert unique_names([("M", a)], decorate, reserved=["m"]) == (f"M_{a[:8]}",)
    forward = unique_names([("Root", a), ("root", c)], decorate)
    backward = unique_names([("root", c), ("Root", a)], decorate)
    assert forward == backward[::-1]


def _two_roots_one_name() -> str:
    return certdata_text([FakeRoot("Example Root", certificate("one")),
                          FakeRoot("EXAMPLE ROOT", certificate("two")),
                          FakeRoot("Example Root X", certificate("three"), trust_label="Example Root X")])


def test_directory_export_writes_every_root_under_its_own_name(work: Path) -> None:
    (work / "c.txt").write_text(_two_roots_one_name())
    result = run("export", "c.txt", "-f", "directory", "-o", "roots")
    assert result.exit_code == 0, result.output
    pems = [path.name for path in (work / "roots").iterdir() if path.name.endswith(".pem")]
    assert len(pems) == 3 and len({name.casefold() for name in pems}) == 3


def test_java_export_gives_every_root_its_own_alias(work: Path) -> None:
    from certdata_tool.exporting.policy import make_policy, select_roots
    from certdata_tool.model.roots import read_roots

    selection = select_roots(read_roots(parse(_two_roots_one_name())), make_policy())
    names = java.aliases(selection.kept)
    assert len(names) == 3 and len({name.casefold() for name in names}) == 3
    assert directory.file_names(selection.kept)[2] == "Example_Root_X.pem"


def test_a_label_too_long_for_a_file_name_is_shortened(work: Path) -> None:
    (work / "c.txt").write_text(certdata_text([FakeRoot("L" * 400, certificate("long"))]))
    result = run("export", "c.txt", "-f", "directory", "-o", "roots")
    assert result.exit_code == 0, result.output
    (pem,) = [path.name for path in (work / "roots").iterdir() if path.name.endswith(".pem")]
    assert len(pem.encode()) <= 255


# ---------------------------------------------------------------- unbounded work


def _lint_seconds(spaces: int) -> float:
    from certdata_tool.linting import lint
    from certdata_tool.moments import parse_moment as parse_at

    text = SAMPLE.decode().replace("BEGINDATA\n", "# " + " " * spaces + "x\nBEGINDATA\n")
    store = parse(text)
    at = parse_at("2025-01-01")
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        lint(store, at=at)
        best = min(best, time.perf_counter() - start)
    return best


def test_the_trailing_whitespace_rule_is_linear() -> None:
    """Ten times the spaces, at most about ten times the time (quadratic would be a hundred)."""
    small, large = _lint_seconds(200_000), _lint_seconds(2_000_000)
    assert large < 30 * max(small, 0.001), (small, large)


# ---------------------------------------------------------------- trust objects missing or twice


def _object_span(text: str, start_marker: str, after: str) -> tuple[int, int]:
    """Where the object starting with `start_marker` after `after` begins and the next one begins."""
    start = text.index(start_marker, text.index(after))
    end = text.find("CKA_CLASS", start + 1)
    return start, len(text) if end < 0 else end


def test_a_spec_from_diff_gives_a_certificate_its_new_trust_object(work: Path) -> None:
    """NEW adds a trust object to a certificate that had none: `diff --format spec` writes `trust:`,
    and apply makes the object (as addbuiltin would) so that OLD becomes NEW."""
    text = SAMPLE.decode()
    start, end = _object_span(text, "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST",
                              'CKA_LABEL UTF8 "Example Legacy Root"')
    (work / "old.txt").write_text(text[:start] + text[end:])
    (work / "new.txt").write_bytes(SAMPLE)
    spec = run("diff", "old.txt", "new.txt", "--format", "spec")
    assert spec.exit_code == 1, spec.output
    (work / "back.yaml").write_text(spec.stdout)
    applied = run("apply", "old.txt", "back.yaml", "-o", "back.txt", "--report", "none")
    no_traceback(applied)
    assert applied.exit_code == 0, applied.output
    after = run("diff", "back.txt", "new.txt")
    assert "no root changed" in after.stdout or after.exit_code == 0, after.output
    again = run("apply", "back.txt", "back.yaml", "--check")
    assert again.exit_code == 0, again.output  # applying it twice changes nothing


def test_trust_changes_every_trust_object_of_a_certificate(work: Path) -> None:
    """A duplicated trust object (lint CD111): NSS may read either, so `trust:` changes both."""
    text = SAMPLE.decode()
    start, end = _object_span(text, "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST",
                              'CKA_LABEL UTF8 "Example Root CA 1"')
    (work / "dup.txt").write_text(text[:end] + text[start:end] + text[end:])
    (work / "t.yaml").write_text('version: 1\nchanges:\n  - select: {label: "Example Root CA 1"}\n'
                                 "    trust: {server_auth: not_trusted}\n")
    result = run("apply", "dup.txt", "t.yaml", "-o", "out.txt", "--report", "none")
    assert result.exit_code == 0, result.output
    store = parse((work / "out.txt").read_bytes())
    trust_objects = [obj for obj in store.objects
                     if obj.object_class == "CKO_NSS_TRUST" and obj.label == "Example Root CA 1"]
    assert len(trust_objects) == 2
    for obj in trust_objects:
        server_auth = obj.attribute("CKA_TRUST_SERVER_AUTH")
        assert server_auth is not None and server_auth.value == "CKT_NSS_NOT_TRUSTED"


# ---------------------------------------------------------------- labels a reviewer reads


@pytest.mark.parametrize("args", [
    ("show", "evil.txt"),
    ("show", "evil.txt", "--format", "markdown"),
    ("diff", "in.txt", "evil.txt"),
    ("diff", "in.txt", "evil.txt", "--format", "markdown"),
    ("export", "evil.txt", "-o", "out.pem", "--explain"),
], ids=lambda args: " ".join(args))
def test_control_characters_in_a_label_cannot_forge_lines(work: Path, args: tuple[str, ...]) -> None:
    """A label with ESC and a newline (written as escapes in the file) is shown escaped: no escape
    sequence reaches the terminal and no line a reviewer reads is made up by the file."""
    (work / "in.txt").write_bytes(SAMPLE)
    forged = b'"Example Root CA 1\\x1b[2J\\nModified: Everything is fine"'
    (work / "evil.txt").write_bytes(SAMPLE.replace(b'"Example Root CA 1"', forged))
    result = run(*args)
    no_traceback(result)
    assert result.exit_code in (0, 1), result.output
    for text in (result.stdout, result.stderr):
        assert "\x1b" not in text
        assert not any(line.startswith("Modified: Everything") for line in text.splitlines())
    shown = (result.stdout + result.stderr).replace("\\\\", "\\")  # Markdown doubles backslashes
    assert "\\x1b[2J\\x0aModified: Everything is fine" in shown
