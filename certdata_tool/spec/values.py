"""The values of a change spec, each read from its YAML node with the node's line: selectors, trust
values, distrust-after moments (with the mistakes people make writing dates), labels."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..model.blocks import label_problem
from ..model.roots import DistrustPurpose, TrustField, TrustLevel
from ..model.selectors import Selector, normalize_fingerprint
from ..moments import EXPECTED, UTCTIME_YEARS, iso_for_words, read_moment
from .yaml_nodes import YamlNodes, describe, node_line, one_of

SELECTOR_KEYS = ("label", "sha256", "sha1", "count")
AFTER_KEYS = ("label", "sha256", "sha1")  # `after` names one root: no count
TRUST_KEYS = (*(trust_field.value for trust_field in TrustField), "step_up_approved")
DISTRUST_KEYS = tuple(purpose.value for purpose in DistrustPurpose)


def parse_moment(value: object) -> datetime:
    """A distrust-after instant from a spec's text (the grammar of every `--at`), or from a date or
    aware datetime a library caller gives; ValueError says what is wrong."""
    if isinstance(value, datetime):  # a library caller's value (a spec's text comes as text)
        if value.tzinfo is None:
            raise ValueError(f"{value.isoformat()} has no time zone; {EXPECTED}")
        moment, shown = value.astimezone(UTC), value.isoformat()
        if moment.microsecond:
            raise ValueError(f"{shown} has fractions of a second, which a UTCTime value cannot express")
    elif isinstance(value, date):
        moment, shown = datetime.combine(value, time(), tzinfo=UTC), value.isoformat()
    elif isinstance(value, str):
        shown = value.strip()
        try:
            moment = read_moment(shown)
        except ValueError as error:
            raise ValueError(f"{value!r}: {error}") from None
    else:
        raise ValueError(f"{EXPECTED} (or null), found {describe(value)}")
    low, high = UTCTIME_YEARS
    if not low <= moment.year <= high:
        raise ValueError(f"{shown} is outside {low}-{high}, which a UTCTime distrust-after value "
                         "cannot express")
    return moment


class ValueReader(YamlNodes):
    """Reads one value of the version-1 vocabulary from its node; errors name its key path and line."""

    def selectors(self, node: Node, path: str, key_lines: dict[str, int]) -> tuple[Selector, ...]:
        """`select:` as one mapping, or a list of them (each with its line in `key_lines`)."""
        if not isinstance(node, SequenceNode):
            return (self.selector(node, path),)
        if not node.value:
            raise self.error(path, "is an empty list; give one selector such as {label: \"Some Root\"} "
                             "or a list of them", node_line(node))
        found = []
        for index, item in enumerate(node.value):
            key_lines[f"select[{index}]"] = node_line(item)
            found.append(self.selector(item, f"{path}[{index}]"))
        return tuple(found)

    def selector(self, node: Node, path: str, keys: tuple[str, ...] = SELECTOR_KEYS) -> Selector:
        what = ("a mapping such as {label: \"Some Root\"}" if keys == AFTER_KEYS else
                "a mapping such as {label: \"Some Root\"}, or a list of them")
        entries = self.mapping(node, path, keys, what)
        if not any(key in entries for key in ("label", "sha256", "sha1")):
            raise self.error(path, "needs at least one of label, sha256 or sha1", node_line(node))
        values: dict[str, Any] = {}
        for key, (_, value_node) in entries.items():
            key_path = f"{path}.{key}"
            value = self.scalar(value_node, key_path)
            if key == "count":
                if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                    raise self.error(key_path, "expected the number of roots that must match "
                                     f"(1 or more), found {describe(value)}", node_line(value_node))
                values[key] = value
                continue
            if not isinstance(value, str):
                hint = " (quote it)" if key != "label" and isinstance(value, int | float) else ""
                raise self.error(key_path, f"expected a string{hint}, found {describe(value)}",
                                 node_line(value_node))
            if key == "label":
                if not value:
                    raise self.error(key_path, "is empty", node_line(value_node))
                values[key] = value
                continue
            try:
                values[key] = normalize_fingerprint(value, digest_size=32 if key == "sha256" else 20,
                                                    key=key)
            except ValueError as error:
                raise self.error(key_path, str(error), node_line(value_node)) from None
        return Selector(**values)

    def trust(self, node: Node, path: str) -> tuple[dict[TrustField, TrustLevel], bool | None]:
        entries = self.mapping(node, path, TRUST_KEYS, "a mapping such as {server_auth: must_verify_trust}")
        if not entries:
            raise self.error(path, f"is empty; give at least one of {one_of(TRUST_KEYS)}", node_line(node))
        levels: dict[TrustField, TrustLevel] = {}
        for trust_field in TrustField:
            if trust_field.value not in entries:
                continue
            key_path = f"{path}.{trust_field.value}"
            value_node = entries[trust_field.value][1]
            value = self.scalar(value_node, key_path)
            if not isinstance(value, str):
                raise self.error(key_path, f"expected a trust value such as must_verify_trust, found "
                                 f"{describe(value)}", node_line(value_node))
            try:
                levels[trust_field] = TrustLevel.from_name(value)
            except ValueError as error:
                raise self.error(key_path, str(error), node_line(value_node)) from None
        step_up = None
        if "step_up_approved" in entries:
            step_up = self.boolean(entries["step_up_approved"][1], f"{path}.step_up_approved")
        return levels, step_up

    def distrust_after(self, node: Node, path: str) -> dict[DistrustPurpose, datetime | None]:
        if isinstance(node, MappingNode):
            self.refuse_split_date(node, path)
        entries = self.mapping(node, path, DISTRUST_KEYS, "a mapping such as {server: 2024-06-30}")
        if not entries:
            raise self.error(path, "is empty; give server, email or both", node_line(node))
        dates: dict[DistrustPurpose, datetime | None] = {}
        for purpose in DistrustPurpose:
            if purpose.value not in entries:
                continue
            key_path = f"{path}.{purpose.value}"
            value_node = entries[purpose.value][1]
            value = self.scalar(value_node, key_path)
            if value is None:
                dates[purpose] = None
                continue
            if isinstance(value, date):
                # YAML read it as a date or timestamp, in any of its many forms: the spec's text is
                # what the one grammar judges, quoted or not.
                value = str(value_node.value)
            if isinstance(value, str):
                self.refuse_date_in_words(value, purpose.value, key_path, node_line(value_node))
            try:
                dates[purpose] = parse_moment(value)
            except ValueError as error:
                raise self.error(key_path, str(error), node_line(value_node)) from None
        return dates

    def refuse_split_date(self, node: MappingNode, path: str) -> None:
        """`{server: June 30, 2024}`: inside { } the comma ends the value `June 30`, and `2024`
        becomes a key of its own. Say so, rather than that 2024 is not a key name."""
        for (key, value), (year, empty) in zip(node.value, node.value[1:], strict=False):
            scalars = all(isinstance(part, ScalarNode) for part in (value, year, empty))
            if (scalars and year.tag == "tag:yaml.org,2002:int" and len(str(year.value)) == 4
                    and empty.tag == "tag:yaml.org,2002:null"):
                self.refuse_date_in_words(f"{value.value}, {year.value}", str(key.value),
                                          f"{path}.{key.value}", node_line(value),
                                          " (inside { } its comma ended the value)")

    def refuse_date_in_words(self, text: str, key: str, path: str, line: int, why: str = "") -> None:
        """`June 30, 2024` (a date as people write it) is an error that says what to write."""
        suggestions = iso_for_words(text)
        if not suggestions:
            return
        error = self.error(path, f"{text!r} is a date in words{why}; {EXPECTED}", line)
        if len(suggestions) == 1:
            error.hint = f"write {key}: {suggestions[0]}"
        else:
            day, last = suggestions
            error.hint = (f"write {key}: {day} (00:00:00 UTC, the day's start) or {key}: {last} (its last "
                          "second, as NSS writes dates since late 2024)")
        raise error

    def label(self, node: Node, path: str) -> str:
        value = self.scalar(node, path)
        if not isinstance(value, str):
            raise self.error(path, f"expected the new label as a string, found {describe(value)}",
                             node_line(node))
        problem = label_problem(value)
        if problem is not None:
            raise self.error(path, problem, node_line(node))
        return value
