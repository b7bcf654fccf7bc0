"""Every check of a policy folder already read: the schema of each file, then one module per kind
of file (library and notices, questions and its lists, measures and their amendments, texts, scenarios) for what a
schema cannot say."""
from __future__ import annotations

from pathlib import Path

from scripts.policy.checks import amendments, lists, measures, notice, questions, scenarios, texts
from scripts.policy.checks.context import Context
from scripts.policy.problems import Problem
from scripts.policy.reader import PolicyDocs
from scripts.policy.schema import schema_check


def check(docs: PolicyDocs, root: Path | None = None) -> list[Problem]:
    """Every problem of policy files already read: reading, schema, then meaning; sorted, no repeats."""
    problems = list(docs.problems)
    kinds = [(docs.library, "library"), (docs.questions, "questions")] + [(n.notice, "notice") for n in docs.notices]
    kinds += [(d, "measure") for d in docs.measures] + [(d, "texts") for d in docs.texts.values()]
    kinds += [(d, lists.LIST_SCENARIOS_KIND if d.file == lists.LIST_SCENARIOS else "scenarios")
              for d in docs.scenarios]
    for doc, kind in kinds:
        if doc is not None:
            problems.extend(schema_check(doc, kind))
    ctx = Context(docs, root)
    measures.collect(ctx)      # first: the others refer to measures and their figures
    notice.check(ctx)
    questions.check(ctx)
    lists.check(ctx)
    measures.check(ctx)
    amendments.check(ctx)  # dated values, in_force, supplementary notices, change log, contacts
    texts.check(ctx)
    scenarios.check(ctx)
    if not problems and not ctx.problems:
        questions.check_form_length(ctx)
    problems.extend(ctx.problems)
    return sorted(set(problems))
