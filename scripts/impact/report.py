"""The impact report: what an edit of policy/ changes before it is published, in the staff
member's language. `make impact` prints it; under `make serve` the hook writes it as a staff-only
page (/impact/, /en/impact/) that is never part of a published site.

    python -m scripts.impact.report [--rev REV | --site DIR] [--lang zh|en|<locale>] [policy_dir]

It compares the edited policy with the published one (policy/ as last committed, a revision, or
a built site's rules bundle): every changed value by measure (scripts/policy/diff.py), the
change-log check the build applies (scripts/policy/change_log.py), the scenario cases and a
generated population evaluated by the engine under both rules (scripts/impact/people.py), and
the pages whose visible text changes (scripts/impact/pages.py). Its words: scripts/impact/texts.yaml.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import html
import json
import os
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml
from subsidy_calculator import Rules, load_rules
from subsidy_calculator.formatting import format_date, format_money, format_numeral

from scripts.policy import change_log

from scripts.impact import pages as impact_pages

from scripts.impact import people as impact_people
from scripts.policy.diff import MISSING, Change, by_unit, changed_dates, diff, is_text, units
from scripts.policy import POLICY_DIR, PolicyError, Problem, load_policy, read_policy
from scripts.policy.checks import check
from scripts.policy.load import assemble
from scripts.policy.messages import staff_languages
from scripts.policy.revision import RevisionError, last_commit, published_folder, site_bundle, tree_id
from scripts.bundle.rules_bundle import build_bundle
from scripts.pages.words import LANGS

TEXTS_FILE = Path(__file__).resolve().with_name("texts.yaml")
MAX_DAYS = 8          # today and the dates an edit sets; more would only repeat
MAX_PAGE_LINES = 6    # changed lines shown per page


class Words:
    """texts.yaml by dotted key, in one language; a missing text raises."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.data = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))

    def __call__(self, key: str, **values: Any) -> str:
        node: Any = self.data
        for part in key.split("."):
            node = node[part]
        text = node[self.lang]
        return text.format(**values) if values else text


def staff_language(value: str | None = None) -> str:
    """'zh' or 'en' as asked, else the validator's choice (POLICY_LANG, then the locale)."""
    if value:
        return "zh" if value.lower().startswith("zh") else "en"
    return staff_languages()[0]


@dataclass
class Published:
    """The side an edit is compared with."""

    label: tuple[str, dict]                    # text key and values naming it
    policy: Mapping[str, Any]                  # a loaded policy, or a rules bundle
    rules: Rules
    pages: dict[str, list[str]] | None         # None: a bundle has no page texts


@dataclass
class Report:
    lang: str
    source: tuple[str, dict] = ("source_head", {"commit": "?"})
    problems: list[Problem] = field(default_factory=list)     # the edited policy is invalid
    changes: list[Change] = field(default_factory=list)
    unannounced: list[Problem] = field(default_factory=list)  # what make site will refuse
    titles: dict[str, Mapping] = field(default_factory=dict)  # measure id -> its measure (either side)
    days: list[str] = field(default_factory=list)
    scenarios: list[tuple[Mapping, str, impact_people.Difference]] = field(default_factory=list)
    scenario_count: int = 0
    population: list[impact_people.Summary] = field(default_factory=list)
    people: int = 0
    roles: int = 1
    pages: list[impact_pages.PageChange] | None = None
    status_texts: dict[str, str] = field(default_factory=dict)


_published_cache: dict[str, Published] = {}


def published(root: Path, rev: str | None = None, site: Path | None = None) -> Published:
    """The published policy: a built site's bundle, or policy/ at `rev` / its last commit."""
    if site is not None:
        bundle = site_bundle(site)
        return Published(("source_site", {"site": str(site), "version": bundle.get("version", "?")}),
                         bundle, load_rules(bundle), None)
    label = ("source_rev", {"rev": rev}) if rev else ("source_head", {"commit": last_commit(root) or "HEAD"})
    key = tree_id(root, rev)
    if key in _published_cache:
        return dataclasses.replace(_published_cache[key], label=label)
    with published_folder(root, rev) as folder:
        if folder is None:
            raise RevisionError(f"{root} is not in a git repository: give --site DIR to compare with a built site")
        try:
            policy = load_policy(folder)
        except PolicyError:  # published under older rules of validation: still comparable
            policy = assemble(read_policy(folder))
        try:
            pages = impact_pages.page_texts(policy)
        except Exception:  # noqa: BLE001 - an old policy the generator cannot read: only its pages are skipped
            pages = None
    result = Published(label, policy, load_rules(build_bundle(dict(policy))), pages)
    if key:
        _published_cache.clear()
        _published_cache[key] = result
    return result


