"""Figures → JSON-ready data: Decimal as exact strings, dates ISO, derived properties kept."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal


def jsonable(obj):
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {f.name: jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        for klass in type(obj).__mro__:
            for name, attr in vars(klass).items():
                if isinstance(attr, property) and name not in out:
                    value = getattr(obj, name)
                    if not dataclasses.is_dataclass(value):  # derived scalars only
                        out[name] = jsonable(value)
        return out
    if isinstance(obj, (list, tuple)):
        return [jsonable(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    return obj
