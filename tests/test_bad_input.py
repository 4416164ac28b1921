"""The bad-input matrix: malformed certdata, specs and paths, each with its exact message and exit code.

The same table is the one in docs/bad-input.md (a test checks they agree;
CERTDATA_UPDATE_GOLDEN=1 rewrites the doc's table from this file).
"""

from __future__ import annotations

import base64
import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from ccadb_report import COLUMNS, Row, rows_from_certdata, write_report
from conftest import PROJECT_ROOT
from test_spec_add import BETA, GAMMA, LEAF, pem, second
from typer.testing import CliRunner

from certdata_tool.cli import app

SAMPLE_BYTES = (PROJECT_ROOT / "samples" / "certdata.txt").read_bytes()
SAMPLE_TEXT = SAMPLE_BYTES.decode("utf-8")
DOC = PROJECT_ROOT / "docs" / "bad-input.md"
UPDATE = os.environ.get("CERTDATA_UPDATE_GOLDEN") == "1"
GOOD_SPEC = ('version: 1\nchanges:\n  - select: {label: "Example Root CA 1"}\n'
             '    distrust_after: {server: 2024-06-30}\n')
PEM_ROOT = (PROJECT_ROOT / "samples" / "roots" / "new-root.pem").read_bytes()
IS_ROOT = os.geteuid() == 0