def build(root: Path = POLICY_DIR, lang: str = "en", rev: str | None = None, site: Path | None = None,
          today: str | None = None, people: int = impact_people.POPULATION) -> Report:
    """Everything the report says. Raises RevisionError when the published side cannot be read."""
    root = Path(root)
    report = Report(lang)
    docs = read_policy(root)
    report.problems = check(docs, root)
    if report.problems:
        return report
    edited = assemble(docs)
    old = published(root, rev, site)
    report.source = old.label
    before, after = units(old.policy), units(edited)
    if site is not None:  # a bundle holds the results' texts and what the engine needs of a notice only:
        after = {u: v for u, v in after.items() if u[0] not in ("texts", "library") or u in before}   # compare what it holds
        after = {u: {k: x for k, x in v.items() if k in before[u]} if u[0] == "notice" and u in before else v
                 for u, v in after.items()}
    report.changes = diff(before, after, docs)
    report.unannounced = change_log.problems(report.changes, before, after)
    report.titles = {u[1]: v for u, v in {**before, **after}.items() if u[0] == "measure"}
    rules = load_rules(build_bundle(edited))
    report.status_texts = {k[len("status."):]: v for k, v in rules.texts[lang].items() if k.startswith("status.")}

    today = today or _dt.date.today().isoformat()
    report.days = sorted({today} | changed_dates(report.changes))[:MAX_DAYS]
    for doc in docs.scenarios:
        for case in (doc.data or {}).get("cases") or []:
            report.scenario_count += 1
            for day in sorted({case.get("date") or today} | set(report.days)):
                difference = impact_people.compare(old.rules, rules, case.get("answers") or {}, day,
                                                   case.get("lang", lang))
                if difference is not None:
                    report.scenarios.append((case, doc.file, difference))
    crowd = impact_people.population(rules, people)
    report.people, report.roles = len(crowd), len(rules.question_by_id["role"].options) or 1
    report.population = [impact_people.summarise(old.rules, rules, crowd, day, lang) for day in report.days]
    if old.pages is not None:
        report.pages = impact_pages.changed_pages(old.pages, impact_pages.page_texts(edited))
    return report


# ---- the report as a document: headings, paragraphs, lists, tables -----------------------------

Block = tuple  # ("h1"|"h2"|"h3"|"p", text) | ("ul", [text]) | ("table", [header], [[cell]])


def _value(value: Any, w: Words) -> str:
    if value is MISSING:
        return w("absent")
    if isinstance(value, str):
        return value
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False,
                          width=10_000).strip().removesuffix("...").strip()


def _unit_title(unit: tuple, changes: list[Change], report: Report, w: Words) -> str:
    if unit[0] == "measure":
        m = report.titles.get(unit[1]) or {}
        title = m.get("title") or {}
        number = m.get("number")
        number = format_numeral(number, w.lang) if isinstance(number, int) and not isinstance(number, bool) else "?"
        return w("unit_measure", number=number, title_zh=title.get("zh", unit[1]),
                 title_en=title.get("en", unit[1]), file=changes[0].file or unit[1])
    if unit[0] == "texts":
        return w("unit_texts", name=unit[1])
    if unit[0] == "notice":
        return w("unit_notice", id=unit[1])
    return w(f"unit_{unit[0]}")


def _change_rows(change: Change, w: Words) -> list[list[str]]:
    field_name = change.path or w("whole_notice" if change.unit[0] == "notice" else "whole_measure")
    kind = w(f"kind.{change.kind}")
    line = str(change.line) if change.line else ""
    old, new = change.before, change.after
    if (is_text(old) or old is MISSING) and (is_text(new) or new is MISSING) and not (old is MISSING and new is MISSING) \
            and (is_text(old) or is_text(new)):
        rows = []
        for lang in LANGS:
            if is_text(old) and is_text(new) and old.get(lang) == new.get(lang):
                continue  # only the other language was edited
            label = w("col_zh") if lang == "zh" else w("col_en")
            rows.append([line, f"{field_name} ({label})", kind,
                         old.get(lang, "") if is_text(old) else w("absent"),
                         new.get(lang, "") if is_text(new) else w("absent")])
        return rows
    return [[line, field_name, kind, _value(old, w), _value(new, w)]]


def _status(report: Report, status: str | None, w: Words) -> str:
    return report.status_texts.get(status, status) if status else w("absent")


