"""Checks of scenarios/*.yaml: the measures and benefits a case expects exist."""
from __future__ import annotations

from scripts.policy.checks.context import Context, as_dict, items
from scripts.policy.messages import msg
from scripts.policy.reader import Doc


def check(ctx: Context) -> None:
    if not ctx.all_measures:
        return
    for doc in ctx.docs.scenarios:
        check_file(ctx, doc)


def check_file(ctx: Context, doc: Doc) -> None:
    benefits = [b.get("id") for _, m in ctx.measures.values() for _, b in items(m.get("benefits"))]
    for i, case in items(as_dict(doc.data).get("cases")):
        expect = as_dict(case.get("expect"))
        for measure_id in as_dict(expect.get("measures")):
            if measure_id not in ctx.measures:
                ctx.unknown(doc, ("cases", i, "expect", "measures", measure_id), msg("thing.measure"), measure_id,
                            ctx.measures, msg("where.measures"), key=True)
        for j, item in items(expect.get("items")):
            bid, mid = item.get("benefit"), item.get("measure")
            where = ("cases", i, "expect", "items", j)
            if isinstance(mid, str) and mid not in ctx.measures:
                ctx.unknown(doc, where + ("measure",), msg("thing.measure"), mid, ctx.measures,
                            msg("where.measures"))
            elif isinstance(bid, str) and isinstance(mid, str):
                own = [b.get("id") for _, b in items(ctx.measures[mid][1].get("benefits"))]
                if bid not in own:
                    ctx.unknown(doc, where + ("benefit",), msg("thing.benefit"), bid, own,
                                msg("where.benefits_of", measure=mid))
            elif isinstance(bid, str) and bid not in benefits:
                ctx.unknown(doc, where + ("benefit",), msg("thing.benefit"), bid, benefits, msg("where.benefits"))