def _line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle` in the sample file."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _cut_after(needle: str, extra: int = 0) -> bytes:
    """The sample file cut just after the first occurrence of `needle` (plus `extra` characters)."""
    end = SAMPLE_TEXT.index(needle) + len(needle) + extra
    return SAMPLE_TEXT[:end].encode("utf-8")


def _replace_line(needle: str, new: str) -> bytes:
    """The sample file with the first line containing `needle` replaced by `new`."""
    lines = SAMPLE_TEXT.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if needle in line)
    lines[index] = new
    return "".join(lines).encode("utf-8")


FIRST_VALUE = _line_of(SAMPLE_TEXT, "CKA_VALUE MULTILINE_OCTAL")  # inside the first certificate
BEGINDATA = _line_of(SAMPLE_TEXT, "BEGINDATA")
FIRST_LABEL = _line_of(SAMPLE_TEXT, 'CKA_LABEL UTF8 "Example Root CA 1"')
FIRST_BODY_LINE = SAMPLE_TEXT.splitlines()[FIRST_VALUE]  # the first line of octal escapes
NOT_A_CERTIFICATE = re.sub(r"(CKA_VALUE MULTILINE_OCTAL\n)[^E]*END\n", r"\1\\060\\003\\002\\001\\001\nEND\n",
                           SAMPLE_TEXT, count=1)


def _nested(depth: int) -> bytes:
    return ("version: 1\nchanges:\n  - select: " + "[" * depth + "]" * depth + "\n").encode()


def _billion_laughs() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    lines += ["version: 1", "changes:", "  - select: {label: *i}", "    remove: true"]
    return ("\n".join(lines) + "\n").encode()


def _many_changes(count: int) -> bytes:
    entry = '  - select: {label: "Example Root CA 1"}\n    mozilla_ca_policy: true\n'
    return ("version: 1\nchanges:\n" + entry * count).encode()


@dataclass(frozen=True)
class Case:
    """One bad input: files to create, the command line, and exactly what the tool must say."""

    name: str
    what: str  # for the doc table
    args: tuple[str, ...]
    message: str  # the whole of standard error, without the trailing newline
    code: int = 2
    files: dict[str, bytes | None] = field(default_factory=dict)  # None: make a folder
    stdin: bytes | None = None
    needs: str | None = None  # a command or feature that must exist, else the case is skipped
    unless_root: bool = False  # root can write anywhere: the case cannot happen
    # Only where the wording belongs to a module still being written: a regex the whole of standard
    # error must match (exit code, one line and location are still checked exactly).
    pattern: str | None = None
    links: dict[str, str] = field(default_factory=dict)  # symbolic links: name -> target
    hard_links: dict[str, str] = field(default_factory=dict)  # second names: name -> existing file
    modes: dict[str, int] = field(default_factory=dict)  # chmod after the files are made


CERTDATA_CASES = [
    Case("empty-file", "an empty file", ("show", "in.txt"),
         "certdata-tool: error: in.txt:1: empty file: expected a certdata.txt with a BEGINDATA line",
         files={"in.txt": b""}),
    Case("no-begindata", "text that is not certdata (no BEGINDATA line)", ("show", "in.txt"),
         "certdata-tool: error: in.txt:2: no BEGINDATA line: this is not a certdata.txt file",
         files={"in.txt": b"hello\nworld\n"}),
    Case("binary-garbage", "binary garbage (a PNG header)", ("show", "in.txt"),
         "certdata-tool: error: in.txt:1: not valid UTF-8 (byte 0x89); certdata.txt is UTF-8 text",
         files={"in.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))}),
    Case("utf16", "the sample file saved as UTF-16", ("show", "in.txt"),
         "certdata-tool: error: in.txt:1: not valid UTF-8 (byte 0xff); certdata.txt is UTF-8 text",
         files={"in.txt": SAMPLE_TEXT.encode("utf-16")}),
    Case("latin1-label", "a label in Latin-1, not UTF-8 (as in NSS's file of 2009): read, warned once",
         ("show", "in.txt"),
         f"certdata-tool: warning: in.txt:{FIRST_LABEL}: not valid UTF-8: read as Latin-1 for display, kept "
         "byte for byte", code=0,
         files={"in.txt": SAMPLE_BYTES.replace(b'UTF8 "Example Root CA 1"', b'UTF8 "Exempl\xe9 Root CA 1"',
                                               1)}),
    Case("latin1-outside-label", "a Latin-1 byte outside labels and comments", ("show", "in.txt"),
         f"certdata-tool: error: in.txt:{BEGINDATA + 2}: not valid UTF-8 (byte 0xe9); certdata.txt is "
         "UTF-8 text",
         files={"in.txt": SAMPLE_BYTES.replace(b"CKA_TOKEN CK_BBOOL CK_TRUE",
                                               b"CKA_TOKEN CK_BBOOL CK_TRU\xe9", 1)}),
    Case("octal-c-terminator", "a MULTILINE_OCTAL value ended by a `\\0` line (NSS's files of 2000): read",
         ("show", "in.txt"), "", code=0,
         files={"in.txt": SAMPLE_BYTES.replace(b"END\n", b"\\0\nEND\n", 1)}),
    Case("label-x-without-hex", "a label escape `\\x` without hex digits (NUL, as Perl reads it)",
         ("show", "in.txt", "--format", "json"), "", code=0,
         files={"in.txt": SAMPLE_BYTES.replace(b'"Example Root CA 1"', b'"Ex\\xzz Root"')}),
    Case("nul-bytes", "NUL bytes in place of an attribute line", ("show", "in.txt"),
         f"certdata-tool: error: in.txt:{BEGINDATA + 1}: cannot read attribute line '\\x00\\x00\\x00\\x00': "
         "expected NAME TYPE VALUE",
         files={"in.txt": _cut_after("BEGINDATA\n") + b"\x00\x00\x00\x00\n" + SAMPLE_BYTES}),
    Case("cut-in-header", "cut in the header, before BEGINDATA", ("show", "in.txt"),
         f"certdata-tool: error: in.txt:{BEGINDATA - 1}: no BEGINDATA line: this is not a certdata.txt file",
         files={"in.txt": _cut_after("BEGINDATA")[: -len("BEGINDATA") - 1]}),
    Case("cut-in-name", "cut inside an attribute name", ("show", "in.txt"),
         f"certdata-tool: error: in.txt:{BEGINDATA + 1}: cannot read attribute line 'CKA_CL': "
         "expected NAME TYPE VALUE",
         files={"in.txt": _cut_after("BEGINDATA\nCKA_CL")}),
    Case("cut-after-type", "cut after an attribute's type (no value)", ("show", "in.txt"),
         f"certdata-tool: error: in.txt:{BEGINDATA + 1}: CKA_CLASS CK_OBJECT_CLASS has no value",
         files={"in.txt": _cut_after("BEGINDATA\nCKA_CLASS CK_OBJECT_CLASS ")}),
    Case("cut-in-octal", "cut inside a MULTILINE_OCTAL value", ("show", "in.txt"),
         f"certdata-tool: error: in.txt:{FIRST_VALUE}: unterminated MULTILINE_OCTAL value of CKA_VALUE: "
         "no END line before the end of the file",
         files={"in.txt": _cut_after("CKA_VALUE MULTILINE_OCTAL\n", 200)}),
    Case("cut-in-escape", "cut in the middle of an octal escape, then END", ("show", "in.txt"),
         f"certdata-tool: error: in.txt:{FIRST_VALUE + 1}: bad octal escape in MULTILINE_OCTAL value of "
         f"CKA_VALUE: '{FIRST_BODY_LINE[:14]}' is not \\ooo groups",
         files={"in.txt": _cut_after("CKA_VALUE MULTILINE_OCTAL\n", 14) + b"\nEND\n"}),
    Case("cut-in-end", "cut inside the END line (`EN`)", ("show", "in.txt"),
         f"certdata-tool: error: in.txt:{FIRST_VALUE}: unterminated MULTILINE_OCTAL value of CKA_VALUE: "
         "no END line before the end of the file",
         files={"in.txt": _cut_after("CKA_VALUE MULTILINE_OCTAL\n")
                + SAMPLE_TEXT.split("CKA_VALUE MULTILINE_OCTAL\n", 1)[1].split("END\n", 1)[0].encode()
                + b"EN"}),
    Case("cut-in-label", "cut inside a quoted label", ("show", "in.txt"),
         f"certdata-tool: error: in.txt:{FIRST_LABEL}: unterminated UTF8 string in CKA_LABEL: no closing "
         "quote",
         files={"in.txt": _cut_after('CKA_LABEL UTF8 "Example Ro')}),
    Case("octal-out-of-range", "an octal escape above \\377", ("show", "in.txt"),
         f"certdata-tool: error: in.txt:{FIRST_VALUE + 1}: bad octal escape in MULTILINE_OCTAL value of "
         "CKA_VALUE: '\\400' is not \\ooo groups",
         files={"in.txt": _cut_after("CKA_VALUE MULTILINE_OCTAL\n") + b"\\400\nEND\n"}),
    Case("attribute-before-class", "an attribute before any CKA_CLASS", ("show", "in.txt"),
         f"certdata-tool: error: in.txt:{BEGINDATA + 1}: CKA_TOKEN outside an object: the first attribute "
         "after BEGINDATA must be CKA_CLASS",
         files={"in.txt": _cut_after("BEGINDATA\n") + b"CKA_TOKEN CK_BBOOL CK_TRUE\n"}),
    Case("huge-line", "a 4 MB line of garbage", ("show", "in.txt"),
         f"certdata-tool: error: in.txt:{BEGINDATA + 1}: cannot read attribute line "
         f"'{'A' * 60}': expected NAME TYPE VALUE",
         files={"in.txt": _cut_after("BEGINDATA\n") + b"A" * 4_000_000 + b"\n"}),
    Case("cr-line-ends", "old Mac line ends (CR only): one long line", ("show", "in.txt"),
         "certdata-tool: error: in.txt:1: no BEGINDATA line: this is not a certdata.txt file",
         files={"in.txt": SAMPLE_BYTES.replace(b"\n", b"\r")}),
    Case("not-a-certificate", "a CKA_VALUE that is DER but not a certificate (warned, not fatal)",
         ("show", "in.txt", "--format", "json"),
         f"certdata-tool: warning: in.txt:{_line_of(NOT_A_CERTIFICATE, 'CLASS CKO_CERTIFICATE')}: "
         "Example Root CA 1: "
         "no trust object: NSS gives this certificate no trust at all (the file may be cut off, or the trust "
         "object was removed)\n"
         f"certdata-tool: warning: in.txt:{_line_of(NOT_A_CERTIFICATE, 'CLASS CKO_NSS_TRUST')}: "
         "Example Root CA 1: a trust object with positive trust matches no certificate in the file "
         "(server_auth, email_protection)",
         code=0, files={"in.txt": NOT_A_CERTIFICATE.encode()}),
    Case("missing-file", "a file that does not exist", ("show", "nowhere.txt"),
         "certdata-tool: error: nowhere.txt: no such file"),
    Case("directory", "a folder instead of a file", ("show", "folder"),
         "certdata-tool: error: folder: is a directory, expected a file", files={"folder": None}),
    Case("stdin-garbage", "garbage on standard input (`-`)", ("show", "-"),
         "certdata-tool: error: <stdin>:1: not valid UTF-8 (byte 0xff); certdata.txt is UTF-8 text",
         stdin=b"\xff\xfe\x00garbage"),
    Case("diff-bad-new", "`diff` with a malformed NEW file", ("diff", "old.txt", "new.txt"),
         "certdata-tool: error: new.txt:1: empty file: expected a certdata.txt with a BEGINDATA line",
         files={"old.txt": SAMPLE_BYTES, "new.txt": b""}, needs="diff"),
    Case("diff-two-stdin", "`diff - -`", ("diff", "-", "-"),
         "certdata-tool: error: OLD and NEW cannot both be - (standard input can be read only once)",
         needs="diff"),
    Case("lint-binary", "`lint` of binary garbage", ("lint", "in.txt"),
         "certdata-tool: error: in.txt:1: not valid UTF-8 (byte 0x89); certdata.txt is UTF-8 text",
         files={"in.txt": b"\x89PNG\r\n\x1a\n"}, needs="lint"),
    Case("export-truncated", "`export` of a truncated file", ("export", "in.txt", "-o", "out.pem"),
         f"certdata-tool: error: in.txt:{FIRST_VALUE}: unterminated MULTILINE_OCTAL value of CKA_VALUE: "
         "no END line before the end of the file",
         files={"in.txt": _cut_after("CKA_VALUE MULTILINE_OCTAL\n", 200)}, needs="export"),
]

def _spec(name: str, what: str, spec: bytes | str, message: str, *, pattern: str | None = None,
          needs: str = "apply", extra: dict[str, bytes | None] | None = None) -> Case:
    """`certdata-tool apply in.txt spec.yaml` on the sample file, with this spec."""
    data = spec.encode() if isinstance(spec, str) else spec
    files: dict[str, bytes | None] = {"in.txt": SAMPLE_BYTES, "spec.yaml": data, **(extra or {})}
    return Case(name, what, ("apply", "in.txt", "spec.yaml"), message, files=files, needs=needs,
                pattern=pattern)


def _good(old: str, new: str) -> str:
    """The good spec with one piece of text replaced."""
    assert old in GOOD_SPEC
    return GOOD_SPEC.replace(old, new)


SELECT_ROOT = 'version: 1\nchanges:\n  - select: {label: "Example Root CA 1"}\n'
ADD_ROOT = "version: 1\nchanges:\n  - add:\n      certificate: {}\n      label: New Root\n" \
           "      trust: {{server_auth: trusted_delegator}}\n"
ERROR = "certdata-tool: error: spec.yaml"

SPEC_CASES = [
    Case("spec-missing", "a spec that does not exist", ("apply", "in.txt", "nowhere.yaml"),
         "certdata-tool: error: nowhere.yaml: no such file", files={"in.txt": SAMPLE_BYTES}, needs="apply"),
    Case("spec-directory", "a folder instead of a spec", ("apply", "in.txt", "folder"),
         "certdata-tool: error: folder: is a directory, expected a file",
         files={"in.txt": SAMPLE_BYTES, "folder": None}, needs="apply"),
    _spec("spec-empty", "an empty spec", "",
          f"{ERROR}:1: empty spec: expected a mapping with version: 1 and changes"),
    _spec("spec-yaml-syntax", "YAML that does not parse (unclosed bracket)",
          "version: 1\nchanges: [\n  - select: {label: x}\n",
          f"{ERROR}:3: invalid YAML: expected the node content, but found '-' (while parsing a flow node "
          "on line 3)"),
    _spec("spec-list", "a list instead of a mapping", "- version: 1\n",
          f"{ERROR}:1: expected a mapping with version: 1 and changes, found a list"),
    _spec("spec-no-version", "no `version`", _good("version: 1\n", ""),
          f"{ERROR}:1: version: missing; a change spec starts with version: 1"),
    _spec("spec-version-2", "`version: 2`", _good("version: 1", "version: 2"),
          f"{ERROR}:1: version: unsupported version 2; this certdata-tool reads version 1"),
    _spec("spec-unknown-key", "an unknown key (a typo)", _good("distrust_after", "distrust_afer"),
          f"{ERROR}:4: changes[0].distrust_afer: unknown key; expected select, distrust_after, trust, "
          "mozilla_ca_policy, rename or remove (did you mean distrust_after?)"),
    _spec("spec-empty-changes", "`changes: []`", "version: 1\nchanges: []\n",
          f"{ERROR}:2: changes: is empty; list at least one change"),
    _spec("spec-bad-trust", "a trust value that does not exist",
          SELECT_ROOT + "    trust: {server_auth: trusted_deleg}\n",
          f"{ERROR}:4: changes[0].trust.server_auth: unknown trust value 'trusted_deleg' (expected one of "
          "trusted_delegator, must_verify_trust, not_trusted, trusted, valid_delegator, trust_unknown)"),
    _spec("spec-trust-number", "a number where a trust value belongs",
          SELECT_ROOT + "    trust: {server_auth: 3}\n",
          f"{ERROR}:4: changes[0].trust.server_auth: expected a trust value such as must_verify_trust, "
          "found an integer (3)"),
    _spec("spec-date-2050", "a date after 2049 (UTCTime cannot hold it)", _good("2024-06-30", "2050-01-01"),
          f"{ERROR}:4: changes[0].distrust_after.server: 2050-01-01 is outside 1950-2049, which a UTCTime "
          "distrust-after value cannot express"),
    _spec("spec-date-invalid", "February 30th", _good("2024-06-30", "2024-02-30"),
          f"{ERROR}:4: changes[0].distrust_after.server: '2024-02-30' is not a valid date: day is out of "
          "range for month"),
    _spec("spec-date-number", "a date written as a number (20240630)", _good("2024-06-30", "20240630"),
          f"{ERROR}:4: changes[0].distrust_after.server: expected 2024-06-30 or 2024-06-30T23:59:59Z "
          "(or null), found an integer (20240630)"),
    _spec("spec-date-day-first", "a day-first date (30.06.2024)", _good("2024-06-30", "30.06.2024"),
          f"{ERROR}:4: changes[0].distrust_after.server: '30.06.2024': expected 2024-06-30 or "
          "2024-06-30T23:59:59Z"),
    _spec("spec-no-match", "a selector that matches no root", _good("Example Root CA 1", "No Such"),
          f"{ERROR}:3: changes[0].select: no root matches label=No Such"),
    _spec("spec-no-match-typo", "a selector with a typo in the label",
          _good("Example Root CA 1", "Exmaple Root CA 1"),
          f'{ERROR}:3: changes[0].select: no root matches label=Exmaple Root CA 1 (did you mean '
          '"Example Root CA 1"?)'),
    _spec("spec-remove-typo", "a `remove` by label with a typo (the root would stay trusted)",
          'version: 1\nchanges:\n  - select: {label: "Example Legacy Rot"}\n    remove: true\n',
          f'{ERROR}:3: changes[0].select: no root matches label=Example Legacy Rot (did you mean '
          '"Example Legacy Root"?)\nhint: a removal by label must name a root; select it by sha256 as '
          "well, so that re-running the spec after the removal is safe"),
    _spec("spec-list-item-no-match", "the second selector of a `select` list matches nothing",
          'version: 1\nchanges:\n  - select:\n      - {label: "Example Root CA 1"}\n'
          '      - {sha256: "00000000"}\n    mozilla_ca_policy: true\n',
          f"{ERROR}:5: changes[0].select[1]: no root matches sha256=00000000"),
    _spec("spec-short-prefix", "a SHA-256 prefix shorter than 8 hex digits",
          'version: 1\nchanges:\n  - select: {sha256: "D57314"}\n    mozilla_ca_policy: true\n',
          f"{ERROR}:3: changes[0].select.sha256: sha256 must be 64 hex digits, or a unique prefix of at "
          "least 8 (colons and spaces allowed), got 'D57314'"),
    _spec("spec-python-tag", "a YAML tag that runs code in unsafe loaders",
          'version: 1\nchanges:\n  - select: {label: !!python/object/apply:os.system ["echo pwned"]}\n'
          "    remove: true\n",
          f"{ERROR}:3: the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed in a change "
          "spec; write plain values"),
    _spec("spec-custom-tag", "an unknown local tag", _good("2024-06-30", "!date 2024-06-30"),
          f"{ERROR}:4: the tag !date is not allowed in a change spec; write plain values"),
    _spec("spec-billion-laughs", "an anchors-and-aliases bomb (9^9 strings)", _billion_laughs(),
          f"{ERROR}:1: anchors and aliases (&name, *name) are not allowed in a change spec; write each "
          "value out"),
    _spec("spec-deep-nesting", "1 000 nested lists (deeper than Python's recursion limit)", _nested(1_000),
          f"{ERROR}:3: the spec nests lists and mappings more than 20 levels deep; a change spec needs 4"),
    _spec("spec-huge", "a 2 MB spec (30 000 changes)", _many_changes(30_000),
          f"{ERROR}: the spec is 2070020 bytes, more than the limit of 1000000 (1 MB); a change spec is a "
          "short text"),
    _spec("spec-utf16", "a spec saved as UTF-16", GOOD_SPEC.encode("utf-16"),
          f"{ERROR}:1: not valid UTF-8 (byte 0xff); a change spec is UTF-8 text"),
    _spec("spec-tabs", "indentation with a tab", _good("    distrust", "\tdistrust"),
          f"{ERROR}:4: invalid YAML: a tab in column 1: YAML does not allow tabs for indentation; indent "
          "with spaces"),
    _spec("spec-bad-label", "`rename` to a label with a quote", SELECT_ROOT + "    rename: 'Say \"hi\"'\n",
          f"{ERROR}:4: changes[0].rename: the new label 'Say \"hi\"' contains '\"', which a CKA_LABEL "
          "cannot hold"),
    _spec("spec-lone-surrogate", "a lone surrogate from a YAML escape (`\"\\udc00\"`)",
          SELECT_ROOT + '    rename: "A\\udc00B"\n',
          f"{ERROR}:4: changes[0].rename: the string holds \\udc00, a lone surrogate (half of a UTF-16 "
          "pair), which is not a character; write the character itself"),
    _spec("spec-huge-bug", "a 5000-digit `bug:`",
          "version: 1\nbug: " + "9" * 5000 + "\nchanges:\n" + GOOD_SPEC.split("changes:\n", 1)[1],
          f"{ERROR}:2: bug: a number of 5000 characters is far too long"),
    _spec("spec-add-missing-pem", "`add` of a certificate file that does not exist",
          ADD_ROOT.format("nowhere.pem"),
          f"{ERROR}:4: changes[0].add.certificate: nowhere.pem (relative to the spec's folder): no such file",
          needs="add"),
    _spec("spec-add-garbage-pem", "`add` of a file that is not a certificate", ADD_ROOT.format("cert.pem"),
          f"{ERROR}:4: changes[0].add.certificate: cert.pem is not a certificate: not a DER certificate: "
          "expected one SEQUENCE", needs="add",
          extra={"cert.pem": b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}),
]