def _what(report: Report, difference_titles: Mapping, measure: str, benefit: str | None) -> str:
    m = report.titles.get(measure) or {}
    title = difference_titles.get(measure) or measure
    label = f"{m.get('number', '')}. {title}".lstrip(". ")
    if benefit is None:
        return label
    return f"{label} – {difference_titles.get((measure, benefit), benefit)}"


def _scenario_rows(report: Report, d: impact_people.Difference, w: Words) -> list[list[str]]:
    """A measure's status when it changes (or its reasons when nothing else shows the change),
    then each benefit whose status, amount or duration changes."""
    rows = []
    titles = {**d.before.titles, **d.after.titles}
    old_items, new_items = d.before.items, d.after.items
    for measure in d.measures:
        items = [k for k in list(new_items) + [k for k in old_items if k not in new_items]
                 if k[0] == measure and old_items.get(k) != new_items.get(k)]
        was, now = d.before.statuses.get(measure), d.after.statuses.get(measure)
        if was != now or not items:
            rows.append([_what(report, titles, measure, None),
                         w("clause_separator").join([_status(report, was, w)] + d.before.reasons.get(measure, [])),
                         w("clause_separator").join([_status(report, now, w)] + d.after.reasons.get(measure, []))])
        for item in items:
            new = new_items.get(item)
            if now == "not_in_force" and new and new[0] == "not_in_force" and was != now:
                continue  # said once by the measure's row ("not in force" and why), not for each benefit
            rows.append([_what(report, titles, *item)] + [
                w("clause_separator").join(x for x in (_status(report, side[0], w), side[2], side[3]) if x)
                if side else w("absent")
                for side in (old_items.get(item), new_items.get(item))])
    return rows


def _not_in_force_row(row: list[str], report: Report) -> bool:
    """A scenario row whose new side is "not in force" (a measure ended or not yet started)."""
    return row[2].startswith(report.status_texts.get("not_in_force", "not_in_force"))


def _summary(report: Report, w: Words) -> list[Block]:
    """What changes, for how many of the generated answer sets, from which day: a few lines first."""
    changes = [c for c in report.changes if c.kind != "log"]
    lines = []
    if changes:
        kinds = Counter(c.kind for c in changes)
        units = {c.unit for c in changes}
        lines.append(w("summary_changes", count=f"{len(changes):,}",
                       kinds=w("list_separator").join(w("summary_kind", kind=w(f"kind.{k}"), count=f"{n:,}")
                                                     for k, n in kinds.most_common()),
                       units=w("summary_units", measures=sum(1 for u in units if u[0] == "measure"),
                               notices=sum(1 for u in units if u[0] == "notice"))))
    else:
        lines.append(w("no_changes"))
    first = next((s for s in report.population if s.affected), None)
    if first is None:
        lines.append(w("summary_people_none"))
    else:
        lines.append(w("summary_people", date=format_date(first.day, report.lang), people=f"{first.people:,}",
                       affected=f"{first.affected:,}", gain=f"{first.gain:,}", lose=f"{first.lose:,}",
                       status=f"{first.status:,}"))
    if report.unannounced:
        lines.append(w("summary_log"))
    return [("h2", w("summary")), ("ul", lines)]


def _money_change(value: int, lang: str) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "") + format_money(abs(value), lang)


