"""Rebuild ``units.tsv`` (Vietnam's administrative units before the 2025 reorganisation) from the
mapping shipped in underthesea's wheel: ``python -m canbo.model.lexicon.make_units``.

One line per commune: province, district, commune, each with its type as written in the source
("Thành phố Hải Phòng", "Huyện Kiến Thụy", "Xã Đông Phương"). Old units are kept: pages name
the units of their day, and a merged or renamed unit keeps the name it had.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

OUT = Path(__file__).parent / "units.tsv"


def build(mapping_json: Path) -> list[tuple[str, str, str]]:
    """Distinct (province, district, commune) of the source's old units, sorted; rows without a
    commune name (the island districts) keep the district alone."""
    data = json.loads(mapping_json.read_text(encoding="utf-8"))
    rows = set()
    for r in data["ward_mapping"]:
        parts = tuple(
            unicodedata.normalize("NFC", r[k]).strip() for k in ("old_province", "old_district", "old_ward")
        )
        rows.add(parts)
    return sorted(rows)


def main() -> None:
    import underthesea

    source = Path(underthesea.__file__).parent / "address" / "data" / "mapping.json"
    rows = build(source)
    header = f"# source: underthesea {underthesea.__version__} address/data/mapping.json (old units)\n"
    OUT.write_text(header + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} units written to {OUT}")


if __name__ == "__main__":
    main()
