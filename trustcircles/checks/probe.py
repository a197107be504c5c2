"""Grading's probe: the learner's functions tried by name in their own (sandboxed) kernel, after the
notebook has run, with results handed back as plain values; and reading those values back.

Grading decides every mark outside the learner's kernel (:mod:`trustcircles.grading.judge`). What it
needs from the kernel is only what the learner's functions return on tables the grading process made:
the notebook's own table and small edge-case tables made afresh at grading time. :func:`run` is what
the kernel executes (loaded from this file by path, not from the notebook's modules): for each call it
finds the function by name (or, if it is not there, the notebook's functions with the same number of
parameters), calls it on a copy of the table with a time limit, notes which functions of the course's
package it reached (``sys.setprofile``), and publishes everything as one JSON display output of
:data:`MIME`: types, lists and numbers, never pickle, with a size limit (:func:`encode`). It also
reports a fingerprint of every loaded course function and class (:func:`manifest`), so that the
grading process can tell whether the notebook changed any of them, and what ``ex`` is.

:func:`decode` rebuilds plain Python and pandas values from that JSON in the grading process, where
the comparison happens. Nothing here imports the rest of the course: it runs in the learner's kernel.
"""
from __future__ import annotations

import hashlib
import inspect
import io
import math
import sys
import types

MIME = "application/vnd.trustcircles.probe+json"
#: at most this many values in one result (a result larger than that cannot be an answer)
MAX_ITEMS = 100_000
#: characters kept of any text in a result
MAX_TEXT = 2_000


class TooLarge(Exception):
    pass


# --------------------------------------------------------------------------- encoding (in the kernel)


def encode(value, budget: list | None = None):
    """A JSON-able, typed description of ``value`` (at most MAX_ITEMS values; TooLarge beyond)."""
    import numpy as np
    import pandas as pd

    budget = budget if budget is not None else [MAX_ITEMS]
    budget[0] -= 1
    if budget[0] < 0:
        raise TooLarge()
    if value is None:
        return {"t": "none"}
    if type(value).__name__ == "_NotAnswered":
        return {"t": "not_answered"}
    if value is Ellipsis:
        return {"t": "ellipsis"}
    if isinstance(value, (bool, np.bool_)):
        return {"t": "bool", "v": bool(value)}
    if isinstance(value, (int, np.integer)):
        number = int(value)
        return {"t": "int", "v": number} if abs(number) < 2 ** 53 else {"t": "bigint", "v": str(number)}
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return {"t": "float", "v": number if math.isfinite(number) else repr(number)}
    if isinstance(value, str):
        return {"t": "str", "v": value[:MAX_TEXT]}
    if value is pd.NA or value is pd.NaT:
        return {"t": "na"}
    if isinstance(value, pd.Timestamp):
        return {"t": "timestamp", "v": value.isoformat()}
    if isinstance(value, pd.Timedelta):
        return {"t": "timedelta", "v": value.total_seconds()}
    if isinstance(value, pd.Series):
        return {"t": "series", "index": [encode(k, budget) for k in value.index],
                "values": [encode(v, budget) for v in value.tolist()], "dtype": str(value.dtype),
                "name": encode(value.name, budget) if _simple(value.name) else {"t": "none"}}
    if isinstance(value, pd.DataFrame):
        if value.size > MAX_ITEMS:
            raise TooLarge()
        return {"t": "frame", "columns": [encode(c, budget) for c in value.columns],
                "index": [encode(k, budget) for k in value.index],
                "rows": [[encode(v, budget) for v in row] for row in value.astype(object).itertuples(index=False)]}
    if isinstance(value, pd.Index):
        return {"t": "index", "items": [encode(v, budget) for v in value.tolist()]}
    if isinstance(value, np.ndarray):
        if value.size > MAX_ITEMS:
            raise TooLarge()
        return {"t": "array", "items": [encode(v, budget) for v in value.ravel().tolist()]}
    if isinstance(value, dict):
        return {"t": "dict", "items": [[encode(k, budget), encode(v, budget)] for k, v in list(value.items())]}
    for kind in (list, tuple, set, frozenset):
        if isinstance(value, kind):
            if len(value) > MAX_ITEMS:
                raise TooLarge()
            items = sorted(value, key=repr) if kind in (set, frozenset) else list(value)
            return {"t": kind.__name__, "items": [encode(v, budget) for v in items]}
    if callable(value):
        return {"t": "function", "name": str(getattr(value, "__name__", "?"))[:100]}
    return {"t": "other", "type": type(value).__name__[:100], "repr": _safe_repr(value)}


def _simple(value) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _safe_repr(value) -> str:
    try:
        return repr(value)[:200]
    except Exception:  # the learner's object: its repr may raise
        return "?"


# --------------------------------------------------------------------------- decoding (outside)