OUTPUT_CASES = [
    Case("output-directory", "`-o` names a folder", ("apply", "in.txt", "spec.yaml", "-o", "folder"),
         "certdata-tool: error: folder: is a directory, expected a file",
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode(), "folder": None}, needs="apply"),
    Case("output-no-folder", "`-o` in a folder that does not exist",
         ("apply", "in.txt", "spec.yaml", "-o", "nowhere/out.txt"),
         "certdata-tool: error: nowhere/out.txt: cannot write: folder 'nowhere' does not exist",
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode()}, needs="apply"),
    Case("output-under-a-file", "`-o` under a path that is a file",
         ("apply", "in.txt", "spec.yaml", "-o", "in.txt/out"),
         "certdata-tool: error: in.txt/out: cannot write: folder 'in.txt' does not exist",
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode()}, needs="apply"),
    Case("output-read-only-folder", "`-o` in a folder without write permission",
         ("apply", "in.txt", "spec.yaml", "-o", "locked/out.txt"),
         "certdata-tool: error: locked/out.txt: cannot write: Permission denied",
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode(), "locked": None}, needs="apply",
         unless_root=True),
    Case("output-sysfs", "`-o` where nobody may create files (/sys/kernel)",
         ("apply", "in.txt", "spec.yaml", "-o", "/sys/kernel/certdata-out.txt"),
         "certdata-tool: error: /sys/kernel/certdata-out.txt: cannot write: Permission denied",
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode()}, needs="sysfs"),
    Case("in-place-stdin", "`--in-place` with standard input", ("apply", "-", "spec.yaml", "--in-place"),
         "certdata-tool: error: --in-place needs a file, not - (standard input)",
         files={"spec.yaml": GOOD_SPEC.encode()}, stdin=SAMPLE_BYTES, needs="apply"),
    Case("export-pem-to-folder", "`export -o` names a folder", ("export", "in.txt", "-o", "folder"),
         "certdata-tool: error: folder: is a directory, expected a file",
         files={"in.txt": SAMPLE_BYTES, "folder": None}, needs="export"),
]

