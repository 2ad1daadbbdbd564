"""The document taxonomy: types, their titles, keywords and fields, loaded from YAML.

The shipped default lives in ``ocr/data/document-types.yaml``; a center adds or overrides
types with its own file of the same shape, merged over it, so no code changes per center.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ocr.mrz import MRZ_ELEMENTS

DEFAULT_TAXONOMY_PATH = Path(__file__).parent / "data" / "document-types.yaml"

#: Value kinds that ``ocr.normalize.normalize`` understands.
VALUE_KINDS = frozenset(
    {
        "date",
        "id_number",
        "name",
        "text",
        "integer",
        "number",
        "money",
        "dossier_code",
        "gender",
        "licence_number",
        "licence_class",
    }
)

OTHER = "other"
RECEIPT = "reception_receipt"


class TaxonomyError(ValueError):
    """A taxonomy file is unreadable or malformed; the message names the file and the key."""


@dataclass(slots=True)
class FieldSpec:
    """One field of a document type: how to find its label and how to check its value."""

    name: str
    kind: str
    labels: list[str]
    section: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # a closed vocabulary, if any
    #: plausible bounds of a numeric value (a house of 94 floors is an OCR error), if any
    bounds: tuple[float, float] | None = None
    #: False for a field read only to check others (a receipt's identity number against the
    #: forms'): it never appears in a document's fields
    report: bool = True
    #: the element of an identity card's machine-readable zone that states the same fact
    #: (``ocr.mrz.MRZ_ELEMENTS``): it confirms, supplies or corrects the printed value
    mrz: str | None = None
    #: words every value opens with, by law or custom ("Hộ kinh doanh" before a household
    #: business's own name): OCR's misreadings of them are given back as written here
    prefix: str | None = None
    #: True for an address that always closes with its province (an identity card's
    #: residence): one that stops short of it was cut by OCR, even at a unit's name
    ends_with_province: bool = False


@dataclass(slots=True)
class DocumentType:
    """A kind of document: the titles that open it, keywords, and the fields to extract."""

    name: str
    titles: list[str]
    keywords: list[str]
    fields: list[FieldSpec]
    other_labels: list[str] = field(default_factory=list)

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"document type {self.name!r} has no field {name!r}")

    def same_person(self, id_field: str, kind: str, roles: tuple[str, ...] = ()) -> str | None:
        """The one field of ``kind`` that belongs to the person whose identity number is
        ``id_field``, or None when that is not plain: ``groom_id_number`` goes with
        ``groom_name`` and ``groom_birth_date``, a lone ``id_number`` with the document's one
        field of that kind. ``roles`` narrows the match to those field names after the person's
        prefix (``birth_date``, not ``registration_date``)."""
        prefix = id_field.removesuffix("id_number")
        names = [f.name for f in self.fields if f.kind == kind and f.name.startswith(prefix)]
        if roles:
            names = [n for n in names if n.removeprefix(prefix) in roles]
        return names[0] if len(names) == 1 else None


@dataclass(slots=True)
class Taxonomy:
    """Every document type a center handles, its procedures and its dossier-code format."""

    types: dict[str, DocumentType]
    procedures: dict[str, dict[str, Any]]
    dossier_code_pattern: re.Pattern[str]
    start_markers: list[str] = field(default_factory=list)

    def get(self, name: str) -> DocumentType:
        try:
            return self.types[name]
        except KeyError:
            raise KeyError(
                f"unknown document type {name!r}; known: {', '.join(sorted(self.types))}"
            ) from None


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(f"cannot read document types file {path}: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{path} is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path}: top level must be a mapping with 'types:'")
    return data


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Merge a center's file over the default: types key by key, fields field by field."""
    merged = copy.deepcopy(base)
    for key, value in extra.items():
        if key == "types" and isinstance(value, dict):
            types = merged.setdefault("types", {})
            for type_name, type_def in value.items():
                if type_def is None:
                    types.pop(type_name, None)
                    continue
                if not isinstance(type_def, dict) or not isinstance(types.get(type_name), dict):
                    types[type_name] = copy.deepcopy(type_def)
                    continue
                target = types[type_name]
                for tkey, tvalue in type_def.items():
                    if tkey == "fields" and isinstance(tvalue, dict):
                        fields = target.setdefault("fields", {}) or {}
                        target["fields"] = fields
                        for fname, fdef in tvalue.items():
                            if fdef is None:
                                fields.pop(fname, None)
                            else:
                                fields[fname] = copy.deepcopy(fdef)
                    else:
                        target[tkey] = copy.deepcopy(tvalue)
        elif key == "procedures" and isinstance(value, dict):
            merged.setdefault("procedures", {}).update(copy.deepcopy(value))
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _str_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise TaxonomyError(f"{where} must be a string or a list of strings, got {value!r}")


