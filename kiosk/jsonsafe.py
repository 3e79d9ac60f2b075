"""JSON from outside (import files, uploads) read so that nothing in it can crash what comes
after: the checks every import format shares (kiosk-catalog/1, kiosk-progress/1).

    document = loads(text)              # JsonProblem: not JSON, nested too deeply, a number too long, NaN
    problems = value_problems(document)  # located: "items[3].name: contains U+D800 …"

What passes both can be validated field by field and stored: every integer fits a 64-bit
database column, every number is finite, every text can be written as UTF-8 (no lone
surrogates such as "\\ud800", which JSON allows as an escape), and nothing is nested deeper
than MAX_DEPTH (Python's own recursion never meets such a document).
"""

from __future__ import annotations

import json
import math
from typing import Any

#: deeper than any exchange format needs (the catalog's deepest value is at about 5)
MAX_DEPTH = 32
INT_RANGE = (-(2**63), 2**63 - 1)
MAX_PROBLEMS = 20


class JsonProblem(ValueError):
    """Text that cannot be taken as JSON; the message is located and bilingual."""


def _constant(name: str):
    raise JsonProblem(f"(file): {name} is not a number JSON allows (不允许 NaN 或 Infinity)")


def loads(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise JsonProblem(f"(file): not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg} (JSON格式错误)") from None
    except RecursionError:
        raise JsonProblem(f"(file): nested too deeply, more than {MAX_DEPTH} levels (嵌套层次过深)") from None
    except JsonProblem:
        raise
    except ValueError as exc:  # a number of more than 4,300 digits (int's limit)
        raise JsonProblem(f"(file): a number is far too long ({str(exc).split(';')[0]}) (数字过长)") from None


def _where(path: tuple) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "(root)"


def _bad_text(value: str) -> str | None:
    for char in value:
        if "\ud800" <= char <= "\udfff":
            return f"contains U+{ord(char):04X}, a lone surrogate that is not a character (含有无效字符)"
    return None


def value_problems(document: Any, max_depth: int = MAX_DEPTH) -> list[str]:
    """What in a parsed document could not be stored; [] when nothing. Walks without recursion."""
    problems: list[str] = []
    stack: list[tuple[Any, tuple]] = [(document, ())]
    while stack and len(problems) < MAX_PROBLEMS:
        value, path = stack.pop()
        if len(path) > max_depth:
            problems.append(f"{_where(path[:max_depth])}: nested more than {max_depth} levels deep (嵌套层次过深)")
            continue
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int):
            if not INT_RANGE[0] <= value <= INT_RANGE[1]:
                problems.append(f"{_where(path)}: the number is too large (数值过大)")
        elif isinstance(value, float):
            if not math.isfinite(value):
                problems.append(f"{_where(path)}: is not a finite number (数值无效)")
        elif isinstance(value, str):
            bad = _bad_text(value)
            if bad:
                problems.append(f"{_where(path)}: {bad}")
        elif isinstance(value, dict):
            for key, child in reversed(list(value.items())):
                bad = _bad_text(str(key))
                if bad:
                    problems.append(f"{_where(path)}: a field name {bad}")
                    continue
                stack.append((child, (*path, key)))
        elif isinstance(value, list):
            for index in range(len(value) - 1, -1, -1):
                stack.append((value[index], (*path, index)))
    return problems
