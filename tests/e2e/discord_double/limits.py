"""Discord's documented size limits, checked the way Discord reports them (400, code 50035).

Each limit is a named constant so a failing test points at the rule it broke.
"""

from __future__ import annotations

from typing import Any

INVALID_FORM_BODY = 50035

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TITLE = 256
MAX_EMBED_DESCRIPTION = 4096
MAX_EMBED_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER_TEXT = 2048
MAX_AUTHOR_NAME = 256
MAX_EMBED_TOTAL = 6000
"""Sum of titles, descriptions, field names/values, footers and author names in one message."""
MAX_ACTION_ROWS = 5
MAX_ROW_COMPONENTS = 5
MAX_V2_COMPONENTS = 40
"""With the IS_COMPONENTS_V2 flag, rows are not the unit; the total component count is."""
IS_COMPONENTS_V2 = 1 << 15
MAX_CUSTOM_ID = 100
MAX_BUTTON_LABEL = 80
MAX_SELECT_OPTIONS = 25
MAX_SELECT_PLACEHOLDER = 150
MAX_OPTION_TEXT = 100
MAX_CHOICES = 25
MAX_CHOICE_TEXT = 100
MAX_MODAL_TITLE = 45
MAX_MODAL_COMPONENTS = 5
MAX_TEXT_INPUT_LABEL = 45
MAX_TEXT_INPUT_VALUE = 4000
MAX_TEXT_INPUT_PLACEHOLDER = 100
MAX_LABEL_DESCRIPTION = 100
MAX_ALLOWED_MENTION_IDS = 100
SELECT_TYPES = frozenset({3, 5, 6, 7, 8})
LINK_BUTTON_STYLE = 5
PREMIUM_BUTTON_STYLE = 6
TEXT_INPUT_TYPE = 4
LABEL_TYPE = 18


