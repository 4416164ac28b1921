"""Change specs (YAML, version 1): read, validate and turn into frozen Change values with source lines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from yaml.nodes import MappingNode, Node, SequenceNode

from ..errors import SpecError
from ..model.roots import DistrustPurpose, TrustField, TrustLevel
from .changes import AddChange, Change, ModifyChange, Spec
from .values import AFTER_KEYS, DISTRUST_KEYS, SELECTOR_KEYS, TRUST_KEYS, ValueReader, parse_moment
from .yaml_nodes import describe, node_line, one_of

SPEC_VERSION = 1
MAX_SPEC_BYTES = 1_000_000  # a spec is a short text; this bounds the work of a hostile one
MAX_CERTIFICATE_BYTES = 1_000_000  # a root certificate is a few kilobytes; /dev/zero is not one

# Keys, in the order messages and the JSON Schema list them.
SPEC_KEYS = ("version", "title", "bug", "changes")
ACTION_KEYS = ("distrust_after", "trust", "mozilla_ca_policy", "rename", "remove")
CHANGE_KEYS = ("select", *ACTION_KEYS)
ADD_KEYS = ("certificate", "label", "trust", "distrust_after", "step_up_approved", "after")

# Reads a file a spec names (as written there), at most the given number of bytes; raises OSError.
FileReader = Callable[[str, int], bytes]


def load_spec(yaml_text: str, source: str = "<spec>", base_dir: Path | None = None, *,
              read_file: FileReader | None = None) -> Spec:
    """Read and validate a version-1 spec; SpecError names the line and key path of any problem.

    `read_file` reads the certificate files an add names (the caller resolves them, usually
    against `base_dir`, the spec's folder); without it only inline PEM certificates can be added.
    """
    return _Loader(source, read_file).load(yaml_text, base_dir)


def decode_spec(data: bytes, source: str = "<spec>") -> str:
    """A spec file's bytes as text: UTF-8 (a byte order mark is dropped), else SpecError at its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpecError(f"not valid UTF-8 (byte 0x{data[error.start:error.start + 1].hex()}); a "
                        "change spec is UTF-8 text", source=source,
                        line=data.count(b"\n", 0, error.start) + 1) from None


def _file_name(reference: str) -> str:
    """A file name from a spec as a message shows it: on one line, and not too long."""
    shown = reference if reference.isprintable() else repr(reference)[1:-1]
    return shown if len(shown) <= 120 else shown[:117] + "..."


