"""The bad-input matrix: malformed certdata, specs and paths, each with its exact message and exit code.

Each case's input and command are built here; what it must print is data, in
tests/cases/bad-input/NAME.stderr. The same table is the one in docs/bad-input.md (a test checks
they agree; CERTDATA_UPDATE_GOLDEN=1 rewrites the doc's table and the .stderr files).
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
from test_spec_add import BETA, GAMMA, LEAF, pem
from typer.testing import CliRunner

from certdata_tool.cli import app

SAMPLE_BYTES = (PROJECT_ROOT / "samples" / "certdata.txt").read_bytes()
SAMPLE_TEXT = SAMPLE_BYTES.decode("utf-8")
DOC = PROJECT_ROOT / "docs" / "bad-input.md"
# What each case must print, as data (CERTDATA_UPDATE_GOLDEN=1 writes what the tool prints now).
MESSAGES = PROJECT_ROOT / "tests" / "cases" / "bad-input"
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


BEGINDATA = _line_of(SAMPLE_TEXT, "BEGINDATA")
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

    @property
    def message(self) -> str:
        """The whole of standard error, without the trailing newline: tests/cases/bad-input/NAME.stderr."""
        return (MESSAGES / f"{self.name}.stderr").read_text(encoding="utf-8").removesuffix("\n")


CERTDATA_CASES = [
    Case("empty-file", "an empty file", ("show", "in.txt"),
         files={"in.txt": b""}),
    Case("no-begindata", "text that is not certdata (no BEGINDATA line)", ("show", "in.txt"),
         files={"in.txt": b"hello\nworld\n"}),
    Case("binary-garbage", "binary garbage (a PNG header)", ("show", "in.txt"),
         files={"in.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))}),
    Case("utf16", "the sample file saved as UTF-16", ("show", "in.txt"),
         files={"in.txt": SAMPLE_TEXT.encode("utf-16")}),
    Case("latin1-label", "a label in Latin-1, not UTF-8 (as in NSS's file of 2009): read, warned once",
         ("show", "in.txt"), code=0,
         files={"in.txt": SAMPLE_BYTES.replace(b'UTF8 "Example Root CA 1"', b'UTF8 "Exempl\xe9 Root CA 1"',
                                               1)}),
    Case("latin1-outside-label", "a Latin-1 byte outside labels and comments", ("show", "in.txt"),
         files={"in.txt": SAMPLE_BYTES.replace(b"CKA_TOKEN CK_BBOOL CK_TRUE",
                                               b"CKA_TOKEN CK_BBOOL CK_TRU\xe9", 1)}),
    Case("octal-c-terminator", "a MULTILINE_OCTAL value ended by a `\\0` line (NSS's files of 2000): read",
         ("show", "in.txt"), code=0,
         files={"in.txt": SAMPLE_BYTES.replace(b"END\n", b"\\0\nEND\n", 1)}),
    Case("label-x-without-hex", "a label escape `\\x` without hex digits (NUL, as Perl reads it)",
         ("show", "in.txt", "--format", "json"), code=0,
         files={"in.txt": SAMPLE_BYTES.replace(b'"Example Root CA 1"', b'"Ex\\xzz Root"')}),
    Case("nul-bytes", "NUL bytes in place of an attribute line", ("show", "in.txt"),
         files={"in.txt": _cut_after("BEGINDATA\n") + b"\x00\x00\x00\x00\n" + SAMPLE_BYTES}),
    Case("cut-in-header", "cut in the header, before BEGINDATA", ("show", "in.txt"),
         files={"in.txt": _cut_after("BEGINDATA")[: -len("BEGINDATA") - 1]}),
    Case("cut-in-name", "cut inside an attribute name", ("show", "in.txt"),
         files={"in.txt": _cut_after("BEGINDATA\nCKA_CL")}),
    Case("cut-after-type", "cut after an attribute's type (no value)", ("show", "in.txt"),
         files={"in.txt": _cut_after("BEGINDATA\nCKA_CLASS CK_OBJECT_CLASS ")}),
    Case("cut-in-octal", "cut inside a MULTILINE_OCTAL value", ("show", "in.txt"),
         files={"in.txt": _cut_after("CKA_VALUE MULTILINE_OCTAL\n", 200)}),
    Case("cut-in-escape", "cut in the middle of an octal escape, then END", ("show", "in.txt"),
         files={"in.txt": _cut_after("CKA_VALUE MULTILINE_OCTAL\n", 14) + b"\nEND\n"}),
    Case("cut-in-end", "cut inside the END line (`EN`)", ("show", "in.txt"),
         files={"in.txt": _cut_after("CKA_VALUE MULTILINE_OCTAL\n")
                + SAMPLE_TEXT.split("CKA_VALUE MULTILINE_OCTAL\n", 1)[1].split("END\n", 1)[0].encode()
                + b"EN"}),
    Case("cut-in-label", "cut inside a quoted label", ("show", "in.txt"),
         files={"in.txt": _cut_after('CKA_LABEL UTF8 "Example Ro')}),
    Case("octal-out-of-range", "an octal escape above \\377", ("show", "in.txt"),
         files={"in.txt": _cut_after("CKA_VALUE MULTILINE_OCTAL\n") + b"\\400\nEND\n"}),
    Case("attribute-before-class", "an attribute before any CKA_CLASS", ("show", "in.txt"),
         files={"in.txt": _cut_after("BEGINDATA\n") + b"CKA_TOKEN CK_BBOOL CK_TRUE\n"}),
    Case("huge-line", "a 4 MB line of garbage", ("show", "in.txt"),
         files={"in.txt": _cut_after("BEGINDATA\n") + b"A" * 4_000_000 + b"\n"}),
    Case("cr-line-ends", "old Mac line ends (CR only): one long line", ("show", "in.txt"),
         files={"in.txt": SAMPLE_BYTES.replace(b"\n", b"\r")}),
    Case("not-a-certificate", "a CKA_VALUE that is DER but not a certificate (warned, not fatal)",
         ("show", "in.txt", "--format", "json"),
         code=0, files={"in.txt": NOT_A_CERTIFICATE.encode()}),
    Case("missing-file", "a file that does not exist", ("show", "nowhere.txt")),
    Case("directory", "a folder instead of a file", ("show", "folder"), files={"folder": None}),
    Case("stdin-garbage", "garbage on standard input (`-`)", ("show", "-"),
         stdin=b"\xff\xfe\x00garbage"),
    Case("diff-bad-new", "`diff` with a malformed NEW file", ("diff", "old.txt", "new.txt"),
         files={"old.txt": SAMPLE_BYTES, "new.txt": b""}, needs="diff"),
    Case("diff-two-stdin", "`diff - -`", ("diff", "-", "-"),
         needs="diff"),
    Case("lint-binary", "`lint` of binary garbage", ("lint", "in.txt"),
         files={"in.txt": b"\x89PNG\r\n\x1a\n"}, needs="lint"),
    Case("export-truncated", "`export` of a truncated file", ("export", "in.txt", "-o", "out.pem"),
         files={"in.txt": _cut_after("CKA_VALUE MULTILINE_OCTAL\n", 200)}, needs="export"),
]

def _spec(name: str, what: str, spec: bytes | str, *, pattern: str | None = None,
          needs: str = "apply", extra: dict[str, bytes | None] | None = None) -> Case:
    """`certdata-tool apply in.txt spec.yaml` on the sample file, with this spec."""
    data = spec.encode() if isinstance(spec, str) else spec
    files: dict[str, bytes | None] = {"in.txt": SAMPLE_BYTES, "spec.yaml": data, **(extra or {})}
    return Case(name, what, ("apply", "in.txt", "spec.yaml"), files=files, needs=needs,
                pattern=pattern)


def _good(old: str, new: str) -> str:
    """The good spec with one piece of text replaced."""
    assert old in GOOD_SPEC
    return GOOD_SPEC.replace(old, new)


SELECT_ROOT = 'version: 1\nchanges:\n  - select: {label: "Example Root CA 1"}\n'
ADD_ROOT = "version: 1\nchanges:\n  - add:\n      certificate: {}\n      label: New Root\n" \
           "      trust: {{server_auth: trusted_delegator}}\n"

SPEC_CASES = [
    Case("spec-missing", "a spec that does not exist", ("apply", "in.txt", "nowhere.yaml"),
         files={"in.txt": SAMPLE_BYTES}, needs="apply"),
    Case("spec-directory", "a folder instead of a spec", ("apply", "in.txt", "folder"),
         files={"in.txt": SAMPLE_BYTES, "folder": None}, needs="apply"),
    _spec("spec-empty", "an empty spec", ""),
    _spec("spec-yaml-syntax", "YAML that does not parse (unclosed bracket)",
          "version: 1\nchanges: [\n  - select: {label: x}\n"),
    _spec("spec-list", "a list instead of a mapping", "- version: 1\n"),
    _spec("spec-no-version", "no `version`", _good("version: 1\n", "")),
    _spec("spec-version-2", "`version: 2`", _good("version: 1", "version: 2")),
    _spec("spec-unknown-key", "an unknown key (a typo)", _good("distrust_after", "distrust_afer")),
    _spec("spec-empty-changes", "`changes: []`", "version: 1\nchanges: []\n"),
    _spec("spec-bad-trust", "a trust value that does not exist",
          SELECT_ROOT + "    trust: {server_auth: trusted_deleg}\n"),
    _spec("spec-trust-number", "a number where a trust value belongs",
          SELECT_ROOT + "    trust: {server_auth: 3}\n"),
    _spec("spec-date-2050", "a date after 2049 (UTCTime cannot hold it)", _good("2024-06-30", "2050-01-01")),
    _spec("spec-date-invalid", "February 30th", _good("2024-06-30", "2024-02-30")),
    _spec("spec-date-number", "a date written as a number (20240630)", _good("2024-06-30", "20240630")),
    _spec("spec-date-day-first", "a day-first date (30.06.2024)", _good("2024-06-30", "30.06.2024")),
    _spec("spec-no-match", "a selector that matches no root", _good("Example Root CA 1", "No Such")),
    _spec("spec-no-match-typo", "a selector with a typo in the label",
          _good("Example Root CA 1", "Exmaple Root CA 1")),
    _spec("spec-remove-typo", "a `remove` by label with a typo (the root would stay trusted)",
          'version: 1\nchanges:\n  - select: {label: "Example Legacy Rot"}\n    remove: true\n'),
    _spec("spec-list-item-no-match", "the second selector of a `select` list matches nothing",
          'version: 1\nchanges:\n  - select:\n      - {label: "Example Root CA 1"}\n'
          '      - {sha256: "00000000"}\n    mozilla_ca_policy: true\n'),
    _spec("spec-short-prefix", "a SHA-256 prefix shorter than 8 hex digits",
          'version: 1\nchanges:\n  - select: {sha256: "D57314"}\n    mozilla_ca_policy: true\n'),
    _spec("spec-python-tag", "a YAML tag that runs code in unsafe loaders",
          'version: 1\nchanges:\n  - select: {label: !!python/object/apply:os.system ["echo pwned"]}\n'
          "    remove: true\n"),
    _spec("spec-custom-tag", "an unknown local tag", _good("2024-06-30", "!date 2024-06-30")),
    _spec("spec-billion-laughs", "an anchors-and-aliases bomb (9^9 strings)", _billion_laughs()),
    _spec("spec-deep-nesting", "1 000 nested lists (deeper than Python's recursion limit)", _nested(1_000)),
    _spec("spec-huge", "a 2 MB spec (30 000 changes)", _many_changes(30_000)),
    _spec("spec-utf16", "a spec saved as UTF-16", GOOD_SPEC.encode("utf-16")),
    _spec("spec-tabs", "indentation with a tab", _good("    distrust", "\tdistrust")),
    _spec("spec-bad-label", "`rename` to a label with a quote", SELECT_ROOT + "    rename: 'Say \"hi\"'\n"),
    _spec("spec-lone-surrogate", "a lone surrogate from a YAML escape (`\"\\udc00\"`)",
          SELECT_ROOT + '    rename: "A\\udc00B"\n'),
    _spec("spec-huge-bug", "a 5000-digit `bug:`",
          "version: 1\nbug: " + "9" * 5000 + "\nchanges:\n" + GOOD_SPEC.split("changes:\n", 1)[1]),
    _spec("spec-add-missing-pem", "`add` of a certificate file that does not exist",
          ADD_ROOT.format("nowhere.pem"),
          needs="add"),
    _spec("spec-add-garbage-pem", "`add` of a file that is not a certificate", ADD_ROOT.format("cert.pem"),
          needs="add",
          extra={"cert.pem": b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}),
]

OUTPUT_CASES = [
    Case("output-directory", "`-o` names a folder", ("apply", "in.txt", "spec.yaml", "-o", "folder"),
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode(), "folder": None}, needs="apply"),
    Case("output-no-folder", "`-o` in a folder that does not exist",
         ("apply", "in.txt", "spec.yaml", "-o", "nowhere/out.txt"),
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode()}, needs="apply"),
    Case("output-under-a-file", "`-o` under a path that is a file",
         ("apply", "in.txt", "spec.yaml", "-o", "in.txt/out"),
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode()}, needs="apply"),
    Case("output-read-only-folder", "`-o` in a folder without write permission",
         ("apply", "in.txt", "spec.yaml", "-o", "locked/out.txt"),
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode(), "locked": None}, needs="apply",
         unless_root=True),
    Case("output-sysfs", "`-o` where nobody may create files (/sys/kernel)",
         ("apply", "in.txt", "spec.yaml", "-o", "/sys/kernel/certdata-out.txt"),
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode()}, needs="sysfs"),
    Case("in-place-stdin", "`--in-place` with standard input", ("apply", "-", "spec.yaml", "--in-place"),
         files={"spec.yaml": GOOD_SPEC.encode()}, stdin=SAMPLE_BYTES, needs="apply"),
    Case("export-pem-to-folder", "`export -o` names a folder", ("export", "in.txt", "-o", "folder"),
         files={"in.txt": SAMPLE_BYTES, "folder": None}, needs="export"),
]

LINK_CASES = [
    Case("output-is-input", "`export -o` names the input", ("export", "in.txt", "-o", "in.txt"),
         files={"in.txt": SAMPLE_BYTES}),
    Case("output-links-to-input", "`spec add -o` names a link to the input",
         ("spec", "add", "root.pem", "-o", "link.pem"),
         files={"root.pem": PEM_ROOT}, links={"link.pem": "root.pem"}),
    Case("output-trailing-slash", "`-o bundle/` (a file name ending in a slash)",
         ("export", "in.txt", "-o", "bundle/"),
         files={"in.txt": SAMPLE_BYTES}),
    Case("output-dangling-link", "`-o` names a link into a folder that does not exist",
         ("export", "in.txt", "-o", "out.pem"),
         files={"in.txt": SAMPLE_BYTES}, links={"out.pem": "gone/out.pem"}),
    Case("directory-export-here", "`export --format directory -o .`",
         ("export", "in.txt", "--format", "directory", "-o", "."), files={"in.txt": SAMPLE_BYTES}),
    Case("manifest-dev-zero", "a directory export's manifest that links to /dev/zero",
         ("export", "in.txt", "--format", "directory", "-o", "roots"),
         files={"in.txt": SAMPLE_BYTES, "roots": None}, links={"roots/.certdata-tool-export": "/dev/zero"}),
    Case("in-place-hard-link", "`--in-place` on a file with a second hard link",
         ("apply", "in.txt", "spec.yaml", "--in-place"),
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode()}, hard_links={"other.txt": "in.txt"}),
    Case("in-place-read-only", "`--in-place` on a read-only (0444) file",
         ("apply", "in.txt", "spec.yaml", "--in-place"),
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode()}, modes={"in.txt": 0o444}),
    Case("in-place-nssckbi-read-only",
         "`--in-place --nssckbi` with a read-only nssckbi.h: certdata not changed",
         ("apply", "in.txt", "spec.yaml", "--in-place", "--nssckbi", "nssckbi.h"),
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode(),
                "nssckbi.h": b'#define NSS_BUILTINS_LIBRARY_VERSION_MAJOR 2\n'
                             b'#define NSS_BUILTINS_LIBRARY_VERSION_MINOR 68\n'
                             b'#define NSS_BUILTINS_LIBRARY_VERSION "2.68"\n'}, modes={"nssckbi.h": 0o444}),
]

OPTION_CASES = [
    Case("show-root-typo", "`show --root` with a typo in the label", ("show", "in.txt", "--root",
                                                                       "label=Example Email Rot"),
                                                                       files={"in.txt": SAMPLE_BYTES}),
    Case("lint-bad-at", "`lint --at` with a month 13", ("lint", "in.txt", "--at", "2024-13-01"),
         files={"in.txt": SAMPLE_BYTES}, needs="lint"),
    Case("lint-at-past-9999", "`lint --at` in 9999 with an offset that makes it 10000 in UTC",
         ("lint", "in.txt", "--at", "9999-12-31T23:59:59-01:00"), files={"in.txt": SAMPLE_BYTES}),
    Case("lint-at-offset", "`lint --at` with a time zone offset (the grammar is UTC with a Z)",
         ("lint", "in.txt", "--at", "2024-07-01T01:30:00+02:00"), files={"in.txt": SAMPLE_BYTES}),
    Case("lint-at-no-zone", "`lint --at` with a time and no zone",
         ("lint", "in.txt", "--at", "2024-06-30 23:59"), files={"in.txt": SAMPLE_BYTES}),
    Case("export-at-before-1", "`export --at` in year 1 with an offset that makes it year 0 in UTC",
         ("export", "in.txt", "-o", "out.pem", "--at", "0001-01-01T00:00:00+01:00"),
         files={"in.txt": SAMPLE_BYTES}),
    Case("export-bad-at", "`export --at` with a word",
         ("export", "in.txt", "-o", "out.pem", "--at", "yesterday"),
         files={"in.txt": SAMPLE_BYTES}, needs="export"),
    Case("export-grace-no-at", "`export --distrust-after grace` without `--at`",
         ("export", "in.txt", "-o", "out.pem", "--distrust-after", "grace"),
         files={"in.txt": SAMPLE_BYTES}, needs="export"),
]

SPEC_ADD_CASES = [
    Case("spec-add-root-missing", "`spec add` of a certificate that does not exist",
         ("spec", "add", "nowhere.pem"), needs="spec"),
    Case("spec-add-root-garbage", "`spec add` of binary garbage", ("spec", "add", "junk.pem"),
         files={"junk.pem": b"garbage\x00\xff"}, needs="spec"),
    Case("spec-add-not-a-ca", "`spec add` of a bundle holding a server certificate (not a CA)",
         ("spec", "add", "chain.pem"),
         files={"chain.pem": pem(BETA, LEAF)}, needs="spec"),
    Case("spec-add-label-for-two", "`spec add --label` with a bundle of two certificates",
         ("spec", "add", "bundle.pem", "--label", "One Root"),
         files={"bundle.pem": pem(BETA, GAMMA)}, needs="spec"),
    Case("spec-add-trust-word", "`spec add --trust` with a word it does not know",
         ("spec", "add", "root.pem", "--trust", "websites"),
         files={"root.pem": PEM_ROOT}, needs="spec"),
    Case("spec-add-bad-trust", "`spec add --trust` with an unknown value",
         ("spec", "add", "root.pem", "--trust", "server_auth=bogus"),
         files={"root.pem": PEM_ROOT}, needs="spec"),
]


# Issue 17: a file in the wrong place, a tab, a date in words. The error says what is wrong in the
# file; the hint says what the file looks like by its content (whatever its name) and what to do.
NSSCKBI_H = (b"#ifndef NSSCKBI_H\n#define NSSCKBI_H\n#define NSS_BUILTINS_LIBRARY_VERSION_MAJOR 2\n"
             b"#define NSS_BUILTINS_LIBRARY_VERSION_MINOR 68\n#define NSS_BUILTINS_LIBRARY_VERSION \"2.68\"\n"
             b"#endif\n")
DER_ROOT = base64.b64decode(b"".join(PEM_ROOT.splitlines()[1:-1]))


MISTAKE_CASES = [
    Case("apply-swapped", "`apply SPEC CERTDATA`: the two arguments swapped",
         ("apply", "spec.yaml", "in.txt"),
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode()}),
    Case("certdata-is-spec", "a change spec given as CERTDATA (whatever its name)", ("show", "roots.txt"),
         files={"roots.txt": GOOD_SPEC.encode()}),
    Case("certdata-is-nssckbi", "NSS's `nssckbi.h` given as CERTDATA", ("apply", "nssckbi.h", "spec.yaml"),
         files={"nssckbi.h": NSSCKBI_H, "spec.yaml": GOOD_SPEC.encode()}),
    Case("nssckbi-is-certdata", "a certdata.txt given as `--nssckbi`",
         ("apply", "in.txt", "spec.yaml", "--nssckbi", "copy.txt", "-o", "out.txt"),
         files={"in.txt": SAMPLE_BYTES, "copy.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode()}),
    Case("nssckbi-is-spec", "the change spec given as `--nssckbi` too",
         ("apply", "in.txt", "spec.yaml", "--nssckbi", "spec.yaml", "-o", "out.txt"),
         files={"in.txt": SAMPLE_BYTES, "spec.yaml": GOOD_SPEC.encode()}),
    Case("certdata-is-pem", "a PEM certificate given as CERTDATA", ("lint", "certdata.txt"),
         files={"certdata.txt": PEM_ROOT}),
    Case("certdata-is-der", "a DER certificate given as CERTDATA", ("export", "root.der", "-o", "out.pem"),
         files={"root.der": DER_ROOT}),
    Case("spec-is-certdata", "a certdata.txt given as SPEC", ("apply", "in.txt", "new.txt"),
         files={"in.txt": SAMPLE_BYTES, "new.txt": SAMPLE_BYTES}),
    Case("spec-is-pem", "a PEM certificate given as SPEC", ("apply", "in.txt", "root.pem"),
         files={"in.txt": SAMPLE_BYTES, "root.pem": PEM_ROOT}),
    _spec("spec-tab-after-spaces", "a tab after two spaces of indentation",
          _good("    distrust", "  \tdistrust")),
    _spec("spec-tab-separator", "a tab between a key and its value",
          SELECT_ROOT + "    mozilla_ca_policy:\ttrue\n"),
    _spec("spec-date-words-flow", "`distrust_after: {server: June 30, 2024}` (unquoted: the comma splits it)",
          _good("{server: 2024-06-30}", "{server: June 30, 2024}")),
    _spec("spec-date-words", "`server: June 30, 2024` on its own line",
          SELECT_ROOT + "    distrust_after:\n      server: June 30, 2024\n"),
    _spec("spec-date-nss-comment", "a date copied from NSS's comment (`Sun Jun 30 00:00:00 2024`)",
          SELECT_ROOT + "    distrust_after:\n      server: Sun Jun 30 00:00:00 2024\n"),
    Case("spec-add-certdata", "`spec add` of a certdata.txt instead of a certificate",
         ("spec", "add", "in.txt"),
         files={"in.txt": SAMPLE_BYTES}, needs="spec"),
    Case("spec-add-spec", "`spec add ROOT SPEC`: a spec among the certificates",
         ("spec", "add", "root.pem", "spec.yaml"),
         files={"root.pem": PEM_ROOT, "spec.yaml": GOOD_SPEC.encode()}, needs="spec"),
    Case("lint-at-words", "`lint --at \"June 30, 2024\"`", ("lint", "in.txt", "--at", "June 30, 2024"),
         files={"in.txt": SAMPLE_BYTES}),
]


REPORT_ROWS = rows_from_certdata(SAMPLE_BYTES)  # CCADB's report as it would be for the sample file


def _report(change: Callable[[list[Row]], None] | None = None, columns: Sequence[str] = COLUMNS) -> bytes:
    """The generated CCADB report of the sample file, with `change` made to its rows first."""
    table = [dict(row) for row in REPORT_ROWS]
    if change is not None:
        change(table)
    return write_report(table, columns=columns)


def _set(index: int, column: str, value: str) -> Callable[[list[Row]], None]:
    def change(table: list[Row]) -> None:
        table[index][column] = value
    return change


def _ccadb(name: str, what: str, report: bytes) -> Case:
    """`certdata-tool ccadb in.txt report.csv` on the sample file, with this report."""
    return Case(name, what, ("ccadb", "in.txt", "report.csv"),
                files={"in.txt": SAMPLE_BYTES, "report.csv": report}, needs="ccadb")


GOOD_REPORT = _report()
WRONG_SHA = "00" * 32
LATIN1_REPORT = GOOD_REPORT.decode("utf-8").encode("latin-1")


CCADB_CASES = [
    _ccadb("ccadb-pem-hash", "a CCADB report row whose PEM does not hash to its fingerprint",
           _report(_set(1, "SHA-256 Fingerprint", WRONG_SHA))),
    _ccadb("ccadb-missing-column", "a CCADB report without the Trust Bits column",
           _report(columns=[name for name in COLUMNS if name != "Trust Bits"])),
    _ccadb("ccadb-bad-date", "a CCADB distrust date written 2024-06-30, not 2024.06.30",
           _report(_set(2, "Distrust for TLS After Date", "2024-06-30"))),
    _ccadb("ccadb-not-utf8", "a CCADB report saved as Latin-1", LATIN1_REPORT),
    _ccadb("ccadb-truncated", "a CCADB report cut inside a quoted PEM",
           GOOD_REPORT[: GOOD_REPORT.index(b"-----END CERTIFICATE-----", GOOD_REPORT.index(b"\n", 1000))]),
    Case("ccadb-swapped", "`ccadb REPORT.csv CERTDATA`: the two arguments swapped",
         ("ccadb", "report.csv", "in.txt"),
         files={"in.txt": SAMPLE_BYTES, "report.csv": GOOD_REPORT}, needs="ccadb"),
    Case("ccadb-report-is-certdata", "a certdata.txt given as REPORT.csv", ("ccadb", "in.txt", "new.txt"),
         files={"in.txt": SAMPLE_BYTES, "new.txt": SAMPLE_BYTES}, needs="ccadb"),
    Case("ccadb-missing-report", "a CCADB report that does not exist", ("ccadb", "in.txt", "nowhere.csv"),
         files={"in.txt": SAMPLE_BYTES}, needs="ccadb"),
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
    if UPDATE and case.pattern is None:
        (MESSAGES / f"{case.name}.stderr").write_text(result.stderr, encoding="utf-8")
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
           "in-place-read-only", "in-place-nssckbi-read-only", "nssckbi-is-certdata",
           "nssckbi-is-spec", "lint-at-past-9999", "lint-at-offset",
           "lint-at-no-zone", "export-at-before-1",
           "ccadb-missing-report", "show-root-typo", "lint-at-words", "spec-add-label-for-two",
           "spec-add-trust-word", "spec-add-certdata", "spec-add-spec"}


def test_messages_name_a_location() -> None:
    for case in CASES:
        if case.code == 2 and case.name not in NO_LINE and case.pattern is None and case.message:
            assert re.match(r"certdata-tool: error: [^: ]+:\d+: ", case.message), case.name
