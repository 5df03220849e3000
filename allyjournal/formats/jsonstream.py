"""Reading a large JSON document one array element at a time, in bounded memory.

An export of a million entries is a 360 MB file; `json.load` would hold all of it as Python
objects (about 1.4 GB). This reader walks the top-level object itself and hands over the
elements of one array (`entries`) as they are decoded, with the standard library's decoder
doing the real parsing (`JSONDecoder.raw_decode` on a sliding window of the text). The other
top-level values are small and returned whole.
"""

from __future__ import annotations

import json
import json.scanner
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from allyjournal.core.errors import BadInput

CHUNK = 1 << 20
_VISIBLE = re.compile(r"[^ \t\n\r]")  # JSON's whitespace is these four; found in one scan
# Between two elements of the streamed array: a comma and the whitespace around it, in one
# match (a million elements, a million matches, rather than three calls each).
_NEXT_ELEMENT = re.compile(r"[ \t\n\r]*,[ \t\n\r]*(?=[^ \t\n\r])")


class StreamedObject:
    """The top-level object of a JSON file: `items()` yields (key, value, False) in file order,
    except that the array under `streamed` is yielded element by element as (key, element,
    True)."""

    def __init__(self, path: Path, streamed: str) -> None:
        self.path = path
        self.streamed = streamed
        # The C scanner itself: `JSONDecoder.raw_decode` only wraps it, a call per element.
        decoder: Any = json.JSONDecoder()  # typeshed types make_scanner's argument oddly
        self._scan: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(decoder)
        self._handle = path.open(encoding="utf-8")
        self._buffer = ""
        self._position = 0
        self._consumed = 0  # characters dropped from the front of the buffer
        self._eof = False

    def close(self) -> None:
        self._handle.close()

    def _fail(self, what: str) -> BadInput:
        where = self._consumed + self._position
        return BadInput(f"Cannot read {self.path} as JSON: {what} (character {where}).")

    def _more(self, size: int = 0) -> bool:
        size = size or CHUNK  # read at call time: the tests make chunks tiny
        if self._eof:
            return False
        try:
            chunk = self._handle.read(size)
        except UnicodeDecodeError as error:
            raise BadInput(f"Cannot read {self.path} as JSON: it is not UTF-8 ({error}).") from None
        if not chunk:
            self._eof = True
            return False
        if self._position > CHUNK:
            self._consumed += self._position
            self._buffer = self._buffer[self._position :]
            self._position = 0
        self._buffer += chunk
        return True

    def _next_char(self) -> str:
        """The next character that is not whitespace (not consumed); "" at the end."""
        while True:
            found = _VISIBLE.search(self._buffer, self._position)
            if found is not None:
                self._position = found.start()
                return self._buffer[self._position]
            self._position = len(self._buffer)
            if not self._more():
                return ""

    def _expect(self, characters: str) -> str:
        found = self._next_char()
        if not found or found not in characters:
            raise self._fail(f"expected {' or '.join(repr(c) for c in characters)}")
        self._position += 1
        return found

    def _value(self) -> Any:
        """Decode the value at the current position, reading more text until it is whole."""
        self._next_char()
        size = CHUNK
        while True:
            try:
                value, end = self._scan(self._buffer, self._position)
            except (StopIteration, json.JSONDecodeError) as error:
                if self._more(size):
                    size *= 2  # a long value: read ahead in growing steps, not char by char
                    continue
                if isinstance(error, StopIteration):  # where no value could start
                    self._position = error.value
                    raise self._fail("Expecting value") from None
                self._position = error.pos
                raise self._fail(error.msg) from None
            except RecursionError:
                raise self._fail("nested too deeply") from None
            if end == len(self._buffer) and self._more(size):
                continue  # a number may go on in the next chunk: decode it whole
            self._position = end
            return value

    def items(self) -> Iterator[tuple[str, Any, bool]]:
        try:
            self._expect("{")
            if self._next_char() == "}":
                self._position += 1
                return
            while True:
                key = self._value()
                if not isinstance(key, str):
                    raise self._fail("expected a key")
                self._expect(":")
                if key == self.streamed and self._next_char() == "[":
                    self._position += 1
                    if self._next_char() == "]":
                        self._position += 1
                    else:
                        while True:
                            yield key, self._value(), True
                            between = _NEXT_ELEMENT.match(self._buffer, self._position)
                            if between is not None:  # the next element starts in the buffer
                                self._position = between.end()
                            elif self._expect(",]") == "]":
                                break
                else:
                    yield key, self._value(), False
                if self._expect(",}") == "}":
                    break
            if self._next_char():
                raise self._fail("extra data after the document")
        finally:
            self.close()
