"""Checks of library.yaml (audience groups, audiences, topics) and of each notice's notice.yaml: its
published text is there, parts numbered 1..N and each used, topics known, dates, and what it does
to earlier notices (`acts_on`)."""
from __future__ import annotations

from typing import Any

from scripts.policy.checks.context import Context, as_dict, as_list, flat, hashable, items
from scripts.policy.messages import msg
from scripts.policy.reader import NoticeDocs, as_text_file


def check(ctx: Context) -> None:
    library(ctx)
    part_owner: dict[str, str] = {}
    for notice in ctx.docs.notices:
        if notice.notice is not None:
            one_notice(ctx, notice, part_owner)


def library(ctx: Context) -> None:
    doc = ctx.docs.library
    if doc is None:
        return
    for i, group in items(ctx.library.get("audience_groups")):
        role = group.get("role")
        if role is not None and ctx.roles is not None and hashable(role) and role not in ctx.roles:
            ctx.unknown(doc, ("audience_groups", i, "role"), msg("thing.role"), role, ctx.roles,
                        msg("where.role_options"))
    for i, audience in items(ctx.library.get("audiences")):
        group_id = audience.get("group")
        if isinstance(group_id, str) and group_id not in ctx.groups:
            ctx.unknown(doc, ("audiences", i, "group"), msg("thing.audience_group"), group_id, ctx.groups,
                        msg("where.audience_groups"))


def one_notice(ctx: Context, notice: NoticeDocs, part_owner: dict[str, str]) -> None:
    doc = notice.notice
    assert doc is not None
    data = ctx.notice_data[notice.id]
    name = as_text_file(doc)
    if name is not None and notice.text is None:
        ctx.add(doc, ("text_file",), "notice_text_missing", text_file=f"{notice.folder}/{name}")
    ctx.numbers_1_to_n([(doc, ("parts", i, "number"), p.get("number")) for i, p in items(data.get("parts"))], "part")
    used = {p for m in notice.measures if isinstance(p := as_dict(m.data).get("part"), str)}
    for i, part in items(data.get("parts")):
        ident = part.get("id")
        if not isinstance(ident, str):
            continue
        # part pages are /parts/<id>/ for every notice: an id names one part in the whole library
        if ident in part_owner and part_owner[ident] != notice.id:
            ctx.add(doc, ("parts", i, "id"), "part_id_taken", ident=ident, other=part_owner[ident])
        part_owner.setdefault(ident, notice.id)
        if ident not in used and ctx.all_measures:
            ctx.add(doc, ("parts", i, "id"), "part_empty", ident=ident, folder=f"{notice.folder}/measures/")
    for i, topic in enumerate(as_list(data.get("topics"))):
        if isinstance(topic, str) and ctx.have_library and topic not in ctx.topics:
            ctx.unknown(doc, ("topics", i), msg("thing.topic"), topic, ctx.topics, msg("where.library_topics"))
    ctx.date_range(doc, ("in_force",), as_dict(data.get("in_force")))
    ctx.placeholders(doc, {k: v for k, v in data.items() if k != "parts"}, None)
    for i, act in items(data.get("acts_on")):
        acts_on(ctx, notice, ("acts_on", i), act)


def acts_on(ctx: Context, notice: NoticeDocs, path: tuple, act: dict[str, Any]) -> None:
    """A repeal or supersession: it names another notice of the library (and measures it has),
    its quote is this notice's own words, and it does not end a notice before that one began."""
    doc = notice.notice
    assert doc is not None
    target = act.get("notice")
    if isinstance(target, str):
        if target == notice.id:
            ctx.add(doc, path + ("notice",), "acts_on_itself")
        elif target not in ctx.notices:
            ctx.unknown(doc, path + ("notice",), msg("thing.notice"), target, ctx.notices, msg("where.notices"))
        else:
            numbers = {as_dict(m.data).get("number") for m in ctx.notices[target].measures}
            for j, number in enumerate(as_list(act.get("measures"))):
                if isinstance(number, int) and not isinstance(number, bool) and number not in numbers \
                        and ctx.all_measures:
                    ctx.add(doc, path + ("measures", j), "acts_on_no_measure", number=number, ident=target,
                            count=len(numbers))
            start = as_dict(ctx.notice_data[target].get("in_force")).get("from")
            if isinstance(start, str) and isinstance(act.get("from"), str) and act["from"] <= start:
                ctx.add(doc, path + ("from",), "acts_on_before_start", date=act["from"], ident=target, start=start)
    quote = act.get("quote")
    if isinstance(quote, str) and notice.id in ctx.notice_texts and flat(quote) not in ctx.notice_texts[notice.id]:
        ctx.add(doc, path + ("quote",), "acts_on_quote", text_file=ctx.text_file(notice.id))