class _Loader(ValueReader):
    """The version-1 vocabulary over YAML nodes with positions: keys, values, what each means."""

    def __init__(self, source: str, read_file: FileReader | None = None) -> None:
        super().__init__(source)
        self.read_file = read_file

    def load(self, text: str, base_dir: Path | None) -> Spec:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_SPEC_BYTES:
            raise SpecError(f"the spec is {size} bytes, more than the limit of {MAX_SPEC_BYTES} "
                            "(1 MB); a change spec is a short text", source=self.source)
        root = self.compose(text)
        if root is None:
            raise self.error("", "empty spec: expected a mapping with version: 1 and changes", 1)
        return self.spec(root, base_dir)

    def spec(self, root: Node, base_dir: Path | None) -> Spec:
        entries = self.mapping(root, "", SPEC_KEYS, "a mapping with version: 1 and changes")
        if "version" not in entries:
            raise self.error("version", f"missing; a change spec starts with version: {SPEC_VERSION}",
                             node_line(root))
        version_node = entries["version"][1]
        version = self.scalar(version_node, "version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise self.error("version", f"expected {SPEC_VERSION}, found {describe(version)}",
                             node_line(version_node))
        if version != SPEC_VERSION:
            raise self.error("version", f"unsupported version {version}; this certdata-tool reads "
                             f"version {SPEC_VERSION}", node_line(version_node))
        title = None
        if "title" in entries:
            title_node = entries["title"][1]
            value = self.scalar(title_node, "title")
            if not isinstance(value, str):
                raise self.error("title", f"expected a string, found {describe(value)}",
                                 node_line(title_node))
            title = value
        bug = self.bug(entries["bug"][1]) if "bug" in entries else None
        if "changes" not in entries:
            raise self.error("changes", "missing; list the changes to make under changes:",
                             node_line(root))
        changes_node = entries["changes"][1]
        if not isinstance(changes_node, SequenceNode):
            raise self.error("changes", "expected a list of changes, found "
                             f"{describe(self.scalar(changes_node, 'changes'))}", node_line(changes_node))
        if not changes_node.value:
            raise self.error("changes", "is empty; list at least one change", node_line(changes_node))
        changes = tuple(self.change(item, f"changes[{index}]", base_dir)
                        for index, item in enumerate(changes_node.value))
        return Spec(version=version, title=title, bug=bug, changes=changes, source=self.source,
                    base_dir=base_dir)

    def bug(self, node: Node) -> int | str:
        value = self.scalar(node, "bug")
        # Mozilla's bug numbers have 7 digits; 12 leave room and keep messages and reports short.
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**12:
            return value
        if isinstance(value, str):
            text = value.strip()
            if text.isdigit() and len(text) <= 12 and int(text) > 0:
                return int(text)
            if text.startswith(("https://", "http://")) and len(text) > 8 and " " not in text:
                return text
        raise self.error("bug", f"expected a Mozilla bug number or a URL, found {describe(value)}",
                         node_line(node))

    def change(self, node: Node, path: str, base_dir: Path | None) -> Change:
        if isinstance(node, MappingNode):
            for key_node, _ in node.value:
                if self.scalar(key_node, path) == "add":
                    return self.add(node, path, base_dir)
        entries = self.mapping(node, path, CHANGE_KEYS,
                               "a mapping with select and what to change")
        key_lines = {key: node_line(key_node) for key, (key_node, _) in entries.items()}
        if "select" not in entries:
            raise self.error(path, "missing select; every change names its roots with "
                             "select: {label: ..., sha256: ...}", node_line(node))
        actions = [key for key in ACTION_KEYS if key in entries]
        if not actions:
            raise self.error(path, f"nothing to change; give at least one of {one_of(ACTION_KEYS)}",
                             node_line(node))
        selectors = self.selectors(entries["select"][1], f"{path}.select", key_lines)
        remove = False
        if "remove" in entries:
            value_node = entries["remove"][1]
            value = self.scalar(value_node, f"{path}.remove")
            if value is not True:
                raise self.error(f"{path}.remove", "must be true (to keep the root, leave remove out), "
                                 f"found {describe(value)}", node_line(value_node))
            others = [key for key in actions if key != "remove"]
            if others:
                raise self.error(f"{path}.remove", f"remove stands alone: it cannot be combined with "
                                 f"{one_of(tuple(others))} in the same change", key_lines["remove"])
            remove = True
        trust, step_up = self.trust(entries["trust"][1], f"{path}.trust") if "trust" in entries else (
            None, None)
        return ModifyChange(
            selector=selectors[0],
            more_selectors=selectors[1:],
            distrust_after=(self.distrust_after(entries["distrust_after"][1], f"{path}.distrust_after")
                            if "distrust_after" in entries else None),
            trust=trust,
            step_up_approved=step_up,
            mozilla_ca_policy=(self.boolean(entries["mozilla_ca_policy"][1], f"{path}.mozilla_ca_policy")
                               if "mozilla_ca_policy" in entries else None),
            rename=self.label(entries["rename"][1], f"{path}.rename") if "rename" in entries else None,
            remove=remove,
            line=node_line(node),
            path=path,
            key_lines=key_lines,
        )

    def add(self, node: Node, path: str, base_dir: Path | None) -> AddChange:
        """An entry `- add: {certificate, label, ...}`, which stands alone."""
        assert isinstance(node, MappingNode)
        key_lines: dict[str, int] = {}
        add_node: Node | None = None
        for key_node, value_node in node.value:
            key = self.scalar(key_node, path)
            if key == "add":
                if add_node is not None:
                    raise self.error(f"{path}.add", "duplicate key", node_line(key_node))
                add_node = value_node
                key_lines["add"] = node_line(key_node)
            else:
                shown = key if isinstance(key, str) else describe(key)
                raise self.error(f"{path}.{shown}", "add stands alone in its entry; to change other "
                                 "roots, or the new one, write a separate - select: entry after it",
                                 node_line(key_node))
        assert add_node is not None
        add_path = f"{path}.add"
        entries = self.mapping(add_node, add_path, ADD_KEYS,
                               "a mapping with the new root's certificate, label and trust")
        key_lines.update({f"add.{key}": node_line(key_node) for key, (key_node, _) in entries.items()})
        for required, example in (("certificate", "certificate: roots/new-root.pem"),
                                  ("label", 'label: "New Root"')):
            if required not in entries:
                raise self.error(add_path, f"missing {required}; an add needs the certificate and the "
                                 f"label of the new root ({example})", key_lines["add"])
        der, certificate_ref = self.certificate(entries["certificate"][1], f"{add_path}.certificate",
                                                base_dir)
        label = self.label(entries["label"][1], f"{add_path}.label")
        levels: dict[TrustField, TrustLevel] = {}
        step_up = None
        if "trust" in entries:
            levels, step_up = self.trust(entries["trust"][1], f"{add_path}.trust")
        if "step_up_approved" in entries:
            if step_up is not None:
                raise self.error(f"{add_path}.step_up_approved", "given twice: here and in "
                                 "trust.step_up_approved; keep one", key_lines["add.step_up_approved"])
            step_up = self.boolean(entries["step_up_approved"][1], f"{add_path}.step_up_approved")
        dates: dict[DistrustPurpose, datetime | None] = {}
        if "distrust_after" in entries:
            dates = self.distrust_after(entries["distrust_after"][1], f"{add_path}.distrust_after")
        after = None
        if "after" in entries:
            after = self.selector(entries["after"][1], f"{add_path}.after", AFTER_KEYS)
        return AddChange(
            der=der,
            label=label,
            trust={trust_field: levels.get(trust_field, TrustLevel.MUST_VERIFY_TRUST)
                   for trust_field in TrustField},
            distrust_after={purpose: dates.get(purpose) for purpose in DistrustPurpose},
            step_up_approved=bool(step_up),
            after=after,
            certificate_ref=certificate_ref,
            line=node_line(node),
            path=path,
            key_lines=key_lines,
        )

    def certificate(self, node: Node, path: str, base_dir: Path | None) -> tuple[bytes, str | None]:
        """The DER bytes of `certificate:` (inline PEM text, or a PEM/DER file relative to the spec)
        and the file name as written (None for inline PEM)."""
        from ..x509.checks import certificate_from_bytes

        value = self.scalar(node, path)
        if not isinstance(value, str) or not value.strip():
            raise self.error(path, "expected the certificate's file name (PEM or DER, relative to the "
                             f"spec) or its PEM text, found {describe(value)}", node_line(node))
        if "-----BEGIN" in value:
            data, name, reference = value.encode("utf-8", "replace"), "the inline PEM text", None
        else:
            if "\n" in value.strip():
                raise self.error(path, "expected one file name or PEM text starting with "
                                 "-----BEGIN CERTIFICATE-----, found several lines", node_line(node))
            reference = value.strip()
            data = self.read_certificate(reference, base_dir, path, node_line(node))
            name = _file_name(reference)
        try:
            return certificate_from_bytes(data, name), reference
        except ValueError as error:
            raise self.error(path, str(error), node_line(node)) from None

    def read_certificate(self, reference: str, base_dir: Path | None, path: str, line: int) -> bytes:
        """The bytes of a certificate file named in the spec, through the caller's reader (the core
        opens no file): it resolves the name against the spec's folder (or the current one)."""
        relative = base_dir is not None and "\0" not in reference and not Path(reference).is_absolute()
        where = " (relative to the spec's folder)" if relative else ""
        if self.read_file is None:
            raise self.error(path, f"{_file_name(reference)}: no file can be read here; give the "
                             "certificate as PEM text, or load the spec with a file reader", line)
        try:
            data = self.read_file(reference, MAX_CERTIFICATE_BYTES + 1)
            if len(data) <= MAX_CERTIFICATE_BYTES:
                return data
            problem = (f"more than {MAX_CERTIFICATE_BYTES} bytes (1 MB); a certificate file is a few "
                       "kilobytes")
        except (ValueError, UnicodeError):  # a NUL or a lone surrogate: no file can have that name
            problem = "not a usable file name"
        except FileNotFoundError:
            problem = "no such file"
        except IsADirectoryError:
            problem = "is a directory, expected a certificate file"
        except PermissionError:
            problem = "permission denied"
        except OSError as error:
            problem = f"cannot read: {error.strerror or error}"
        raise self.error(path, f"{_file_name(reference)}{where}: {problem}", line)



__all__ = [
    "ACTION_KEYS",
    "ADD_KEYS",
    "AFTER_KEYS",
    "CHANGE_KEYS",
    "DISTRUST_KEYS",
    "SELECTOR_KEYS",
    "SPEC_KEYS",
    "SPEC_VERSION",
    "TRUST_KEYS",
    "AddChange",
    "Change",
    "FileReader",
    "ModifyChange",
    "Spec",
    "decode_spec",
    "load_spec",
    "parse_moment",
]