LINK_CASES = [
    Case("output-is-input", "`export -o` names the input", ("export", "in.txt", "-o", "in.txt"),
         "certdata-tool: error: in.txt: is also an input of this command; writing it would destroy the "
         "input, so nothing was written\nhint: write to another file", files={"in.txt": SAMPLE_BYTES}),
    Case("output-links-to-input", "`spec add -o` names a link to the input",
         ("spec", "add", "root.pem", "-o", "link.pem"),
         "certdata-tool: error: link.pem: is also an input of this command (root.pem); writing it would "
         "destroy the input, so nothing was written\nhint: write to another file",
         files={"root.pem": PEM_ROOT}, links={"link.pem": "root.pem"}),
    Case("output-trailing-slash", "`-o bundle/` (a file name ending in a slash)",
         ("export", "in.txt", "-o", "bundle/"),
         "certdata-tool: error: bundle/: names a folder, expected a file name",
         files={"in.txt": SAMPLE_BYTES}),
    Case("output-dangling-link", "`-o` names a link into a folder that does not exist",
         ("export", "in.txt", "-o", "out.pem"),
         "certdata-tool: error: out.pem: cannot write: it is a symbolic link to 'gone/out.pem', whose folder "
         "does not exist", files={"in.txt": SAMPLE_BYTES}, links={"out.pem": "gone/out.pem"}),
    Case("directory-export-here", "`export --format directory -o .`",
         ("export", "in.txt", "--format", "directory", "-o", "."),
         "certdata-tool: error: .: is the folder you are in (or holds it), which cannot be replaced\n"
         "hint: name the folder to write, such as -o certs", files={"in.txt": SAMPLE_BYTES}),
    Case("manifest-dev-zero", "a directory export's manifest that links to /dev/zero",
         ("export", "in.txt", "--format", "directory", "-o", "roots"),
         "certdata-tool: error: roots: .certdata-tool-export is a symbolic link, not a file certdata-tool "
         "wrote; refusing to replace the folder\n"
         "hint: export into a new or empty folder, or remove this one first",
         files={"in.txt": SAMPLE_BYTES, "roots": None}, links={"roots/.certdata-tool-export": "/dev/zero"}),
    Case("in-place-hard-link", "`--in-place` on a file with a second hard link",
         ("apply", "in.txt", "spec.yaml", "--in-place"),
         "certdata-tool: error: in.txt: has 2 hard links; replacing it would leave the other names with the "
         "old content, so nothing was written\n"
         "hint: write to a new file, or give this name its own copy first "
         "(cp FILE FILE.new && mv FILE.new FILE)",
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode()}, hard_links={"other.txt": "in.txt"}),
    Case("in-place-read-only", "`--in-place` on a read-only (0444) file",
         ("apply", "in.txt", "spec.yaml", "--in-place"),
         "certdata-tool: error: in.txt: is read-only (mode 0444); nothing was written\n"
         "hint: make it writable (chmod u+w) if it is meant to change",
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode()}, modes={"in.txt": 0o444}),
    Case("in-place-nssckbi-read-only",
         "`--in-place --nssckbi` with a read-only nssckbi.h: certdata not changed",
         ("apply", "in.txt", "spec.yaml", "--in-place", "--nssckbi", "nssckbi.h"),
         "certdata-tool: error: nssckbi.h: is read-only (mode 0444); nothing was written\n"
         "hint: make it writable (chmod u+w) if it is meant to change",
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode(),
                "nssckbi.h": b'#define NSS_BUILTINS_LIBRARY_VERSION_MAJOR 2\n'
                             b'#define NSS_BUILTINS_LIBRARY_VERSION_MINOR 68\n'
                             b'#define NSS_BUILTINS_LIBRARY_VERSION "2.68"\n'}, modes={"nssckbi.h": 0o444}),
]

