"""Checks of notice.yaml: parts numbered 1..N, audience groups and audiences, its dates and texts."""
from __future__ import annotations

from scripts.policy.checks.context import Context, as_dict, hashable, items
from scripts.policy.messages import msg


def check(ctx: Context) -> None:
    doc = ctx.docs.notice
    if doc is None:
        return
    notice = ctx.notice
    ctx.numbers_1_to_n([(doc, ("parts", i, "number"), p.get("number")) for i, p in items(notice.get("parts"))],
                       "part")
    for i, group in items(notice.get("audience_groups")):
        role = group.get("role")
        if role is not None and ctx.roles is not None and hashable(role) and role not in ctx.roles:
            ctx.unknown(doc, ("audience_groups", i, "role"), msg("thing.role"), role, ctx.roles,
                        msg("where.role_options"))
    for i, audience in items(notice.get("audiences")):
        group = audience.get("group")
        if isinstance(group, str) and group not in ctx.groups:
            ctx.unknown(doc, ("audiences", i, "group"), msg("thing.audience_group"), group, ctx.groups,
                        msg("where.audience_groups"))
    ctx.date_range(doc, ("in_force",), as_dict(notice.get("in_force")))
    ctx.placeholders(doc, notice, None)