class ReturnedFunction:
    """What a result that was a function becomes outside the kernel (callable, never called)."""

    def __init__(self, name: str):
        self.__name__ = name

    def __call__(self, *args, **kwargs):  # pragma: no cover - never called
        raise TypeError("a function returned by a learner's notebook is not run outside it")


class Unknown:
    """A result of a type that is not a plain value (its type name and a short repr)."""

    def __init__(self, type_name: str, text: str):
        self.type_name, self.text = type_name, text

    def __repr__(self):
        return self.text


def decode(data):
    """The plain Python/pandas value of an :func:`encode` description (from untrusted JSON)."""
    import pandas as pd

    from trustcircles.checks.compare import NOT_ANSWERED

    if not isinstance(data, dict):
        raise ValueError("not a probe value")
    kind = data.get("t")
    if kind == "none":
        return None
    if kind == "not_answered":
        return NOT_ANSWERED
    if kind == "ellipsis":
        return Ellipsis
    if kind == "bool":
        return bool(data["v"])
    if kind == "int":
        return int(data["v"])
    if kind == "bigint":
        return int(str(data["v"])[:400])
    if kind == "float":
        return float(data["v"])
    if kind == "str":
        return str(data["v"])[:MAX_TEXT]
    if kind == "na":
        return float("nan")
    if kind == "timestamp":
        return pd.Timestamp(str(data["v"])[:60])
    if kind == "timedelta":
        return pd.Timedelta(seconds=float(data["v"]))
    if kind == "series":
        values = [decode(v) for v in data["values"]]
        index = [_key(decode(k)) for k in data["index"]]
        return pd.Series(values, index=pd.Index(index, dtype=object) if index else None, dtype=object,
                         name=decode(data.get("name", {"t": "none"})))
    if kind == "frame":
        columns = [_key(decode(c)) for c in data["columns"]]
        rows = [[decode(v) for v in row] for row in data["rows"]]
        return pd.DataFrame(rows, columns=columns, index=[_key(decode(k)) for k in data["index"]] or None)
    if kind in ("index", "array"):
        import numpy as np
        items = [decode(v) for v in data["items"]]
        return pd.Index(items) if kind == "index" else np.array(items, dtype=object)
    if kind == "dict":
        return {_key(decode(k)): decode(v) for k, v in data["items"]}
    if kind in ("list", "tuple", "set", "frozenset"):
        items = [decode(v) for v in data["items"]]
        if kind in ("set", "frozenset"):
            items = [_key(v) for v in items]
        return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[kind](items)
    if kind == "function":
        return ReturnedFunction(str(data.get("name", "?"))[:100])
    if kind == "other":
        return Unknown(str(data.get("type", "?"))[:100], str(data.get("repr", ""))[:200])
    raise ValueError(f"unknown probe value kind {kind!r}")