OPTION_CASES = [
    Case("show-root-typo", "`show --root` with a typo in the label", ("show", "in.txt", "--root",
                                                                       "label=Example Email Rot"),
         'certdata-tool: error: --root: no root matches label=Example Email Rot (did you mean '
         '"Example Email Root"?)', files={"in.txt": SAMPLE_BYTES}),
    Case("lint-bad-at", "`lint --at` with a month 13", ("lint", "in.txt", "--at", "2024-13-01"),
         "certdata-tool: error: --at '2024-13-01': not a valid date: month must be in 1..12",
         files={"in.txt": SAMPLE_BYTES}, needs="lint"),
    Case("lint-at-past-9999", "`lint --at` in 9999 with an offset that makes it 10000 in UTC",
         ("lint", "in.txt", "--at", "9999-12-31T23:59:59-01:00"),
         "certdata-tool: error: --at '9999-12-31T23:59:59-01:00': not a valid date: in UTC it falls outside "
         "the years 1 to 9999", files={"in.txt": SAMPLE_BYTES}),
    Case("export-at-before-1", "`export --at` in year 1 with an offset that makes it year 0 in UTC",
         ("export", "in.txt", "-o", "out.pem", "--at", "0001-01-01T00:00:00+01:00"),
         "certdata-tool: error: --at '0001-01-01T00:00:00+01:00': not a valid date: in UTC it falls outside "
         "the years 1 to 9999", files={"in.txt": SAMPLE_BYTES}),
    Case("export-bad-at", "`export --at` with a word",
         ("export", "in.txt", "-o", "out.pem", "--at", "yesterday"),
         "certdata-tool: error: --at 'yesterday': expected 2024-06-30 or 2024-06-30T23:59:59Z",
         files={"in.txt": SAMPLE_BYTES}, needs="export"),
    Case("export-grace-no-at", "`export --distrust-after grace` without `--at`",
         ("export", "in.txt", "-o", "out.pem", "--distrust-after", "grace"),
         "certdata-tool: error: --distrust-after grace needs --at DATE\n"
         "hint: grace keeps a root until DATE is more than 398 days past its distrust-after date; the tool "
         "never reads the clock by itself", files={"in.txt": SAMPLE_BYTES}, needs="export"),
]

SPEC_ADD_CASES = [
    Case("spec-add-root-missing", "`spec add` of a certificate that does not exist",
         ("spec", "add", "nowhere.pem"),
         "certdata-tool: error: nowhere.pem: no such file", needs="spec"),
    Case("spec-add-root-garbage", "`spec add` of binary garbage", ("spec", "add", "junk.pem"),
         "certdata-tool: error: junk.pem is not a certificate: expected PEM (-----BEGIN CERTIFICATE-----) or "
         "DER (a file starting with a SEQUENCE)", files={"junk.pem": b"garbage\x00\xff"}, needs="spec"),
    Case("spec-add-not-a-ca", "`spec add` of a bundle holding a server certificate (not a CA)",
         ("spec", "add", "chain.pem"),
         f"certdata-tool: error: chain.pem:{second(BETA)}: certificate 2 of 2: not a CA certificate "
         "(CN=www.example.test,C=XX): its basicConstraints says cA is false; a root must be a CA",
         files={"chain.pem": pem(BETA, LEAF)}, needs="spec"),
    Case("spec-add-label-for-two", "`spec add --label` with a bundle of two certificates",
         ("spec", "add", "bundle.pem", "--label", "One Root"),
         "certdata-tool: error: one label given for 2 certificates: a label names one root\n"
         "hint: without a label each root takes its subject's CN (else OU, else O)",
         files={"bundle.pem": pem(BETA, GAMMA)}, needs="spec"),
    Case("spec-add-trust-word", "`spec add --trust` with a word it does not know",
         ("spec", "add", "root.pem", "--trust", "websites"),
         "certdata-tool: error: --trust 'websites': expected server, email or code-signing (or USAGE=VALUE "
         "with USAGE one of server_auth, email_protection, code_signing)",
         files={"root.pem": PEM_ROOT}, needs="spec"),
    Case("spec-add-bad-trust", "`spec add --trust` with an unknown value",
         ("spec", "add", "root.pem", "--trust", "server_auth=bogus"),
         "certdata-tool: error: --trust 'server_auth=bogus': unknown trust value 'bogus' (expected one of "
         "trusted_delegator, must_verify_trust, not_trusted, trusted, valid_delegator, trust_unknown)",
         files={"root.pem": PEM_ROOT}, needs="spec"),
]


