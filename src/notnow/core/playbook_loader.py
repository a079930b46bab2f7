"""Reading playbook YAML text: line numbers, team overrides, and errors that say where.

The YAML is composed into nodes so that every key and value keeps its line. Sources (the
defaults, then a team file) are merged as plain data while remembering, for every path, which
file and line it came from. The merged data is validated once; a validation error is mapped
back to the file and line its path came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml
from pydantic import ValidationError

from notnow.core.playbook import Playbook, PlaybookDocument
from notnow.errors import PlaybookInvalid

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (the default playbook parses in a tenth of the
time: it is read on every `notnow log`); the same nodes, lines and data as the pure one."""

Path = tuple[str | int, ...]
Origin = tuple[str, int]  # file, 1-based line


def validate_sources(sources: Sequence[tuple[str, str]]) -> Playbook:
    """Parse ``(text, file)`` sources, merge each over the previous ones, and validate."""
    data: dict[str, Any] = {}
    origins: dict[Path, Origin] = {}
    for text, file in sources:
        loaded, lines = _load(text, file)
        _merge(data, origins, loaded, {p: (file, n) for p, n in lines.items()}, file)
    try:
        doc = PlaybookDocument.model_validate(data)
    except ValidationError as exc:
        raise _explain(exc, origins, sources[-1][1], data) from None
    return Playbook(settings=doc.settings, rules=doc.rules, files=tuple(f for _, f in sources))


def read_data(text: str, file: str) -> dict[str, Any]:
    """The data of one playbook file, as YAML reads it (not validated, nothing merged)."""
    return _load(text, file)[0]


def _parse(text: str, loader_class: Any) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:  # one pass: the nodes (with their lines), then the data built from them
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _load(text: str, file: str) -> tuple[dict[str, Any], dict[Path, int]]:
    try:
        try:
            node, data = _parse(text, _LOADER)
        except yaml.YAMLError:
            if _LOADER is yaml.SafeLoader:
                raise
            node, data = _parse(text, yaml.SafeLoader)  # its words for what is wrong
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise PlaybookInvalid(f"not valid YAML: {problem}", file=file,
                              line=mark.line + 1 if mark is not None else None) from None
    if data is None or node is None:
        return {}, {}
    if not isinstance(data, dict):
        raise PlaybookInvalid("a playbook is a mapping with 'settings' and 'rules'", file=file,
                              line=1)
    lines: dict[Path, int] = {}
    _positions(node, (), lines)
    return data, lines


def _positions(node: yaml.Node, path: Path, out: dict[Path, int]) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            out[path + (key,)] = key_node.start_mark.line + 1
            _positions(value_node, path + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _positions(item, path + (index,), out)


def _rebase(lines: dict[Path, Origin], old: Path, new: Path) -> dict[Path, Origin]:
    size = len(old)
    return {new + p[size:]: o for p, o in lines.items() if p[:size] == old}


def _merge(data: dict[str, Any], origins: dict[Path, Origin], over: dict[str, Any],
           over_origins: dict[Path, Origin], file: str) -> None:
    for key, value in over.items():
        if key == "rules" and "rules" in data:
            _merge_rules(data, origins, value, over_origins, file)
        elif key == "settings" and isinstance(value, dict) and isinstance(data.get(key), dict):
            _deep_merge(data[key], value, ("settings",), origins, over_origins)
        else:
            data[key] = value
            origins.update(_rebase(over_origins, (key,), (key,)))
        origins[(key,)] = over_origins.get((key,), (file, 1))


def _deep_merge(target: dict[str, Any], over: dict[str, Any], path: Path,
                origins: dict[Path, Origin], over_origins: dict[Path, Origin]) -> None:
    for key, value in over.items():
        here = path + (str(key),)
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value, here, origins, over_origins)
        else:
            target[key] = value
            for p in [p for p in origins if p[: len(here)] == here]:
                del origins[p]
            origins.update(_rebase(over_origins, here, here))
        if here in over_origins:
            origins[here] = over_origins[here]


_PATCH_KEYS = {"id", "enabled", "description"}


def _merge_rules(data: dict[str, Any], origins: dict[Path, Origin], rules: Any,
                 over_origins: dict[Path, Origin], file: str) -> None:
    if not isinstance(rules, list):
        _, line = over_origins.get(("rules",), (file, 1))
        raise PlaybookInvalid("'rules' must be a list of rules", file=file, line=line,
                              field="rules")
    base: list[Any] = list(data["rules"]) if isinstance(data["rules"], list) else []
    base_origins = [_rebase(origins, ("rules", i), ()) for i in range(len(base))]
    index = {r.get("id"): i for i, r in enumerate(base) if isinstance(r, dict)}
    for j, rule in enumerate(rules):
        rule_origins = _rebase(over_origins, ("rules", j), ())
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        if rule_id in index:
            i = index[rule_id]
            if set(rule) <= _PATCH_KEYS:
                base[i] = {**base[i], **rule}
                base_origins[i] = {**base_origins[i], **rule_origins}
            else:
                base[i], base_origins[i] = rule, rule_origins
        else:
            index[rule_id] = len(base)
            base.append(rule)
            base_origins.append(rule_origins)
    data["rules"] = base
    for p in [p for p in origins if p[:1] == ("rules",) and len(p) > 1]:
        del origins[p]
    for i, rule_origins in enumerate(base_origins):
        origins.update({("rules", i) + p: o for p, o in rule_origins.items()})


def _where(loc: Path, origins: dict[Path, Origin], default_file: str) -> tuple[str, int | None]:
    for size in range(len(loc), -1, -1):
        found = origins.get(loc[:size])
        if found is not None:
            return found
    return default_file, None


def _field_name(loc: Path, data: dict[str, Any]) -> str:
    """``rules[ask-why].steps[0].purpose``: rules are named by id, not by merged position."""
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            name: object = part
            if loc[:i] == ("rules",) and isinstance(data.get("rules"), list):
                rule = data["rules"][part] if part < len(data["rules"]) else None
                name = rule.get("id", part) if isinstance(rule, dict) else part
            out += f"[{name}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _explain(exc: ValidationError, origins: dict[Path, Origin], default_file: str,
             data: dict[str, Any]) -> PlaybookInvalid:
    problems = []
    errors = exc.errors()
    # Keep only the path through the data (drop pydantic's union/validator tags).
    locs = [tuple(p for p in e["loc"] if isinstance(p, int) or "[" not in str(p)) for e in errors]
    for err, loc in zip(errors, locs, strict=True):
        inner = any(other[: len(loc)] == loc and len(other) > len(loc) for other in locs)
        if err["type"] == "too_short" and inner:
            continue  # "no steps left" only because a step inside failed: say that instead
        file, line = _where(loc, origins, default_file)
        message = err["msg"].removeprefix("Value error, ")
        value = err.get("input")
        if err["type"] == "extra_forbidden":
            message = f"unknown key {loc[-1]!r}" if loc else message
        elif isinstance(value, str | int | float | bool) and err["type"] != "missing":
            message = f"{message} (got {value!r})"
        problems.append((file, line, _field_name(loc, data) or None, message))
    file, line, field, message = problems[0]
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    details = [
        {"file": f, "line": n, "field": fl, "message": m} for f, n, fl, m in problems
    ]
    return PlaybookInvalid(message, file=file, line=line, field=field, problems=details)