def document(report: Report) -> list[Block]:
    w = Words(report.lang)
    lang = report.lang
    blocks: list[Block] = [("h1", w("title"))]
    if report.problems:
        return blocks + [("p", w("invalid")), ("ul", [p.format("policy", lang) for p in report.problems])]
    source, values = report.source
    blocks.append(("p", w("compared", source=w(source, **values))))
    blocks.append(("p", w("days", days=w("list_separator").join(format_date(d, lang) for d in report.days))))
    blocks += _summary(report, w)

    blocks.append(("h2", w("section_changes")))
    if not report.changes:
        blocks.append(("p", w("no_changes")))
    header = [w("col_line"), w("col_field"), w("col_kind"), w("before"), w("after")]
    for unit, changes in by_unit(report.changes):
        blocks.append(("h3", _unit_title(unit, changes, report, w)))
        blocks.append(("table", header, [row for c in changes for row in _change_rows(c, w)]))
    blocks.append(("h3", w("section_log")))
    if report.unannounced:
        blocks.append(("p", w("log_missing")))
        blocks.append(("ul", [p.format("policy", lang) for p in report.unannounced]))
    else:
        blocks.append(("p", w("log_ok")))

    blocks.append(("h2", w("section_scenarios")))
    if not report.scenarios:
        blocks.append(("p", w("scenarios_none", count=report.scenario_count)))
    shown: dict[tuple, list[str]] = {}  # the same case reading the same on several days: one table
    # a measure that is no longer (or not yet) in force reads so in every case: said once, above
    ended: dict[tuple, set[int]] = {}
    for case, _file, d in report.scenarios:
        for row in _scenario_rows(report, d, w):
            if _not_in_force_row(row, report):
                ended.setdefault((row[0], row[2]), set()).add(id(case))
    if ended:
        blocks.append(("ul", [w("scenarios_not_in_force", what=what, after=after, count=f"{len(cases):,}")
                              for (what, after), cases in ended.items()]))
    for case, file, d in report.scenarios:
        rows = [row for row in _scenario_rows(report, d, w) if not _not_in_force_row(row, report)]
        if not rows:
            continue
        key = (id(case), json.dumps(rows, ensure_ascii=False))
        if key in shown:
            shown[key].append(d.day)
            continue
        shown[key] = [d.day]
        name = case.get("name") or {}
        blocks.append(("h3", (case, file, shown[key])))
        blocks.append(("table", [w("col_measure"), w("before"), w("after")], rows))
    for i, block in enumerate(blocks):
        if block[0] == "h3" and isinstance(block[1], tuple):
            case, file, days = block[1]
            name = case.get("name") or {}
            blocks[i] = ("h3", w("scenario_case", name=name.get(lang, "") if isinstance(name, Mapping) else str(name),
                                  file=f"policy/{file}",
                                  date=w("list_separator").join(format_date(day, lang) for day in days)))

    blocks.append(("h2", w("section_population")))
    blocks.append(("p", w("population_intro", people=f"{report.people:,}", per_role=f"{report.people // report.roles:,}",
                          seed=impact_people.SEED)))
    for s in report.population:
        day = format_date(s.day, lang)
        if not s.affected:
            blocks.append(("p", w("population_none", date=day, people=f"{s.people:,}")))
            continue
        blocks.append(("p", w("population_counts", date=day, affected=f"{s.affected:,}", gain=f"{s.gain:,}",
                              lose=f"{s.lose:,}", status=f"{s.status:,}", wording=f"{s.wording:,}")))
        if s.transitions:
            blocks.append(("ul", [
                w("transition", what=_what(report, s.titles, m, b), before=_status(report, old, w),
                  after=_status(report, new, w), count=f"{count:,}") + " — "
                + w("example", answers=json.dumps(s.examples[(m, b, old, new)], ensure_ascii=False))
                for (m, b, old, new), count in sorted(s.transitions.items(), key=lambda kv: (-kv[1], str(kv[0])))]))
        rows = []
        for rid in list(s.totals_after) + [r for r in s.totals_before if r not in s.totals_after]:
            was, now = s.totals_before.get(rid, 0), s.totals_after.get(rid, 0)
            if was != now:
                rows.append([s.titles.get(rid, rid), format_money(was, lang), format_money(now, lang),
                             _money_change(now - was, lang), f"{s.recipients_changed[rid]:,}"])
        if rows:
            blocks.append(("table", [w("col_recipient"), w("col_total_before"), w("col_total_after"),
                                     w("col_total_change"), w("col_people")], rows))

    blocks.append(("h2", w("section_pages")))
    if report.pages is None:
        blocks.append(("p", w("pages_not_compared")))
    elif not report.pages:
        blocks.append(("p", w("pages_none")))
    for page in report.pages or []:
        lines = [w("line_removed", text=t) for t in page.removed] + [w("line_added", text=t) for t in page.added]
        if len(lines) > MAX_PAGE_LINES:
            lines = lines[:MAX_PAGE_LINES] + [w("more_lines", count=len(lines) - MAX_PAGE_LINES)]
        blocks.append(("p", w("page", title=page.title, address=page.address, page=f"docs/{page.page}")))
        blocks.append(("ul", lines))
    return blocks


