"""JSON text from orjson, where it is exactly the standard library's.

orjson writes what `json.dumps(value, ensure_ascii=False)` writes, compact (separators ","
and ":") or indented by two, byte for byte (tests/test_codec.py holds it to that), in C and
many times faster. What it refuses, the standard library writes, or refuses, as it always
did: numbers beyond 64 bits, keys that are not text, lone surrogates, and dataclasses and
datetimes (which orjson would otherwise write where the standard library stops). The journal
holds no floats (orjson writes NaN as null). Imported on first use.
"""

from __future__ import annotations

from typing import Any


def exact_json(value: Any, *, indent: bool = False) -> bytes | None:
    """`value` as UTF-8 JSON (compact, or indented by two), or None where orjson would not
    write what the standard library writes: the caller then asks the standard library."""
    import orjson

    option = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
    try:
        return orjson.dumps(value, option=option | orjson.OPT_INDENT_2 if indent else option)
    except TypeError:  # orjson.JSONEncodeError
        return None
