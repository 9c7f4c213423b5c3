"""Slack modals generated from a template's field declarations, and back again.

A template's fields (``messaging.drafting.describe_template``) become Block Kit
inputs: ``text``/``phone`` → plain_text_input, ``longtext`` → multiline input,
``date`` → datepicker, ``email`` → email_text_input, ``number`` →
number_input (decimals allowed unless the field says ``decimal: false``; its
``min_value``/``max_value`` when declared), ``choice`` → static_select, a
``list`` of records → a repeating group with an "Add another" button (the modal
is rebuilt with ``views.update``; the count of items lives in ``private_metadata``),
a ``list`` of lines → one multiline input (one item per line) or a multi-select when it has choices.

A template with sections is filled one section per step ("Next" replaces the view);
each step is saved to the drafts store as it is submitted, so nothing typed is lost.

Block ids: ``f:NAME`` for a field, ``f:LIST:I:SUB`` for sub-field ``SUB`` of item ``I``
(0-based) of a list; every input's action id is ``v``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from bot.slack import blocks as bk
from bot.slack import texts

if TYPE_CHECKING:
    from messaging.drafting import FieldDescription, TemplateDescription

MAX_LIST_ITEMS = 20
CALLBACK_ID = "draft_modal"
ACTION = "v"
PROFILE_BLOCK = "meta:profile"


@dataclass
class Meta:
    """What a drafting modal carries in ``private_metadata``."""

    t: str  # template id
    s: int = 0  # step index
    d: str | None = None  # draft id once saved
    v: int | None = None  # draft version the form is based on
    p: str | None = None  # profile id
    n: dict[str, int] = field(default_factory=dict)  # items shown per list field

    def pack(self) -> str:
        return bk.pack(asdict(self), bk.MAX_PRIVATE_METADATA)

    @classmethod
    def unpack(cls, text: str | None) -> Meta | None:
        data = bk.unpack(text)
        if not isinstance(data.get("t"), str):
            return None
        raw_counts = data.get("n")
        counts: dict[str, Any] = raw_counts if isinstance(raw_counts, dict) else {}
        return cls(
            t=data["t"],
            s=int(data.get("s") or 0),
            d=data.get("d") if isinstance(data.get("d"), str) else None,
            v=int(data["v"]) if isinstance(data.get("v"), int) else None,
            p=data.get("p") if isinstance(data.get("p"), str) else None,
            n={str(k): int(v) for k, v in counts.items() if isinstance(v, int)},
        )


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    fields: list[FieldDescription]


def steps_of(described: TemplateDescription) -> list[Step]:
    """The steps of a template's form, as the core plans them
    (:func:`bot.core.drafts.plan_steps`: fields outside any section first, then one step
    per section, in the template's order)."""
    from bot.core.drafts import plan_steps

    by_name = {f["name"]: f for f in described["fields"]}
    planned = plan_steps(described["title"],
                         [(s["id"], s["title"]) for s in described.get("sections", [])],
                         [(f["name"], f.get("section")) for f in described["fields"]])
    return [Step(p.id, p.title, [by_name[n] for n in p.fields]) for p in planned]


def _too_long_for_slack(f: FieldDescription) -> bool:
    limit = f.get("max_length")
    return f["type"] == "longtext" and (limit is None or limit > bk.MAX_INPUT_CHARS)


def _hint(f: FieldDescription) -> dict[str, Any] | None:
    text = f.get("help") or ""
    if _too_long_for_slack(f):
        text = f"{text} {texts.DRAFT_TOO_LONG_HINT}".strip()
    return bk.plain(text, bk.MAX_LABEL) if text else None


def _options(f: FieldDescription) -> list[dict[str, Any]]:
    """A choice field's options, shown by title where the toolkit has one (a proof point's
    title, an audience's name — as the web form shows them), valued by id."""
    titles: dict[str, str] = f.get("choice_titles") or {}
    return [bk.option(titles.get(c) or c, c) for c in f["choices"]]


def _input(block_id: str, f: FieldDescription, value: Any, *, optional: bool) -> bk.Block:
    kind = f["type"]
    limit = min(f.get("max_length") or bk.MAX_INPUT_CHARS, bk.MAX_INPUT_CHARS)
    element: dict[str, Any]
    text_value = "" if value is None else str(value)
    if kind == "date":
        element = {"type": "datepicker", "action_id": ACTION}
        if _valid_initial("date", text_value):
            element["initial_date"] = text_value
    elif kind == "choice" and 0 < len(f.get("choices") or []) <= bk.MAX_SELECT_OPTIONS:
        options = _options(f)
        element = {"type": "static_select", "action_id": ACTION, "options": options,
                   "placeholder": bk.plain(texts.CHOOSE, bk.MAX_PLACEHOLDER)}
        chosen = [o for o in options if o["value"] == text_value]
        if chosen:
            element["initial_option"] = chosen[0]
    elif kind == "list" and not f.get("fields") and 0 < len(f.get("choices") or []) <= 100:
        options = _options(f)
        element = {"type": "multi_static_select", "action_id": ACTION, "options": options,
                   "placeholder": bk.plain(texts.CHOOSE, bk.MAX_PLACEHOLDER)}
        chosen = [o for o in options if isinstance(value, list) and o["value"] in value]
        if chosen:
            element["initial_options"] = chosen
    else:
        if kind == "email":
            element = {"type": "email_text_input", "action_id": ACTION}
        elif kind == "number":
            element = number_element(f)
        else:
            element = {"type": "plain_text_input", "action_id": ACTION, "max_length": limit}
            if kind in ("longtext", "list"):
                element["multiline"] = True
        if kind == "list" and isinstance(value, list):
            text_value = "\n".join(str(v) for v in value)
        if text_value and _valid_initial(kind, text_value, element):
            # Slack refuses a whole view whose email/number input starts with a bad value
            element["initial_value"] = text_value[: bk.MAX_INPUT_CHARS]
    block: bk.Block = {
        "type": "input",
        "block_id": block_id,
        "label": bk.plain(f["label"], bk.MAX_LABEL),
        "optional": optional,
        "element": element,
    }
    hint = _hint(f)
    if kind == "list" and not f.get("fields") and element["type"] == "plain_text_input":
        hint = bk.plain(((f.get("help") or "") + " One item per line.").strip(), bk.MAX_LABEL)
    if hint:
        block["hint"] = hint
    return block


_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_WHOLE = re.compile(r"^-?\d+$")


def _number_text(value: Any) -> str:
    """A number as Slack's number_input wants it: a string, without a trailing ``.0``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def number_element(f: FieldDescription) -> dict[str, Any]:
    """Slack's ``number_input`` for a number field: whole numbers only when the field
    says ``decimal: false``; ``min_value``/``max_value`` when it declares them."""
    element: dict[str, Any] = {"type": "number_input", "action_id": ACTION,
                               "is_decimal_allowed": f.get("decimal", True) is not False}
    for key in ("min_value", "max_value"):
        if isinstance(f.get(key), int | float) and not isinstance(f.get(key), bool):
            element[key] = _number_text(f[key])
    return element


def _valid_initial(kind: str, value: str, element: dict[str, Any] | None = None) -> bool:
    """Whether Slack accepts ``value`` as the initial value of this kind of input."""
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))
    if kind == "email":
        return bool(_EMAIL.match(value))
    if kind == "number":
        element = element or {}
        if not (_NUMBER if element.get("is_decimal_allowed", True) else _WHOLE).match(value):
            return False
        low, high = element.get("min_value"), element.get("max_value")
        return ((low is None or float(value) >= float(low))
                and (high is None or float(value) <= float(high)))
    return True


def list_count(f: FieldDescription, meta: Meta, value: Any) -> int:
    existing = len(value) if isinstance(value, list) else 0
    wanted = meta.n.get(f["name"]) or max(existing, f.get("min_items") or 0, 1)
    return max(1, min(wanted, f.get("max_items") or MAX_LIST_ITEMS, MAX_LIST_ITEMS))


def build_view(
    described: TemplateDescription,
    meta: Meta,
    data: dict[str, Any],
    *,
    profiles: list[tuple[str, str]] = (),  # type: ignore[assignment]
    link: str | None = None,
) -> dict[str, Any]:
    """The modal for step ``meta.s`` of the template, filled from ``data``."""
    steps = steps_of(described)
    meta.s = max(0, min(meta.s, len(steps) - 1))
    step = steps[meta.s]
    blocks: list[bk.Block] = []
    if len(steps) > 1:
        blocks.append(bk.context(bk.escape(texts.STEP.format(
            n=meta.s + 1, total=len(steps), title=step.title))))
    elif described.get("description") and meta.s == 0:
        blocks.append(bk.context(bk.content_mrkdwn(bk.truncate(described["description"], 500))))
    if meta.s == 0 and described.get("uses_profile") and profiles:
        options = [bk.option(name, pid) for pid, name in profiles][: bk.MAX_SELECT_OPTIONS]
        element: dict[str, Any] = {"type": "static_select", "action_id": ACTION,
                                   "options": options}
        chosen = [o for o in options if o["value"] == meta.p]
        if chosen:
            element["initial_option"] = chosen[0]
        blocks.append({"type": "input", "block_id": PROFILE_BLOCK, "optional": True,
                       "label": bk.plain(texts.PROFILE_LABEL), "element": element})
    for f in step.fields:
        value = data.get(f["name"])
        own = f.get("max_length")
        over = (isinstance(value, str) and own is not None and own < bk.MAX_INPUT_CHARS
                and len(value) > own and f["type"] != "list")
        if isinstance(value, str) and (len(value) > bk.MAX_INPUT_CHARS or over):
            # keep it as it is: Slack refuses a field that starts longer than it may be
            note = (texts.DRAFT_FIELD_OVER_LIMIT.format(label=bk.escape(f["label"]),
                                                        n=len(value), limit=own)
                    if over and len(value) <= bk.MAX_INPUT_CHARS else
                    texts.DRAFT_FIELD_TOO_LONG.format(label=bk.escape(f["label"]), n=len(value)))
            if link:
                note += " " + f"<{link}|{texts.DRAFT_FINISH_WEB}>"
            blocks.append(bk.section(note, block_id=f"long:{f['name']}"))
            continue
        if f["type"] == "list" and f.get("fields"):
            blocks += _group_blocks(f, meta, value)
            continue
        blocks.append(_input(f"f:{f['name']}", f, value, optional=not f.get("required")))
        if _too_long_for_slack(f) and link:
            blocks.append(bk.context(f"<{link}|{texts.DRAFT_FINISH_WEB}>"))
    last = meta.s == len(steps) - 1
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": bk.plain(described["title"], bk.MAX_VIEW_TITLE),
        "submit": bk.plain(texts.SAVE if last else texts.NEXT, bk.MAX_VIEW_TITLE),
        "close": bk.plain(texts.CANCEL, bk.MAX_VIEW_TITLE),
        "private_metadata": meta.pack(),
        "blocks": bk.fit(blocks, bk.MAX_VIEW_BLOCKS, budget=None),
    }


def _group_blocks(f: FieldDescription, meta: Meta, value: Any) -> list[bk.Block]:
    items = value if isinstance(value, list) else []
    count = list_count(f, meta, value)
    meta.n[f["name"]] = count
    out: list[bk.Block] = [bk.section(f"*{bk.escape(f['label'])}*")]
    if f.get("help"):
        out.append(bk.context(bk.escape(f["help"])))
    for i in range(count):
        item = items[i] if i < len(items) and isinstance(items[i], dict) else {}
        out.append(bk.context(bk.escape(texts.ITEM.format(label=f["label"], n=i + 1))))
        for sub in f["fields"]:
            required_here = bool(sub.get("required")) and i < (f.get("min_items") or 0)
            out.append(_input(f"f:{f['name']}:{i}:{sub['name']}", sub, item.get(sub["name"]),
                              optional=not required_here))
    if count < min(f.get("max_items") or MAX_LIST_ITEMS, MAX_LIST_ITEMS):
        out.append(bk.actions(
            [bk.button(f"{texts.ADD_ANOTHER}: {f['label']}", "draft_add", f["name"])],
            block_id=f"add:{f['name']}",
        ))
    return out


# ----------------------------------------------------------------- reading
def read_value(state: dict[str, Any] | None) -> Any:
    if not state:
        return None
    kind = state.get("type")
    if kind == "datepicker":
        return state.get("selected_date")
    if kind == "static_select":
        return (state.get("selected_option") or {}).get("value")
    if kind == "multi_static_select":
        return [o.get("value") for o in state.get("selected_options") or []]
    return state.get("value")


def read_step(described: TemplateDescription, meta: Meta, values: dict[str, Any],
              block_ids: set[str] | None = None,
              rows: dict[str, list[int]] | None = None) -> tuple[dict[str, Any], list[str]]:
    """The data of the current step from the view's ``state.values``, and the names of
    the fields the view shows (a shown field left empty is removed from the draft; a
    field not shown — too long for Slack — is kept as it was).

    ``block_ids`` are the view's blocks; without them, the blocks present in ``values``.
    ``rows``, when given, gets for each list the view's row of each item kept (an empty row
    is dropped, so item 2 of the data may be row 3 of the form)."""
    step = steps_of(described)[meta.s]
    shown = set(block_ids) if block_ids is not None else set(values)
    data: dict[str, Any] = {}
    covered: list[str] = []
    for f in step.fields:
        name = f["name"]
        if f["type"] == "list" and f.get("fields"):
            count = meta.n.get(name, 1)
            if not any(k.startswith(f"f:{name}:") for k in shown):
                continue  # not in this view
            covered.append(name)
            items = []
            for i in range(count):
                item = {}
                for sub in f["fields"]:
                    got = read_value((values.get(f"f:{name}:{i}:{sub['name']}") or {}).get(ACTION))
                    if got not in (None, ""):
                        item[sub["name"]] = got
                if item:
                    items.append(item)
                    if rows is not None:
                        rows.setdefault(name, []).append(i)
            if items:
                data[name] = items
            continue
        if f"f:{name}" not in shown:
            continue  # not shown (kept as it was)
        covered.append(name)
        got = read_value((values.get(f"f:{name}") or {}).get(ACTION))
        if f["type"] == "list" and isinstance(got, str):
            got = [line.strip() for line in got.splitlines() if line.strip()]
        if got not in (None, "", []):
            data[name] = got
    return data, covered


def read_profile(values: dict[str, Any]) -> str | None:
    got = read_value((values.get(PROFILE_BLOCK) or {}).get(ACTION))
    return got if isinstance(got, str) and got else None


def block_for(path: str, covered: list[str], view_block_ids: set[str],
              described: TemplateDescription,
              rows: dict[str, list[int]] | None = None) -> str | None:
    """The block id showing the field at ``path`` (``action_steps[2].timeline``); ``rows``
    (from :func:`read_step`) maps a list's items to the form's rows."""
    match = re.fullmatch(r"([a-z][a-z0-9_]*)(?:\[(\d+)\](?:\.([a-z][a-z0-9_]*))?)?", path or "")
    if not match or match.group(1) not in covered:
        return None
    name, index, sub = match.group(1), match.group(2), match.group(3)
    if index and sub:
        kept = (rows or {}).get(name, [])
        row = kept[int(index) - 1] if 0 < int(index) <= len(kept) else int(index) - 1
        candidate = f"f:{name}:{row}:{sub}"
    elif index:
        candidate = f"f:{name}"
    else:
        candidate = f"f:{name}"
    if candidate in view_block_ids:
        return candidate
    # a list as a whole (too few items…): the first block of its group
    group = sorted(b for b in view_block_ids if b.startswith(f"f:{name}:"))
    return group[0] if group else None
