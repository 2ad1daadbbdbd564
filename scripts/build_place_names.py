"""Regenerate ``ocr/data/places.txt``: the names of Vietnam's administrative units.

The names come from the General Statistics Office's list of administrative units (danh mục
đơn vị hành chính), as packaged by ``vietnam-provinces`` on PyPI: 0.6.0 holds the units of
2008-2025 (63 provinces, their districts and communes; documents issued before July 2025 print
them), 2025.10.1 those after the July 2025 reorganisation. Not a runtime dependency: run this
once when the list changes, and commit the file.

    pip download --no-deps vietnam-provinces==0.6.0 vietnam-provinces==2025.10.1 -d /tmp/vp
    python scripts/build_place_names.py /tmp/vp/*.whl > ocr/data/places.txt
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
import zipfile

PREFIXES = ("Thành phố", "Thị xã", "Thị trấn", "Quận", "Huyện", "Phường", "Xã", "Tỉnh", "Đặc khu")
#: Tone marks on the first vowel of a final "oa", "oe", "uy" ("Hòa", "Thủy"), as the rest of
#: the gazetteer and most printed forms place them; the list mixes both placements.
_CLASSIC = {
    **{
        f"o{t}": f"{o}{v}"
        for v, pairs in (("a", "àáảãạ"), ("e", "èéẻẽẹ"))
        for t, o in zip(pairs, "òóỏõọ", strict=True)
    },
    **{f"u{t}": f"{u}y" for t, u in zip("ỳýỷỹỵ", "ùúủũụ", strict=True)},
}


def classic_placement(name: str) -> str:
    def syllable(word: str) -> str:
        match = re.search(r"(?<![qQ])([oOuU])([àáảãạèéẻẽẹỳýỷỹỵ])$", word)
        if not match:
            return word
        pair = match.group(0).lower()
        fixed = _CLASSIC.get(pair)
        if fixed is None:
            return word
        if match.group(1).isupper():
            fixed = fixed[0].upper() + fixed[1:]
        return word[: match.start()] + fixed

    return " ".join(syllable(w) for w in name.split())


def unit_names(wheel: str) -> set[tuple[str, str]]:
    """(level, name) of every unit: level is province, district or commune."""
    with zipfile.ZipFile(wheel) as archive:
        data = json.loads(archive.read("vietnam_provinces/data/nested-divisions.json"))
    found: set[tuple[str, str]] = set()

    def add(level: str, full: str) -> None:
        full = unicodedata.normalize("NFC", full).strip()
        for prefix in PREFIXES:
            if full.startswith(prefix + " "):
                name = full[len(prefix) + 1 :].strip()
                if name and not any(c.isdigit() for c in name):
                    found.add((level, classic_placement(name)))
                return

    for province in data:
        add("province", province["name"])
        for district in province.get("districts", []):
            add("district", district["name"])
            for ward in district.get("wards", []):
                add("commune", ward["name"])
        for ward in province.get("wards", []):
            add("commune", ward["name"])
    return found


def main() -> None:
    units: set[tuple[str, str]] = set()
    for wheel in sys.argv[1:]:
        units |= unit_names(wheel)
    print("# Names of Vietnam's provinces, districts and communes, 2008-2025 and since July 2025")
    print("# (GSO list via vietnam-provinces 0.6.0 and 2025.10.1); scripts/build_place_names.py")
    print("# level<TAB>name")
    for level, name in sorted(units):
        print(f"{level}\t{name}")


if __name__ == "__main__":
    main()