def _default_labels(field_name: str) -> list[str]:
    """A field declared without labels is looked for by its own name, words spaced."""
    return [field_name.replace("_", " ")]


def _build_field(
    type_name: str, name: str, spec: Any, source: str, procedure_names: list[str]
) -> FieldSpec:
    where = f"{source}: types.{type_name}.fields.{name}"
    values: list[str] = []
    bounds: tuple[float, float] | None = None
    report = True
    mrz: str | None = None
    prefix: str | None = None
    ends_with_province = False
    if isinstance(spec, str):
        kind, labels, section = spec, _default_labels(name), []
    elif isinstance(spec, dict):
        kind = spec.get("kind")
        if not isinstance(kind, str):
            raise TaxonomyError(f"{where} needs 'kind: <one of {sorted(VALUE_KINDS)}>'")
        labels = _str_list(spec.get("labels"), f"{where}.labels") or _default_labels(name)
        section = _str_list(spec.get("section"), f"{where}.section")
        raw_values = spec.get("values")
        values = (
            procedure_names
            if raw_values == "procedures"
            else _str_list(raw_values, f"{where}.values")
        )
        raw_range = spec.get("range")
        if raw_range is not None:
            if (
                not isinstance(raw_range, list)
                or len(raw_range) != 2
                or not all(isinstance(v, int | float) for v in raw_range)
                or raw_range[0] > raw_range[1]
            ):
                raise TaxonomyError(f"{where}.range must be [low, high], got {raw_range!r}")
            bounds = (float(raw_range[0]), float(raw_range[1]))
        report = spec.get("report", True)
        if not isinstance(report, bool):
            raise TaxonomyError(f"{where}.report must be true or false, got {report!r}")
        mrz = spec.get("mrz")
        if mrz is not None and mrz not in MRZ_ELEMENTS:
            elements = ", ".join(sorted(MRZ_ELEMENTS))
            raise TaxonomyError(f"{where}.mrz must be one of {elements}, got {mrz!r}")
        prefix = spec.get("prefix")
        if prefix is not None and (not isinstance(prefix, str) or not prefix.strip()):
            raise TaxonomyError(f"{where}.prefix must be the words values open with")
        ends_with_province = spec.get("ends_with_province", False)
        if not isinstance(ends_with_province, bool):
            raise TaxonomyError(
                f"{where}.ends_with_province must be true or false, got {ends_with_province!r}"
            )
    else:
        raise TaxonomyError(f"{where} must be a kind name or a mapping with 'kind' and 'labels'")
    if kind not in VALUE_KINDS:
        raise TaxonomyError(
            f"{where}: unknown value kind {kind!r}; use one of {', '.join(sorted(VALUE_KINDS))}"
        )
    return FieldSpec(
        name=name,
        kind=kind,
        labels=labels,
        section=section,
        values=values,
        bounds=bounds,
        report=report,
        mrz=mrz,
        prefix=prefix.strip() if prefix else None,
        ends_with_province=ends_with_province,
    )


