"""The declarative field schema the import formats are checked against (kiosk-catalog/1,
kiosk-progress/1), and the one walk that checks a parsed JSON document with it.

A format declares its fields and makes one ``Checker`` with its wording of the problems and
the kinds of field only it has (a date, an opening-hours schedule)::

    APPLICANT = {"name": Field("str", required=True, non_empty=True, max_length=100), ...}
    checker = Checker(wording, kinds={"date": Kind("a date", is_text, parse_date)})
    problems: list[str] = []
    data = checker.check_object(document, ROOT, "", problems)

The walk reports every problem with its location (``items[12].materials[3].necessity``)
instead of stopping at the first, and returns the document normalised: an absent optional
field holds a fresh copy of its default, a format's own kind holds what its parser made of it.
It knows no feature; run ``jsonsafe.value_problems`` first (what cannot be stored at all).

Base kinds: ``str``, ``int``, ``bool``, ``obj``, ``list[str]``, ``list[obj]`` (``obj`` and
``list[obj]`` take a ``schema``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Field:
    """One field: its kind, whether it is required, its default when absent, and its limits."""

    kind: str  # a base kind, or one the format's Checker was given
    required: bool = False
    default: Any = None
    #: the texts allowed (str, and each element of a list[str])
    choices: tuple[str, ...] | None = None
    #: the fields of an obj, or of each element of a list[obj]
    schema: Mapping[str, Field] | None = None
    minimum: int | None = None
    #: a text not blank, a list[str] not empty
    non_empty: bool = False
    #: the longest text the database column holds (None: unlimited)
    max_length: int | None = None


Schema = Mapping[str, Field]
#: (value of the accepted JSON type, its location, the problems) → the normalised value, or
#: None after appending the problem(s)
Parse = Callable[[Any, str, list[str]], Any]


@dataclass(frozen=True)
class Kind:
    """A kind of field a format adds to the base ones."""

    #: what a value must be, for "… is not <noun>"
    noun: str
    #: whether a value has the JSON type the kind is written as (else the not_kind problem)
    accepts: Callable[[Any], bool]
    parse: Parse
    #: the kind's own wording of the not_kind problem (default: the format's)
    not_kind: str | None = None


@dataclass(frozen=True)
class Wording:
    """How a format words each problem: ``str.format`` templates over ``where`` (the location),
    ``value`` (the value as the Checker describes it) and the names below."""

    not_kind: str = "{where}: {value} is not {kind}"
    unknown: str = "{where}: unknown field"
    missing: str = "{where}: required field is missing"
    empty: str = "{where}: must not be empty"
    too_long: str = "{where}: is {length} characters long, more than {limit}"
    not_choice: str = "{where}: {value} is not one of {choices}"
    nul: str = "{where}: contains a NUL character"
    too_small: str = "{where}: {number} is less than {minimum}"


def describe_value(value: Any, where: str = "") -> str:
    """A value for a message: as JSON, cut to 60 characters."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


#: base kind → (accepts, noun)
BASE_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "str": (lambda v: isinstance(v, str), "text"),
    "int": (_is_int, "a whole number"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "obj": (lambda v: isinstance(v, dict), "an object"),
    "list[str]": (lambda v: isinstance(v, list), "a list of texts"),
    "list[obj]": (lambda v: isinstance(v, list), "a list of objects"),
}


