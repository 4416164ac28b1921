"""What lint reports: the rule table (code, name, level, why it matters) and the Finding value."""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple


class Level(Enum):
    """How bad a finding is; the first digit of a rule's code says the same (1, 2, 3)."""

    ERROR = "error"  # NSS reads something other than what the file says, or cannot read it
    WARNING = "warning"  # NSS is unaffected, but a reviewer or a downstream tool is misled
    INFO = "info"  # worth knowing; nothing is wrong with the file


class Rule(NamedTuple):
    code: str  # stable: CD1xx errors, CD2xx warnings, CD3xx info
    name: str  # stable too; --select and --ignore accept either
    level: Level
    summary: str


RULES: tuple[Rule, ...] = (
    Rule("CD101", "missing-attribute", Level.ERROR,
         "an object lacks an attribute NSS needs to use it"),
    Rule("CD102", "wrong-type", Level.ERROR,
         "an attribute has the wrong type, or a value its type cannot hold"),
    Rule("CD103", "duplicate-attribute", Level.ERROR,
         "an object has the same attribute twice; NSS uses the first and ignores the other"),
    Rule("CD104", "missing-trust", Level.ERROR,
         "a certificate has no trust object, so NSS gives it no trust at all"),
    Rule("CD105", "orphan-trust", Level.ERROR,
         "a trust object matches no certificate and is not an explicit distrust entry"),
    Rule("CD106", "hash-mismatch", Level.ERROR,
         "CKA_CERT_SHA1_HASH or CKA_CERT_MD5_HASH is not the hash of the certificate"),
    Rule("CD107", "der-mismatch", Level.ERROR,
         "CKA_SUBJECT, CKA_ISSUER or CKA_SERIAL_NUMBER disagrees with the certificate"),
    Rule("CD108", "bad-certificate", Level.ERROR,
         "CKA_VALUE is not a DER X.509 certificate"),
    Rule("CD109", "distrust-after-on-trust", Level.ERROR,
         "a distrust-after attribute on a trust object, where NSS never reads it"),
    Rule("CD110", "bad-distrust-after", Level.ERROR,
         "a distrust-after value that is neither a 13-byte UTCTime nor CK_BBOOL CK_FALSE"),
    Rule("CD111", "duplicate-certificate", Level.ERROR,
         "the same certificate twice, or two trust objects for one certificate"),
    Rule("CD112", "bad-label", Level.ERROR,
         "a CKA_LABEL that is not one clean string (stray text, whitespace, control characters)"),
    Rule("CD201", "header-mismatch", Level.WARNING,
         "the comment header above an object disagrees with its certificate or label"),
    Rule("CD202", "distrust-after-comment", Level.WARNING,
         "a `# For ... Distrust After:` comment is missing, stray or disagrees with the value"),
    Rule("CD203", "distrust-after-incomplete", Level.WARNING,
         "a trusted certificate object lacks one or both distrust-after attributes"),
    Rule("CD204", "distrust-after-ineffective", Level.WARNING,
         "a distrust-after date for a purpose the root is not trusted for"),
    Rule("CD205", "label-mismatch", Level.WARNING,
         "a certificate object and its trust object have different labels"),
    Rule("CD206", "duplicate-label", Level.WARNING,
         "two roots have the same label"),
    Rule("CD207", "final-newline", Level.WARNING,
         "the file does not end with exactly one newline"),
    Rule("CD208", "trailing-whitespace", Level.WARNING,
         "a line ends with spaces or tabs"),
    Rule("CD209", "crlf", Level.WARNING,
         "the file has CRLF line endings"),
    Rule("CD210", "double-blank-line", Level.WARNING,
         "two or more blank lines in a row"),
    Rule("CD211", "unexpected-attribute", Level.WARNING,
         "an attribute NSS does not read on this kind of object"),
    Rule("CD212", "unknown-object-class", Level.WARNING,
         "an object of a class NSS's root store does not use"),
    Rule("CD301", "expired", Level.INFO,
         "a root certificate has expired"),
    Rule("CD302", "distrust-after-past", Level.INFO,
         "a distrust-after date more than 398 days past: the root may be ready to lose that trust"),
    Rule("CD303", "legacy-header", Level.INFO,
         "a comment header in a form older versions of NSS's addbuiltin wrote"),
    Rule("CD304", "escaped-label", Level.INFO,
         "a label written with \\x escapes instead of raw UTF-8"),
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


class Finding(NamedTuple):
    """One thing lint found, at a line of the file, about a root (label, sha256) when it concerns one."""

    code: str
    level: Level
    line: int
    message: str
    label: str | None = None
    sha256: str | None = None  # upper-case hex of the root's certificate; None for other objects

    @property
    def rule(self) -> Rule:
        return RULES_BY_CODE[self.code]