def _build_type(name: str, spec: Any, source: str, procedure_names: list[str]) -> DocumentType:
    where = f"{source}: types.{name}"
    if not isinstance(spec, dict):
        raise TaxonomyError(f"{where} must be a mapping with 'title' and 'fields'")
    titles = _str_list(spec.get("titles"), f"{where}.titles")
    title = spec.get("title")
    if title is not None and not isinstance(title, str):
        raise TaxonomyError(f"{where}.title must be a string or null")
    if title and title not in titles:
        titles.insert(0, title)
    fields_def = spec.get("fields") or {}
    if not isinstance(fields_def, dict):
        raise TaxonomyError(f"{where}.fields must be a mapping of field name to kind")
    fields = [
        _build_field(name, fname, fdef, source, procedure_names)
        for fname, fdef in fields_def.items()
    ]
    if not titles and name != OTHER:
        raise TaxonomyError(f"{where} needs a 'title' (or 'titles') to be recognised by")
    return DocumentType(
        name=name,
        titles=titles,
        keywords=_str_list(spec.get("keywords"), f"{where}.keywords"),
        fields=fields,
        other_labels=_str_list(spec.get("other_labels"), f"{where}.other_labels"),
    )


def build_taxonomy(data: dict[str, Any], source: str = "<taxonomy>") -> Taxonomy:
    """Validate a parsed (already merged) taxonomy mapping and build the typed model."""
    types_def = data.get("types")
    if not isinstance(types_def, dict) or not types_def:
        raise TaxonomyError(f"{source}: 'types:' must be a non-empty mapping")
    procedures_def = data.get("procedures") or {}
    procedure_names = [
        n
        for pdef in (procedures_def.values() if isinstance(procedures_def, dict) else [])
        if isinstance(pdef, dict)
        for n in _str_list(pdef.get("names"), "procedures.*.names")
    ]
    types = {
        name: _build_type(name, spec, source, procedure_names) for name, spec in types_def.items()
    }
    types.setdefault(OTHER, DocumentType(OTHER, [], [], []))
    code_def = data.get("dossier_code") or {}
    pattern_text = code_def.get("pattern") if isinstance(code_def, dict) else None
    if not isinstance(pattern_text, str):
        raise TaxonomyError(f"{source}: 'dossier_code: {{pattern: ...}}' is required")
    try:
        pattern = re.compile(pattern_text)
    except re.error as exc:
        raise TaxonomyError(f"{source}: dossier_code.pattern is not a regex: {exc}") from exc
    procedures = data.get("procedures") or {}
    if not isinstance(procedures, dict):
        raise TaxonomyError(f"{source}: 'procedures:' must be a mapping")
    for proc, pdef in procedures.items():
        opening = pdef.get("opening_document") if isinstance(pdef, dict) else None
        if opening not in types:
            raise TaxonomyError(
                f"{source}: procedures.{proc}.opening_document {opening!r} is not a known type"
            )
    return Taxonomy(
        types=types,
        procedures=procedures,
        dossier_code_pattern=pattern,
        start_markers=_str_list(data.get("document_start_markers"), "document_start_markers"),
    )


@lru_cache(maxsize=8)
def _load_cached(extra: Path | None, _mtime: float) -> Taxonomy:
    data = _read_yaml(DEFAULT_TAXONOMY_PATH)
    source = str(DEFAULT_TAXONOMY_PATH)
    if extra is not None:
        data = _merge(data, _read_yaml(extra))
        source = f"{extra} (merged over the default)"
    return build_taxonomy(data, source)


def load_taxonomy(extra: Path | None = None) -> Taxonomy:
    """The shipped taxonomy, merged with a center's own file when one is given.

    Raises :class:`TaxonomyError` naming the file and key when either file is malformed.
    """
    if extra is None:
        return _load_cached(None, 0.0)
    path = Path(extra).resolve()
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise TaxonomyError(f"cannot read document types file {path}: {exc}") from exc
    return _load_cached(path, mtime)