# Issue 17: a file in the wrong place, a tab, a date in words. The error says what is wrong in the
# file; the hint says what the file looks like by its content (whatever its name) and what to do.
NSSCKBI_H = (b"#ifndef NSSCKBI_H\n#define NSSCKBI_H\n#define NSS_BUILTINS_LIBRARY_VERSION_MAJOR 2\n"
             b"#define NSS_BUILTINS_LIBRARY_VERSION_MINOR 68\n#define NSS_BUILTINS_LIBRARY_VERSION \"2.68\"\n"
             b"#endif\n")
DER_ROOT = base64.b64decode(b"".join(PEM_ROOT.splitlines()[1:-1]))
SPEC_LINES = GOOD_SPEC.count("\n")
PEM_LINES = PEM_ROOT.count(b"\n")
FIRST_CERTIFICATE = _line_of(SAMPLE_TEXT, "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE")
NOT_CERTDATA = "no BEGINDATA line: this is not a certdata.txt file"
WORDS_HINT = ("hint: write server: 2024-06-30 (00:00:00 UTC, the day's start) or server: "
              "2024-06-30T23:59:59Z (its last second, as NSS writes dates since late 2024)")
WORDS = "is a date in words"
EXPECTED_DATE = "expected 2024-06-30 or 2024-06-30T23:59:59Z"


def _looks(name: str, kind: str, expected: str, where: str) -> str:
    """The hint line for a file that looks like another input than the one expected."""
    return f"hint: {name} looks like {kind}, not {expected}; {where}"


SPEC_ADD_IT = "certdata-tool spec add {} writes a spec that adds it"
NO_CERTIFICATE = "expected PEM (-----BEGIN CERTIFICATE-----) or DER (a file starting with a SEQUENCE)"

MISTAKE_CASES = [
    Case("apply-swapped", "`apply SPEC CERTDATA`: the two arguments swapped",
         ("apply", "spec.yaml", "in.txt"),
         f"certdata-tool: error: spec.yaml:{SPEC_LINES}: {NOT_CERTDATA}\n"
         "hint: the arguments look swapped (spec.yaml is a change spec, in.txt a certdata.txt): "
         "certdata-tool apply in.txt spec.yaml",
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode()}),
    Case("certdata-is-spec", "a change spec given as CERTDATA (whatever its name)", ("show", "roots.txt"),
         f"certdata-tool: error: roots.txt:{SPEC_LINES}: {NOT_CERTDATA}\n"
         + _looks("roots.txt", "a change spec", "a certdata.txt",
                  "certdata-tool apply CERTDATA SPEC takes it after the certdata file"),
         files={"roots.txt": GOOD_SPEC.encode()}),
    Case("certdata-is-nssckbi", "NSS's `nssckbi.h` given as CERTDATA", ("apply", "nssckbi.h", "spec.yaml"),
         f"certdata-tool: error: nssckbi.h:6: {NOT_CERTDATA}\n"
         + _looks("nssckbi.h", "NSS's nssckbi.h", "a certdata.txt", "apply bumps its version with --nssckbi "
                  "nssckbi.h"),
         files={"nssckbi.h": NSSCKBI_H, "spec.yaml": GOOD_SPEC.encode()}),
    Case("certdata-is-pem", "a PEM certificate given as CERTDATA", ("lint", "certdata.txt"),
         f"certdata-tool: error: certdata.txt:{PEM_LINES}: {NOT_CERTDATA}\n"
         + _looks("certdata.txt", "a PEM certificate", "a certdata.txt", SPEC_ADD_IT.format("certdata.txt")),
         files={"certdata.txt": PEM_ROOT}),
    Case("certdata-is-der", "a DER certificate given as CERTDATA", ("export", "root.der", "-o", "out.pem"),
         f"certdata-tool: error: root.der:1: not valid UTF-8 (byte 0x{DER_ROOT[1]:02x}); certdata.txt is "
         "UTF-8 text\n"
         + _looks("root.der", "a DER certificate", "a certdata.txt", SPEC_ADD_IT.format("root.der")),
         files={"root.der": DER_ROOT}),
    Case("spec-is-certdata", "a certdata.txt given as SPEC", ("apply", "in.txt", "new.txt"),
         f"certdata-tool: error: new.txt:{FIRST_CERTIFICATE}: invalid YAML: expected '<document start>', "
         "but found '<scalar>'\n"
         + _looks("new.txt", "a certdata.txt", "a change spec", "certdata-tool apply CERTDATA SPEC takes it "
                  "first"),
         files={"in.txt": SAMPLE_BYTES, "new.txt": SAMPLE_BYTES}),
    Case("spec-is-pem", "a PEM certificate given as SPEC", ("apply", "in.txt", "root.pem"),
         "certdata-tool: error: root.pem:1: expected a mapping with version: 1 and changes, found a string "
         "('-----BEGIN CERTIFICATE----- " + PEM_ROOT.decode().splitlines()[1][:31] + "... (592 characters))\n"
         + _looks("root.pem", "a PEM certificate", "a change spec", SPEC_ADD_IT.format("root.pem")),
         files={"in.txt": SAMPLE_BYTES, "root.pem": PEM_ROOT}),
    _spec("spec-tab-after-spaces", "a tab after two spaces of indentation",
          _good("    distrust", "  \tdistrust"),
          f"{ERROR}:4: invalid YAML: a tab in column 3: YAML does not allow tabs for indentation; indent "
          "with spaces"),
    _spec("spec-tab-separator", "a tab between a key and its value",
          SELECT_ROOT + "    mozilla_ca_policy:\ttrue\n",
          f"{ERROR}:4: invalid YAML: a tab in column 23: this YAML reader takes only spaces between keys, "
          "values and comments"),
    _spec("spec-date-words-flow", "`distrust_after: {server: June 30, 2024}` (unquoted: the comma splits it)",
          _good("{server: 2024-06-30}", "{server: June 30, 2024}"),
          f"{ERROR}:4: changes[0].distrust_after.server: 'June 30, 2024' {WORDS} (inside {{ }} its comma "
          f"ended the value); {EXPECTED_DATE}\n{WORDS_HINT}"),
    _spec("spec-date-words", "`server: June 30, 2024` on its own line",
          SELECT_ROOT + "    distrust_after:\n      server: June 30, 2024\n",
          f"{ERROR}:5: changes[0].distrust_after.server: 'June 30, 2024' {WORDS}; {EXPECTED_DATE}\n"
          f"{WORDS_HINT}"),
    _spec("spec-date-nss-comment", "a date copied from NSS's comment (`Sun Jun 30 00:00:00 2024`)",
          SELECT_ROOT + "    distrust_after:\n      server: Sun Jun 30 00:00:00 2024\n",
          f"{ERROR}:5: changes[0].distrust_after.server: 'Sun Jun 30 00:00:00 2024' {WORDS}; "
          f"{EXPECTED_DATE}\nhint: write server: 2024-06-30T00:00:00Z"),
    Case("spec-add-certdata", "`spec add` of a certdata.txt instead of a certificate",
         ("spec", "add", "in.txt"),
         f"certdata-tool: error: in.txt is not a certificate: {NO_CERTIFICATE}\n"
         + _looks("in.txt", "a certdata.txt", "a PEM certificate",
                  "certdata-tool apply CERTDATA SPEC takes it first"),
         files={"in.txt": SAMPLE_BYTES}, needs="spec"),
    Case("spec-add-spec", "`spec add ROOT SPEC`: a spec among the certificates",
         ("spec", "add", "root.pem", "spec.yaml"),
         f"certdata-tool: error: spec.yaml is not a certificate: {NO_CERTIFICATE}\n"
         + _looks("spec.yaml", "a change spec", "a PEM certificate",
                  "certdata-tool apply CERTDATA SPEC takes it after the certdata file"),
         files={"root.pem": PEM_ROOT, "spec.yaml": GOOD_SPEC.encode()}, needs="spec"),
    Case("lint-at-words", "`lint --at \"June 30, 2024\"`", ("lint", "in.txt", "--at", "June 30, 2024"),
         f"certdata-tool: error: --at 'June 30, 2024': {EXPECTED_DATE}\nhint: write --at 2024-06-30",
         files={"in.txt": SAMPLE_BYTES}),
]


