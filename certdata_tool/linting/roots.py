"""Checks of roots as pairs and as a set: trust objects, hashes, DER agreement, duplicates, dates."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

from ..model.roots import POSITIVE_TRUST, DistrustPurpose, Root, TrustField
from ..moments import decode_utctime, nss_time
from ..syntax.nssfile import NssObject
from .context import LintContext, certificate_parts, is_distrust_only, validity_end
from .findings import Finding

if TYPE_CHECKING:
    from ..x509 import der

# The longest lifetime of a TLS certificate (CA/Browser Forum): once a distrust-after date is this
# far past, no certificate issued before it is still valid.
LONGEST_CERTIFICATE_LIFETIME = timedelta(days=398)

_PURPOSE_FIELD = {DistrustPurpose.SERVER: TrustField.SERVER_AUTH,
                  DistrustPurpose.EMAIL: TrustField.EMAIL_PROTECTION}
_PURPOSE_WORDS = {DistrustPurpose.SERVER: "websites (server_auth)",
                  DistrustPurpose.EMAIL: "email (email_protection)"}


def check(ctx: LintContext) -> Iterator[Finding]:
    for root in ctx.roots:
        yield from _check_root(ctx, root)
    yield from _check_duplicates(ctx)
    yield from _check_orphans(ctx)


def _check_root(ctx: LintContext, root: Root) -> Iterator[Finding]:
    cert = root.certificate(ctx.store)
    trust = root.trust_object(ctx.store)
    index = root.certificate_index
    if trust is None:
        yield ctx.finding("CD104", cert.line, "certificate has no trust object: NSS gives it no trust at "
                          "all (was the trust object removed, or its issuer or serial changed?)",
                          index=index)
    parts = certificate_parts(root.der) if root.der else None
    value = cert.attribute("CKA_VALUE")
    if root.der and parts is None and value is not None:
        yield ctx.finding("CD108", value.line, "CKA_VALUE is not a DER X.509 certificate NSS can decode: "
                          "NSS fails to load this root", index=index)
    if parts is not None:
        for name, expected, why in (
            ("CKA_SUBJECT", parts.subject, "NSS finds a certificate's issuer by CKA_SUBJECT, so "
             "certificates issued by this root would not chain to it"),
            ("CKA_ISSUER", parts.issuer, "tools that index roots by issuer and serial read this "
             "attribute, not the certificate"),
            ("CKA_SERIAL_NUMBER", parts.serial, "tools that index roots by issuer and serial read this "
             "attribute, not the certificate"),
        ):
            found = cert.attribute(name)
            if found is not None and found.type == "MULTILINE_OCTAL" and found.octal != expected:
                yield ctx.finding("CD107", found.line, f"{name} of the certificate object is not the "
                                  f"{_der_field(name)} of CKA_VALUE: {why}", index=index)
    if trust is not None and root.trust_index is not None:
        yield from _check_trust_pair(ctx, root, cert, trust, parts)
    yield from _check_distrust_dates(ctx, root, cert)
    not_after = validity_end(root.der) if parts is not None else None
    if not_after is not None and not_after < ctx.at:
        yield ctx.finding("CD301", cert.line, f"the certificate expired on {nss_time(not_after)} "
                          f"(checked at {nss_time(ctx.at)}): it anchors no valid chain and can be "
                          "removed", index=index)


def _der_field(name: str) -> str:
    return {"CKA_SUBJECT": "subject", "CKA_ISSUER": "issuer"}.get(name, "serialNumber")


def _check_trust_pair(ctx: LintContext, root: Root, cert: NssObject, trust: NssObject,
                      parts: der.CertificateParts | None) -> Iterator[Finding]:
    index = root.trust_index
    digests = (("CKA_CERT_SHA1_HASH", "SHA-1", hashlib.sha1(root.der).digest(),
                "NSS compares it with the certificate and discards this trust object, so the root gets "
                "no trust"),
               ("CKA_CERT_MD5_HASH", "MD5", hashlib.md5(root.der).digest(),
                "NSS does not read it, but it shows the trust object was edited by hand or belongs to "
                "another certificate"))
    for name, algorithm, digest, why in digests:
        found = trust.attribute(name)
        if found is not None and found.type == "MULTILINE_OCTAL" and found.octal != digest:
            yield ctx.finding("CD106", found.line, f"{name} is not the {algorithm} of the certificate "
                              f"(CKA_VALUE on line {_line_of(cert, 'CKA_VALUE')}): {why}", index=index)
    for name in ("CKA_ISSUER", "CKA_SERIAL_NUMBER"):
        found = trust.attribute(name)
        mine = cert.attribute(name)
        if found is None or found.type != "MULTILINE_OCTAL":
            continue
        expected: bytes | None
        if parts is not None:
            expected = parts.issuer if name == "CKA_ISSUER" else parts.serial
        else:
            expected = mine.octal if mine is not None else None
        if expected is not None and found.octal != expected:
            yield ctx.finding("CD107", found.line, f"{name} of the trust object is not the certificate's: "
                              "NSS finds a certificate's trust object by issuer and serial number, so this "
                              "one is never found and the root gets no trust", index=index)
    label = trust.attribute("CKA_LABEL")
    if label is not None and cert.label is not None and trust.label != cert.label:
        yield ctx.finding("CD205", label.line, f"the trust object's label {trust.label!r} differs from its "
                          f"certificate's {cert.label!r}: tools that list or select roots by label see two "
                          "different names", index=index)


def _line_of(obj: NssObject, name: str) -> int:
    found = obj.attribute(name)
    return found.line if found is not None else obj.line


def _check_distrust_dates(ctx: LintContext, root: Root, cert: NssObject) -> Iterator[Finding]:
    index = root.certificate_index
    trusted = {purpose: root.trust.level(_PURPOSE_FIELD[purpose]) in POSITIVE_TRUST
               for purpose in DistrustPurpose}
    present = [purpose for purpose in DistrustPurpose if cert.attribute(purpose.attribute) is not None]
    if len(present) < 2 and any(root.trust.level(f) in POSITIVE_TRUST for f in TrustField):
        if present:
            missing = next(p for p in DistrustPurpose if p not in present).attribute
            message = (f"the certificate object has {present[0].attribute} but no {missing}: NSS reads a "
                       "distrust-after date only when both attributes are present")
        else:
            message = ("the certificate object has neither CKA_NSS_SERVER_DISTRUST_AFTER nor "
                       "CKA_NSS_EMAIL_DISTRUST_AFTER: NSS reads a date only when both are present, so "
                       "addbuiltin writes both (CK_BBOOL CK_FALSE when unset)")
        yield ctx.finding("CD203", cert.line, message, index=index)
    for purpose in present:
        attribute = cert.attribute(purpose.attribute)
        if attribute is None or attribute.type != "MULTILINE_OCTAL":
            continue
        try:
            date = decode_utctime(attribute.octal)
        except ValueError:
            continue  # CD110 says why
        if not trusted[purpose]:
            yield ctx.finding("CD204", attribute.line, f"{purpose.attribute} is set, but the root is not "
                              f"trusted for {_PURPOSE_WORDS[purpose]}: the date has no effect", index=index)
        elif date + LONGEST_CERTIFICATE_LIFETIME < ctx.at:
            yield ctx.finding("CD302", attribute.line, f"{purpose.attribute} ({nss_time(date)}) is more than "
                              f"398 days before {nss_time(ctx.at)}: certificates issued before it have "
                              f"expired, so the root may be ready to lose its {_PURPOSE_WORDS[purpose]} "
                              "trust", index=index)


def _check_duplicates(ctx: LintContext) -> Iterator[Finding]:
    by_sha256: dict[str, Root] = {}
    by_label: dict[str, Root] = {}
    for root in ctx.roots:
        if root.der:
            first = by_sha256.setdefault(root.sha256, root)
            if first is not root:
                yield ctx.finding("CD111", root.line, f"the same certificate as the root on line "
                                  f"{first.line}: NSS loads it twice, and the two trust objects may disagree",
                                  index=root.certificate_index)
        if root.label:
            first = by_label.setdefault(root.label, root)
            if first is not root:
                yield ctx.finding("CD206", root.line, f"the root on line {first.line} has the same label: "
                                  "people and tools that pick roots by label cannot tell them apart",
                                  index=root.certificate_index)


def _check_orphans(ctx: LintContext) -> Iterator[Finding]:
    by_sha1 = {root.sha1: root for root in ctx.roots if root.der}
    for entry in ctx.distrust_entries:
        obj = ctx.objects[entry.trust_index]
        twin = by_sha1.get(entry.sha1) if entry.sha1 is not None else None
        if twin is not None:
            yield ctx.finding("CD111", obj.line, f"a second trust object for the certificate on line "
                              f"{twin.line}: NSS finds trust by issuer and serial number and may take "
                              "either", index=entry.trust_index)
        elif not is_distrust_only(obj):
            yield ctx.finding("CD105", obj.line, "trust object matches no certificate in the file and is not "
                              "an explicit distrust (it trusts or asks to verify something): its certificate "
                              "was probably removed without it", index=entry.trust_index)