def as_text(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "h1":
            out += [block[1], "=" * 60]
        elif kind == "h2":
            out += ["", block[1], "-" * 60]
        elif kind == "h3":
            out += ["", "## " + block[1]]
        elif kind == "p":
            out.append(block[1])
        elif kind == "ul":
            out += [f"  - {item}" for item in block[1]]
        else:
            out.append("  " + " | ".join(block[1]))
            out += ["  " + " | ".join(cell or "-" for cell in row) for row in block[2]]
    return "\n".join(out) + "\n"


_STYLE = """body{font-family:system-ui,sans-serif;margin:1.5rem auto;max-width:80rem;padding:0 1rem;line-height:1.5}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #bbb;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#eee}h2{border-bottom:2px solid #333;margin-top:2rem}
.note{background:#fff3cd;padding:.5rem 1rem}"""


def as_html(blocks: list[Block], lang: str, note: str = "") -> str:
    e = html.escape
    body: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind in ("h1", "h2", "h3", "p"):
            body.append(f"<{kind}>{e(block[1])}</{kind}>")
        elif kind == "ul":
            body.append("<ul>" + "".join(f"<li>{e(item)}</li>" for item in block[1]) + "</ul>")
        else:
            head = "".join(f"<th scope=\"col\">{e(cell)}</th>" for cell in block[1])
            rows = "".join("<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>" for row in block[2])
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    title = e(blocks[0][1]) if blocks else ""
    return (f'<!doctype html>\n<html lang="{e(lang)}"><head><meta charset="utf-8">'
            f'<meta name="robots" content="noindex"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title><style>{_STYLE}</style></head><body>"
            + (f'<p class="note">{e(note)}</p>' if note else "") + "\n".join(body) + "</body></html>\n")


def write_staff_pages(site_dir: Path, root: Path = POLICY_DIR) -> None:
    """Under `mkdocs serve`: the report at /impact/ (Chinese) and /en/impact/ (English). A report
    that cannot be made says why on the page; serving goes on."""
    for lang in LANGS:
        try:
            blocks = document(build(root, lang))
        except (RevisionError, PolicyError, OSError, ValueError) as error:
            blocks = [("h1", Words(lang)("title")), ("p", str(error))]
        target = Path(site_dir) / ("impact" if lang == "zh" else "en/impact") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(as_html(blocks, lang, Words(lang)("serve_note")), encoding="utf-8")


def write_preparing_pages(site_dir: Path) -> None:
    """/impact/ and /en/impact/ saying that the report of the edit just saved is being prepared."""
    for lang in LANGS:
        words = Words(lang)
        target = Path(site_dir) / ("impact" if lang == "zh" else "en/impact") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(as_html([("h1", words("title")), ("p", words("preparing"))], lang, words("serve_note")),
                          encoding="utf-8")


_later: dict[str, Any] = {"latest": 0, "thread": None}
_later_lock = threading.Lock()
_one_report = threading.Lock()


def write_staff_pages_later(site_dir: Path, root: Path = POLICY_DIR) -> threading.Thread:
    """write_staff_pages in a thread of its own, so that the live preview shows an edited page
    without waiting for the report (at a library's size it evaluates thousands of people under
    both rules). Until it is written the pages say it is being prepared; a later save's report
    replaces an earlier one that has not finished (that one writes nothing)."""
    write_preparing_pages(site_dir)
    with _later_lock:
        _later["latest"] += 1
        ticket = _later["latest"]

    def run() -> None:
        pages = {}
        with _one_report:   # one report at a time; a newer save's request makes this one moot
            if ticket != _later["latest"]:
                return
            for lang in LANGS:
                try:
                    blocks = document(build(root, lang))
                except (RevisionError, PolicyError, OSError, ValueError) as error:
                    blocks = [("h1", Words(lang)("title")), ("p", str(error))]
                pages[lang] = as_html(blocks, lang, Words(lang)("serve_note"))
        with _later_lock:
            if ticket != _later["latest"]:
                return
            for lang, text in pages.items():
                target = Path(site_dir) / ("impact" if lang == "zh" else "en/impact") / "index.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")

    thread = threading.Thread(target=run, name="impact-report", daemon=True)
    thread.start()
    _later["thread"] = thread
    return thread


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make impact", description=__doc__.split("\n\n")[0])
    parser.add_argument("policy_dir", nargs="?", default=os.environ.get("POLICY_DIR") or str(POLICY_DIR))
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--rev", help="compare with policy/ at this git revision (default: its last commit)")
    source.add_argument("--site", type=Path, help="compare with the rules bundle of this built site")
    parser.add_argument("--lang", help="zh or en (default: POLICY_LANG, else the locale, as make validate)")
    parser.add_argument("--html", type=Path, help="also write the report as an HTML page here")
    args = parser.parse_args(argv)
    lang = staff_language(args.lang)
    try:
        report = build(Path(args.policy_dir), lang, args.rev or None, args.site)
    except RevisionError as error:
        print(f"make impact: {error}", file=sys.stderr)
        return 2
    blocks = document(report)
    sys.stdout.write(as_text(blocks))
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(as_html(blocks, lang), encoding="utf-8")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