REPORT_ROWS = rows_from_certdata(SAMPLE_BYTES)  # CCADB's report as it would be for the sample file


def _report(change: Callable[[list[Row]], None] | None = None, columns: Sequence[str] = COLUMNS) -> bytes:
    """The generated CCADB report of the sample file, with `change` made to its rows first."""
    table = [dict(row) for row in REPORT_ROWS]
    if change is not None:
        change(table)
    return write_report(table, columns=columns)


def _record_line(report: bytes, index: int) -> int:
    """The line (counted by LF) where data record `index` of the generated report starts."""
    fingerprint = REPORT_ROWS[index]["SHA-256 Fingerprint"].encode()
    return report.count(b"\n", 0, report.index(fingerprint)) + 1


def _set(index: int, column: str, value: str) -> Callable[[list[Row]], None]:
    def change(table: list[Row]) -> None:
        table[index][column] = value
    return change


def _ccadb(name: str, what: str, report: bytes, message: str) -> Case:
    """`certdata-tool ccadb in.txt report.csv` on the sample file, with this report."""
    return Case(name, what, ("ccadb", "in.txt", "report.csv"), message,
                files={"in.txt": SAMPLE_BYTES, "report.csv": report}, needs="ccadb")


GOOD_REPORT = _report()
SECOND = _record_line(GOOD_REPORT, 1)
THIRD = _record_line(GOOD_REPORT, 2)
WRONG_SHA = "00" * 32
LATIN1_REPORT = GOOD_REPORT.decode("utf-8").encode("latin-1")
LATIN1_AT = next(index for index, byte in enumerate(LATIN1_REPORT) if byte >= 0x80)  # the first non-ASCII
LATIN1_LINE = LATIN1_REPORT.count(b"\n", 0, LATIN1_AT) + 1

REPORT_LINES = GOOD_REPORT.count(b"\n")

CCADB_CASES = [
    _ccadb("ccadb-pem-hash", "a CCADB report row whose PEM does not hash to its fingerprint",
           _report(_set(1, "SHA-256 Fingerprint", WRONG_SHA)),
           f"certdata-tool: error: report.csv:{SECOND}: PEM Info hashes to "
           f"{REPORT_ROWS[1]['SHA-256 Fingerprint']}, not to its SHA-256 Fingerprint {WRONG_SHA}"),
    _ccadb("ccadb-missing-column", "a CCADB report without the Trust Bits column",
           _report(columns=[name for name in COLUMNS if name != "Trust Bits"]),
           "certdata-tool: error: report.csv:1: the header has no 'Trust Bits' column; is this CCADB's "
           "IncludedCACertificateReportPEMCSV?"),
    _ccadb("ccadb-bad-date", "a CCADB distrust date written 2024-06-30, not 2024.06.30",
           _report(_set(2, "Distrust for TLS After Date", "2024-06-30")),
           f"certdata-tool: error: report.csv:{THIRD}: Distrust for TLS After Date: '2024-06-30' is not a "
           "date such as 2024.11.30 (YYYY.MM.DD)"),
    _ccadb("ccadb-not-utf8", "a CCADB report saved as Latin-1", LATIN1_REPORT,
           f"certdata-tool: error: report.csv:{LATIN1_LINE}: not valid UTF-8 "
           f"(byte 0x{LATIN1_REPORT[LATIN1_AT]:02x}); "
           "CCADB's report is UTF-8 text"),
    _ccadb("ccadb-truncated", "a CCADB report cut inside a quoted PEM",
           GOOD_REPORT[: GOOD_REPORT.index(b"-----END CERTIFICATE-----", GOOD_REPORT.index(b"\n", 1000))],
           "certdata-tool: error: report.csv:2: not CSV as CCADB writes it: a quoted field is not closed "
           "before the end of the file (is the file cut off?)"),
    Case("ccadb-swapped", "`ccadb REPORT.csv CERTDATA`: the two arguments swapped",
         ("ccadb", "report.csv", "in.txt"),
         f"certdata-tool: error: report.csv:{REPORT_LINES}: {NOT_CERTDATA}\n"
         + _looks("report.csv", "CCADB's report of included roots", "a certdata.txt",
                  "certdata-tool ccadb CERTDATA REPORT.csv takes it after the certdata file"),
         files={"in.txt": SAMPLE_BYTES, "report.csv": GOOD_REPORT}, needs="ccadb"),
    Case("ccadb-report-is-certdata", "a certdata.txt given as REPORT.csv", ("ccadb", "in.txt", "new.txt"),
         "certdata-tool: error: new.txt:1: the header has no 'SHA-256 Fingerprint' column; is this CCADB's "
         "IncludedCACertificateReportPEMCSV?\n"
         + _looks("new.txt", "a certdata.txt", "CCADB's report of included roots",
                  "certdata-tool ccadb CERTDATA REPORT.csv takes it first"),
         files={"in.txt": SAMPLE_BYTES, "new.txt": SAMPLE_BYTES}, needs="ccadb"),
    Case("ccadb-missing-report", "a CCADB report that does not exist", ("ccadb", "in.txt", "nowhere.csv"),
         "certdata-tool: error: nowhere.csv: no such file", files={"in.txt": SAMPLE_BYTES}, needs="ccadb"),
]