def _key(value):
    """A value usable as a dict key (lists become tuples)."""
    if isinstance(value, list):
        return tuple(_key(v) for v in value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


# --------------------------------------------------------------------------- fingerprints


def _digest(code: types.CodeType) -> str:
    parts = [code.co_code, repr(code.co_names).encode(), repr(code.co_varnames).encode()]
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            parts.append(_digest(const).encode())
        elif isinstance(const, frozenset):
            parts.append(repr(sorted(map(repr, const))).encode())
        else:
            parts.append(repr(const).encode())
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


def _fingerprint(obj) -> str | None:
    """What a name is bound to: a function's module and code, a class's or module's name, a simple
    constant's value; None for anything else (data that changes as the course runs)."""
    if isinstance(obj, types.ModuleType):
        return f"module:{obj.__name__}"
    if inspect.isclass(obj):
        return f"class:{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', '?')}"
    function = obj.fget if isinstance(obj, property) else getattr(obj, "__func__", obj)
    code = getattr(function, "__code__", None)
    if isinstance(code, types.CodeType):
        return f"function:{getattr(function, '__module__', '?')}:{_digest(code)}"
    if isinstance(obj, (int, float, str, bool, type(None))):
        return "value:" + hashlib.sha256(repr(obj).encode()).hexdigest()[:16]
    if callable(obj):
        return f"callable:{type(obj).__module__}.{type(obj).__qualname__}"
    return None


def manifest(modules: dict | None = None, prefix: str = "trustcircles") -> dict[str, str]:
    """name -> fingerprint of every name bound in the loaded course modules, and of the members of
    the classes they define: the same in the grading process unless the notebook changed one."""
    modules = sys.modules if modules is None else modules
    out: dict[str, str] = {}
    for name, module in sorted(modules.items()):
        if not (name == prefix or name.startswith(prefix + ".")) or not isinstance(module, types.ModuleType):
            continue
        for attr, obj in sorted(vars(module).items()):
            if attr.startswith("__"):
                continue
            mark = _fingerprint(obj)
            if mark:
                out[f"{name}.{attr}"] = mark
            if inspect.isclass(obj) and getattr(obj, "__module__", "") == name:
                for member, value in sorted(vars(obj).items()):
                    if member.startswith("__") and member not in ("__init__", "__call__", "__eq__"):
                        continue
                    mark = _fingerprint(value)
                    if mark:
                        out[f"{name}.{attr}.{member}"] = mark
    return out


def exercise_fingerprint(ex) -> dict:
    """What ``ex`` is: its type, assignment, and for each question the fingerprints of its type and
    of the callables it holds (the grading process compares them with a fresh ``exercise()``)."""
    questions = getattr(ex, "questions", None)
    out = {"type": f"{type(ex).__module__}.{type(ex).__qualname__}",
           "assignment": str(getattr(ex, "assignment", ""))[:100], "questions": {}}
    if not isinstance(questions, dict):
        return out
    for key, question in list(questions.items())[:50]:
        marks = {"__type__": f"{type(question).__module__}.{type(question).__qualname__}"}
        for attr, value in list(getattr(question, "__dict__", {}).items())[:50]:
            if callable(value):
                marks[str(attr)] = _fingerprint(value) or "?"
        if getattr(ex, str(key), question) is not question:
            marks["__bound__"] = "replaced"
        out["questions"][str(key)[:20]] = marks
    return out


# --------------------------------------------------------------------------- the probe (in the kernel)


class _Timeout(BaseException):
    pass


def _candidates(namespace: dict, arity: int, package: str) -> list[str]:
    """The notebook's own functions taking ``arity`` positional arguments, as 'name(a, b)'."""
    found = []
    for name, obj in list(namespace.items()):
        if name.startswith("_") or not isinstance(obj, types.FunctionType):
            continue
        if obj.__code__.co_filename.startswith(package):
            continue
        try:
            params = [p for p in inspect.signature(obj).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        except (TypeError, ValueError):
            continue
        if len(params) == arity:
            found.append(f"{name}({', '.join(p.name for p in params)})")
    return sorted(found)[:5]


def _call(function, table, args, seconds: float, package: str) -> dict:
    import copy
    import signal
    from contextlib import redirect_stderr, redirect_stdout

    reached: set[str] = set()

    def profile(frame, event, arg):
        if event == "call":
            code = frame.f_code
            if code.co_filename.startswith(package):
                reached.add(f"{frame.f_globals.get('__name__', '?')}.{code.co_qualname}")

    def alarm(signum, frame):
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, alarm)
    sink = io.StringIO()
    outcome: dict
    old_profile = sys.getprofile()
    trace_kept = True
    try:
        arguments = [table.copy()] + [copy.deepcopy(a) for a in args]
        signal.setitimer(signal.ITIMER_REAL, seconds)
        sys.setprofile(profile)
        try:
            with redirect_stdout(sink), redirect_stderr(sink):
                result = function(*arguments)
        finally:
            trace_kept = sys.getprofile() is profile
            sys.setprofile(old_profile)
            signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            outcome = {"status": "ok", "value": encode(result)}
        except TooLarge:
            outcome = {"status": "too_large"}
    except _Timeout:
        outcome = {"status": "timeout", "seconds": seconds}
    except NotImplementedError:
        outcome = {"status": "not_written"}
    except BaseException as error:  # the learner's code: anything it raises is reported
        outcome = {"status": "error", "ename": type(error).__name__[:100], "evalue": str(error)[:400]}
        filename = getattr(error, "filename", None)
        if isinstance(filename, str):
            outcome["filename"] = filename[:300]
    finally:
        signal.signal(signal.SIGALRM, previous)
    outcome["reached"] = sorted(reached)[:50]
    outcome["trace_kept"] = trace_kept
    return outcome


def run(request_path: str, namespace: dict) -> None:
    """Try every call of the request (a pickle the grading process wrote) and publish the results."""
    import pickle

    with open(request_path, "rb") as handle:
        request = pickle.load(handle)
    tables = {}
    for path in request.get("table_files", []):
        with open(path, "rb") as handle:
            tables.update(pickle.load(handle))
    package = request["package"]
    results: dict = {"calls": {}}
    for call in request["calls"]:
        name = call["name"]
        if name not in namespace:
            results["calls"][call["id"]] = {"status": "missing",
                                            "candidates": _candidates(namespace, call["arity"], package)}
            continue
        obj = namespace[name]
        if not callable(obj) or isinstance(obj, type):
            if call["value_ok"]:
                try:
                    results["calls"][call["id"]] = {"status": "ok", "value": encode(obj)}
                except TooLarge:
                    results["calls"][call["id"]] = {"status": "too_large"}
            else:
                results["calls"][call["id"]] = {"status": "not_function", "value": encode(None) if obj is None
                                                else {"t": "other", "type": type(obj).__name__[:100], "repr": ""}}
            continue
        table, args = tables[call["table"]]
        results["calls"][call["id"]] = _call(obj, table, args, call["seconds"], package)
    results["manifest"] = manifest()
    results["ex"] = exercise_fingerprint(namespace.get("ex"))
    from IPython.display import display
    display({MIME: results}, raw=True)