@dataclass(frozen=True)
class Checker:
    """Checks values against fields the way one format wants it."""

    wording: Wording = Wording()
    #: the format's own kinds, by name
    kinds: Mapping[str, Kind] = field(default_factory=dict)
    #: (value, where) → the value as a message shows it (e.g. personal data by its type only)
    describe: Callable[[Any, str], str] = describe_value
    #: an optional field given as null counts as absent (and a required one as missing)
    null_is_absent: bool = False
    #: texts are kept without surrounding white space (and checked so)
    strip_text: bool = False
    #: a text holding U+0000 is a problem
    refuse_nul: bool = True

    def check_object(self, value: dict[str, Any], schema: Schema, where: str, problems: list[str]) -> dict[str, Any]:
        """The fields of ``schema`` in ``value``, checked and normalised; unknown fields reported."""
        prefix = f"{where}." if where else ""
        out: dict[str, Any] = {}
        for key in value:
            if key not in schema:
                problems.append(self.wording.unknown.format(where=f"{prefix}{key}"))
        for key, spec in schema.items():
            if key not in value or (self.null_is_absent and value[key] is None):
                if spec.required:
                    problems.append(self.wording.missing.format(where=f"{prefix}{key}"))
                    out[key] = None
                else:
                    out[key] = copy.deepcopy(spec.default)  # a fresh copy: defaults are shared
                continue
            out[key] = self.check(value[key], spec, f"{prefix}{key}", problems)
        return out

    def check(self, value: Any, spec: Field, where: str, problems: list[str]) -> Any:
        """``value`` checked against ``spec``: the normalised value, or None after a problem of its type."""
        special = self.kinds.get(spec.kind)
        if special is not None:
            if not special.accepts(value):
                self._not_kind(special.not_kind or self.wording.not_kind, value, special.noun, where, problems)
                return None
            return special.parse(value, where, problems)
        if spec.kind not in BASE_KINDS:
            raise LookupError(f"{where}: the schema names the kind {spec.kind!r}, which this checker does not know")
        accepts, noun = BASE_KINDS[spec.kind]
        if not accepts(value):
            self._not_kind(self.wording.not_kind, value, noun, where, problems)
            return None
        if spec.kind == "str":
            return self._text(value, spec, where, problems)
        if spec.kind == "int":
            if spec.minimum is not None and value < spec.minimum:
                problems.append(self.wording.too_small.format(where=where, number=value, minimum=spec.minimum))
            return value
        if spec.kind == "bool":
            return value
        if spec.kind == "obj":
            return self.check_object(value, spec.schema or {}, where, problems)
        if spec.kind == "list[str]":
            return self._texts(value, spec, where, problems)
        element = Field("obj", schema=spec.schema)  # list[obj]
        return [self.check(item, element, f"{where}[{i}]", problems) for i, item in enumerate(value)]

    def _not_kind(self, template: str, value: Any, noun: str, where: str, problems: list[str]) -> None:
        problems.append(template.format(where=where, value=self.describe(value, where), kind=noun))

    def _text(self, value: str, spec: Field, where: str, problems: list[str]) -> str:
        if self.strip_text:
            value = value.strip()
        if self.refuse_nul and "\x00" in value:
            problems.append(self.wording.nul.format(where=where))
        if spec.max_length is not None and len(value) > spec.max_length:
            problems.append(self.wording.too_long.format(where=where, length=len(value), limit=spec.max_length))
        if spec.non_empty and not value.strip():
            problems.append(self.wording.empty.format(where=where))
        if spec.choices and value not in spec.choices:
            problems.append(self._not_choice(value, spec.choices, where))
        return value

    def _texts(self, value: list[Any], spec: Field, where: str, problems: list[str]) -> list[str]:
        out = []
        for i, element in enumerate(value):
            at = f"{where}[{i}]"
            if not isinstance(element, str):
                self._not_kind(self.wording.not_kind, element, "text", at, problems)
                continue
            if self.strip_text:
                element = element.strip()
            if self.refuse_nul and "\x00" in element:
                problems.append(self.wording.nul.format(where=at))
            elif spec.choices and element not in spec.choices:
                problems.append(self._not_choice(element, spec.choices, at))
            else:
                out.append(element)
        if spec.non_empty and not value:
            problems.append(self.wording.empty.format(where=where))
        return out

    def _not_choice(self, value: str, choices: tuple[str, ...], where: str) -> str:
        return self.wording.not_choice.format(where=where, value=self.describe(value, where), choices=", ".join(choices))