class FormErrors:
    """Collects field errors and renders Discord's nested ``errors`` object."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def __bool__(self) -> bool:
        return bool(self.tree)

    def add(self, path: tuple[str | int, ...], code: str, message: str) -> None:
        """Record one error at a path such as ``("embeds", 0, "title")``."""
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def max_length(self, path: tuple[str | int, ...], value: Any, limit: int) -> None:
        """Flag a string or list longer than ``limit``."""
        if value is not None and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def length_between(self, path: tuple[str | int, ...], value: Any, low: int, high: int) -> None:
        """Flag a missing value or one whose length is outside ``low..high``."""
        if value is None or not low <= len(value) <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")


def check_message(body: dict[str, Any], errors: FormErrors) -> None:
    """Limits on a message create/edit body (also interaction responses and follow-ups)."""
    errors.max_length(("content",), body.get("content"), MAX_CONTENT)
    check_embeds(body.get("embeds"), errors)
    flags = int(body.get("flags") or 0)
    check_components(body.get("components"), errors, v2=bool(flags & IS_COMPONENTS_V2))
    check_allowed_mentions(body.get("allowed_mentions"), errors)
    errors.max_length(
        ("nonce",), body.get("nonce") if isinstance(body.get("nonce"), str) else None, 25
    )


def check_embeds(embeds: list[dict[str, Any]] | None, errors: FormErrors) -> None:
    """Per-embed limits, the 10-embed cap and the 6000-character total."""
    if not embeds:
        return
    errors.max_length(("embeds",), embeds, MAX_EMBEDS)
    total = 0
    for index, embed in enumerate(embeds):
        path: tuple[str | int, ...] = ("embeds", index)
        title, description = embed.get("title") or "", embed.get("description") or ""
        errors.max_length((*path, "title"), title, MAX_EMBED_TITLE)
        errors.max_length((*path, "description"), description, MAX_EMBED_DESCRIPTION)
        total += len(title) + len(description)
        fields = embed.get("fields") or []
        errors.max_length((*path, "fields"), fields, MAX_EMBED_FIELDS)
        for f_index, field in enumerate(fields):
            f_path = (*path, "fields", f_index)
            errors.length_between((*f_path, "name"), field.get("name"), 1, MAX_FIELD_NAME)
            errors.length_between((*f_path, "value"), field.get("value"), 1, MAX_FIELD_VALUE)
            total += len(field.get("name") or "") + len(field.get("value") or "")
        footer_text = (embed.get("footer") or {}).get("text") or ""
        errors.max_length((*path, "footer", "text"), footer_text, MAX_FOOTER_TEXT)
        author_name = (embed.get("author") or {}).get("name") or ""
        errors.max_length((*path, "author", "name"), author_name, MAX_AUTHOR_NAME)
        total += len(footer_text) + len(author_name)
    if total > MAX_EMBED_TOTAL:
        errors.add(
            ("embeds",),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}",
        )


def check_components(
    components: list[dict[str, Any]] | None, errors: FormErrors, *, v2: bool = False
) -> None:
    """Action-row layout, per-component limits and unique custom ids."""
    if not components:
        return
    seen_ids: set[str] = set()
    if v2:
        count = _check_tree(components, ("components",), errors, seen_ids)
        if count > MAX_V2_COMPONENTS:
            errors.add(
                ("components",),
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {MAX_V2_COMPONENTS} or fewer in length.",
            )
        return
    errors.max_length(("components",), components, MAX_ACTION_ROWS)
    for index, row in enumerate(components):
        path: tuple[str | int, ...] = ("components", index)
        if row.get("type") != 1:
            errors.add((*path, "type"), "UNION_TYPE_CHOICES", "Value must be an action row (1).")
            continue
        children = row.get("components") or []
        errors.length_between((*path, "components"), children, 1, MAX_ROW_COMPONENTS)
        if any(c.get("type") in SELECT_TYPES for c in children) and len(children) > 1:
            errors.add(
                (*path, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
        _check_tree(children, (*path, "components"), errors, seen_ids)


def _check_tree(
    components: list[dict[str, Any]],
    path: tuple[str | int, ...],
    errors: FormErrors,
    seen_ids: set[str],
) -> int:
    count = 0
    for index, component in enumerate(components):
        c_path = (*path, index)
        count += 1
        _check_component(component, c_path, errors, seen_ids)
        if isinstance(component.get("components"), list):
            count += _check_tree(component["components"], (*c_path, "components"), errors, seen_ids)
        for key in ("accessory", "component"):
            if isinstance(component.get(key), dict):
                count += _check_tree([component[key]], (*c_path, key), errors, seen_ids)
    return count


def _check_component(
    component: dict[str, Any], path: tuple[str | int, ...], errors: FormErrors, seen_ids: set[str]
) -> None:
    kind = component.get("type")
    custom_id = component.get("custom_id")
    needs_custom_id = (
        kind in SELECT_TYPES
        or kind == TEXT_INPUT_TYPE
        or (kind == 2 and component.get("style") not in (LINK_BUTTON_STYLE, PREMIUM_BUTTON_STYLE))
    )
    if needs_custom_id:
        errors.length_between((*path, "custom_id"), custom_id, 1, MAX_CUSTOM_ID)
        if custom_id in seen_ids:
            errors.add(
                (*path, "custom_id"),
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                "Component custom id cannot be duplicated",
            )
        elif custom_id is not None:
            seen_ids.add(custom_id)
    if kind == 2:
        errors.max_length((*path, "label"), component.get("label"), MAX_BUTTON_LABEL)
        if component.get("style") == LINK_BUTTON_STYLE and not component.get("url"):
            errors.add((*path, "url"), "BASE_TYPE_REQUIRED", "This field is required")
    elif kind in SELECT_TYPES:
        errors.max_length(
            (*path, "placeholder"), component.get("placeholder"), MAX_SELECT_PLACEHOLDER
        )
        if kind == 3:
            options = component.get("options")
            errors.length_between((*path, "options"), options, 1, MAX_SELECT_OPTIONS)
            for o_index, option in enumerate(options or []):
                o_path = (*path, "options", o_index)
                errors.length_between((*o_path, "label"), option.get("label"), 1, MAX_OPTION_TEXT)
                errors.length_between((*o_path, "value"), option.get("value"), 1, MAX_OPTION_TEXT)
                errors.max_length(
                    (*o_path, "description"), option.get("description"), MAX_OPTION_TEXT
                )


def check_allowed_mentions(allowed: dict[str, Any] | None, errors: FormErrors) -> None:
    """``parse`` values must be known, and cannot be combined with explicit id lists."""
    if allowed is None:
        return
    parse = allowed.get("parse") or []
    for kind in parse:
        if kind not in ("users", "roles", "everyone"):
            errors.add(("allowed_mentions", "parse"), "ENUM_TYPE_COERCE", f"{kind!r} is invalid")
    for kind in ("users", "roles"):
        ids = allowed.get(kind)
        if ids and kind in parse:
            errors.add(
                ("allowed_mentions",),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
            )
        errors.max_length(("allowed_mentions", kind), ids, MAX_ALLOWED_MENTION_IDS)


def check_autocomplete(data: dict[str, Any], errors: FormErrors) -> None:
    """At most 25 choices, names 1-100 characters, string values up to 100."""
    choices = data.get("choices")
    if choices is None:
        errors.add(("data", "choices"), "BASE_TYPE_REQUIRED", "This field is required")
        return
    errors.max_length(("data", "choices"), choices, MAX_CHOICES)
    for index, choice in enumerate(choices):
        path = ("data", "choices", index)
        errors.length_between((*path, "name"), choice.get("name"), 1, MAX_CHOICE_TEXT)
        value = choice.get("value")
        if isinstance(value, str):
            errors.max_length((*path, "value"), value, MAX_CHOICE_TEXT)


def check_modal(data: dict[str, Any], errors: FormErrors) -> None:
    """Modal title, custom id, 1-5 top-level components and text-input limits."""
    errors.length_between(("data", "title"), data.get("title"), 1, MAX_MODAL_TITLE)
    errors.length_between(("data", "custom_id"), data.get("custom_id"), 1, MAX_CUSTOM_ID)
    components = data.get("components")
    errors.length_between(("data", "components"), components, 1, MAX_MODAL_COMPONENTS)
    for index, top in enumerate(components or []):
        path: tuple[str | int, ...] = ("data", "components", index)
        if top.get("type") == LABEL_TYPE:
            errors.length_between((*path, "label"), top.get("label"), 1, MAX_TEXT_INPUT_LABEL)
            errors.max_length((*path, "description"), top.get("description"), MAX_LABEL_DESCRIPTION)
            inner = [(top.get("component") or {}, (*path, "component"), False)]
        else:
            inner = [
                (c, (*path, "components", i), True)
                for i, c in enumerate(top.get("components") or [])
            ]
        for component, c_path, needs_label in inner:
            if component.get("type") != TEXT_INPUT_TYPE:
                continue
            if needs_label:
                errors.length_between(
                    (*c_path, "label"), component.get("label"), 1, MAX_TEXT_INPUT_LABEL
                )
            errors.length_between((*c_path, "custom_id"), component.get("custom_id"), 1, 100)
            errors.max_length((*c_path, "value"), component.get("value"), MAX_TEXT_INPUT_VALUE)
            errors.max_length(
                (*c_path, "placeholder"), component.get("placeholder"), MAX_TEXT_INPUT_PLACEHOLDER
            )