CASES = (CERTDATA_CASES + SPEC_CASES + OUTPUT_CASES + LINK_CASES + OPTION_CASES + SPEC_ADD_CASES
         + MISTAKE_CASES + CCADB_CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if case.needs and not _has(case.needs):
        pytest.skip(f"this build has no {case.needs} yet")
    if case.unless_root and IS_ROOT:
        pytest.skip("root can write into a read-only folder")
    _make_files(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    before = _snapshot(tmp_path)
    start = time.monotonic()
    result = CliRunner().invoke(app, list(case.args), input=case.stdin)
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if case.pattern is None:
        assert (result.exit_code, result.stderr.rstrip("\n")) == (case.code, case.message), result.output
    else:
        assert result.exit_code == case.code, result.output
        assert re.fullmatch(case.pattern, result.stderr.rstrip("\n")), result.stderr
    if case.code == 2:
        assert result.stdout == ""
        assert _snapshot(tmp_path) == before, "a failed command changed or created a file"
    assert elapsed < 10, f"took {elapsed:.1f} s"


def test_the_matrix_has_at_least_30_cases() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


# A few cases once more through a real process: what a shell user sees, exit status included.
SUBPROCESS_CASES = ["binary-garbage", "cut-in-octal", "directory", "spec-billion-laughs", "output-no-folder",
                    "ccadb-pem-hash"]


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_bad_input_in_a_real_process(name: str, tmp_path: Path) -> None:
    case = next(case for case in CASES if case.name == name)
    if case.needs and not _has(case.needs):
        pytest.skip(f"this build has no {case.needs} yet")
    _make_files(case, tmp_path)
    result = subprocess.run([sys.executable, "-m", "certdata_tool", *case.args], cwd=tmp_path,
                            input=case.stdin, capture_output=True, timeout=60, check=False)
    assert result.returncode == case.code
    assert result.stderr.decode("utf-8").rstrip("\n") == case.message
    assert result.stdout == b""


def _make_files(case: Case, folder: Path) -> None:
    for name, data in case.files.items():
        path = folder / name
        if data is None:
            path.mkdir()
            if name == "locked":
                path.chmod(0o555)
        else:
            path.write_bytes(data)
    for name, target in case.links.items():
        (folder / name).symlink_to(target)
    for name, existing in case.hard_links.items():
        os.link(folder / existing, folder / name)
    for name, mode in case.modes.items():
        (folder / name).chmod(mode)


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in folder.rglob("*")}


def _has(feature: str) -> bool:
    probes: dict[str, Callable[[], bool]] = {
        "add": _add_supported,
        "sysfs": lambda: Path("/sys/kernel").is_dir(),
    }
    if feature in probes:
        return probes[feature]()
    return CliRunner().invoke(app, [feature, "--help"]).exit_code == 0


def _add_supported() -> bool:
    if not _has("apply"):
        return False
    from certdata_tool import load_spec
    from certdata_tool.errors import SpecError

    try:
        load_spec("version: 1\nchanges:\n  - add:\n      certificate: |\n"
                  + "".join(f"        {line}\n" for line in PEM_ROOT.decode().splitlines())
                  + "      label: New Root\n      trust: {server_auth: trusted_delegator}\n")
    except SpecError as error:
        return "not supported" not in str(error)
    return True


# ---------------------------------------------------------------- the doc's table


def doc_table() -> str:
    lines = ["| case | input | command | exit | message (standard error) |",
             "| --- | --- | --- | --- | --- |"]
    for case in CASES:
        command = shlex.join(["certdata-tool", *case.args])
        if case.pattern is not None:
            message = f"one line matching `{case.pattern}`"
        else:
            message = "<br>".join(f"`{line}`" for line in case.message.split("\n")) if case.message \
                else "(nothing)"
        message = message.replace("|", "\\|")
        root_note = " (as a non-root user)" if case.unless_root else ""
        lines.append(f"| `{case.name}` | {case.what}{root_note} | `{command}` | {case.code} | {message} |")
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- matrix:begin (generated by tests/test_bad_input.py) -->\n", "<!-- matrix:end -->\n"


def test_the_doc_lists_every_case() -> None:
    text = DOC.read_text("utf-8")
    table = doc_table()
    if UPDATE:
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        DOC.write_text(text[:start] + table + text[end:], "utf-8")
        return
    assert BEGIN + table + END in text, ("docs/bad-input.md is out of date; "
                                         "CERTDATA_UPDATE_GOLDEN=1 rewrites it")


# Errors about a file as a whole (it is missing, a folder, too big, cannot be written) or about the
# command line name no line; every other error names FILE:LINE.
NO_LINE = {"missing-file", "directory", "diff-two-stdin", "spec-missing", "spec-directory", "spec-huge",
           "spec-add-missing-pem", "output-directory", "output-no-folder", "output-under-a-file",
           "output-read-only-folder", "output-sysfs", "in-place-stdin", "export-pem-to-folder", "lint-bad-at",
           "export-bad-at", "export-grace-no-at", "spec-add-root-missing", "spec-add-root-garbage",
           "spec-add-bad-trust", "output-is-input", "output-links-to-input", "output-trailing-slash",
           "output-dangling-link", "directory-export-here", "manifest-dev-zero", "in-place-hard-link",
           "in-place-read-only", "in-place-nssckbi-read-only", "lint-at-past-9999", "export-at-before-1",
           "ccadb-missing-report", "show-root-typo", "lint-at-words", "spec-add-label-for-two",
           "spec-add-trust-word", "spec-add-certdata", "spec-add-spec"}


def test_messages_name_a_location() -> None:
    for case in CASES:
        if case.code == 2 and case.name not in NO_LINE and case.pattern is None and case.message:
            assert re.match(r"certdata-tool: error: [^: ]+:\d+: ", case.message), case.name
