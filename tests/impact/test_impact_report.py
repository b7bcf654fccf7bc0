"""The impact report staff read before publishing (`make impact`), on real edits of a copy of
policy/ committed to a temporary git repository: what it says about the changed figures, the
people affected and the pages; and the build's refusal of a change the change log does not name."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT / "calculator" / "src", ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from scripts.policy import change_log  # noqa: E402

from scripts.impact import people as impact_people  # noqa: E402

from scripts.impact import report as impact_report  # noqa: E402

MEASURE_5 = "notices/eighteen-measures/measures/05-employment-entrepreneurship-subsidies.yaml"
MEASURE_7 = "notices/eighteen-measures/measures/07-job-placement-subsidy.yaml"
TODAY = "2026-12-01"
LOG_2027 = """
  - date: 2027-01-01
    text: {zh: "{zh}", en: "{en}"}
"""


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.email=staff@example.org", "-c", "user.name=staff",
                    *args], check=True, capture_output=True)


@pytest.fixture()
def policy(tmp_path: Path) -> Path:
    """A copy of policy/ in a git repository of its own, committed: the published policy."""
    shutil.copytree(ROOT / "policy", tmp_path / "policy")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "published")
    return tmp_path / "policy"


def edit(policy: Path, file: str, old: str, new: str) -> None:
    path = policy / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def log_entry(policy: Path, file: str, zh: str, en: str, quote: str = "", notice: str = "") -> None:
    entry = LOG_2027.replace("{zh}", zh).replace("{en}", en)
    if notice:
        entry += f"    notice: {notice}\n"
    if quote:
        entry += f'    quote: "{quote}"\n'
    with (policy / file).open("a", encoding="utf-8") as out:
        out.write(entry)


def report_text(policy: Path, lang: str) -> tuple[impact_report.Report, str]:
    report = impact_report.build(policy, lang, today=TODAY)
    return report, impact_report.as_text(impact_report.document(report))


def pages_of(report: impact_report.Report) -> set[str]:
    """The pages that read differently (the report compared them: not against a bare bundle)."""
    assert report.pages is not None
    return {p.page for p in report.pages}


def on(report: impact_report.Report, day: str) -> impact_people.Summary:
    return next(s for s in report.population if s.day == day)


SUPPLEMENT = "supplement-2027-1"


def add_supplement(policy: Path, text: str) -> None:
    """A supplementary notice of 1 January 2027, as staff add one: a folder in policy/notices/ with
    its notice.yaml and its text."""
    folder = policy / "notices" / SUPPLEMENT
    folder.mkdir()
    (folder / "text.en.txt").write_text(text + "\n", encoding="utf-8")
    (folder / "notice.yaml").write_text("""title: {zh: 关于调整就业补贴的补充通知, en: Supplementary notice on employment subsidies}
short_title: {zh: 2027年第1号补充通知, en: Supplementary notice No. 1 of 2027}
document_number: "No. 1 [2027]"
issuer: null
published: 2027-01-01
summary: {zh: 提高吸纳高校毕业生一次性奖励标准。, en: Raises the award for hiring graduates.}
in_force: {from: null, until: null}
topics: [subsidies]
text_file: text.en.txt
acts_on: []
parts: []
""", encoding="utf-8")


def raise_hiring_award(policy: Path) -> None:
    quote = "the one-time award rises to 2,500 yuan/person from 1 January 2027"
    add_supplement(policy, quote)
    edit(policy, MEASURE_5, """        as_published: "2,111 yuan/person for the enterprise"
        from: null
        until: null""", """        as_published: "2,111 yuan/person for the enterprise"
        from: null
        until: 2026-12-31""")
    edit(policy, MEASURE_5, """        reference: {zh: 第五条第四句, en: "Measure 5, fourth sentence"}
  graduate_employment_subsidy:""", """        reference: {zh: 第五条第四句, en: "Measure 5, fourth sentence"}
      - value: 2500
        as_published: "2,500 yuan/person"
        from: 2027-01-01
        until: null
        notice: supplement-2027-1
        reference: {zh: 补充通知, en: Supplementary notice}
  graduate_employment_subsidy:""")
    log_entry(policy, MEASURE_5, "自2027年1月1日起，吸纳高校毕业生一次性奖励提高至每人2,500元。",
              "From 1 January 2027 the award for hiring graduates rises to 2,500 yuan per graduate.",
              quote, notice=SUPPLEMENT)


def test_an_amount_raised_from_a_date(policy: Path) -> None:
    raise_hiring_award(policy)
    report, text = report_text(policy, "en")

    # the figure, before and after, with its file and line
    assert "figures.hiring_award.values[0].until | date | null | 2026-12-31" in text
    assert "figures.hiring_award.values[1] | figure | (none) | {value: 2500" in text
    assert "Measure 5 · Employment and entrepreneurship subsidies / 落实就业创业补贴" in text
    assert "Every measure whose figures, conditions or dates changed has a new dated change-log entry." in text
    assert report.days == ["2026-12-01", "2026-12-31", "2027-01-01"]
    # the scenario case of 3 graduates, on the day the new amount applies
    assert "5. Employment and entrepreneurship subsidies – One-time award for hiring college graduates " \
           "| Eligible; 6,333 yuan | Eligible; 7,500 yuan" in text
    # nobody is affected before the date; from it, enterprises gain and none loses
    assert on(report, TODAY).affected == 0
    assert f"{TODAY[8:].lstrip('0')} December 2026: none of the 3,000 answer sets reads differently." in text
    later = on(report, "2027-01-01")
    assert later.gain > 0 and later.lose == 0 and later.status == 0
    assert later.totals_after["enterprise"] > later.totals_before["enterprise"]
    assert later.totals_after["graduate"] == later.totals_before["graduate"]
    assert f"{later.gain:,} get more money in all, 0 less, 0 see a status change" in text
    # the pages that read differently
    pages = pages_of(report)
    assert {"measures/employment-entrepreneurship-subsidies.en.md", "measures/employment-entrepreneurship-subsidies.zh.md",
            "changes.en.md", "changes.zh.md", "feed.zh.xml", "audiences/enterprises.zh.md"} <= pages
    assert "measures/job-placement-subsidy.en.md" not in pages
    assert "added: 吸纳高校毕业生一次性奖励：每名2500元（领取人：企业；自2027年1月1日起）" in text


def test_the_report_in_chinese(policy: Path) -> None:
    raise_hiring_award(policy)
    _, text = report_text(policy, "zh")
    assert "本次修改的影响" in text
    assert "第五条 落实就业创业补贴 / Employment and entrepreneurship subsidies" in text
    assert "figures.hiring_award.values[0].until | 日期 | null | 2026-12-31" in text
    assert "5. 落实就业创业补贴 – 吸纳高校毕业生一次性奖励 | 符合条件；6333元 | 符合条件；7500元" in text
    assert "组合计金额增加，0 组减少，0 组资格状态改变" in text
    assert "四、文字发生变化的页面" in text and "/measures/employment-entrepreneurship-subsidies/" in text


def test_a_condition_removed(policy: Path) -> None:
    where = next(n for n, line in enumerate((policy / MEASURE_5).read_text(encoding="utf-8").splitlines(), 1)
                 if line.strip() == "- id: full-time")
    edit(policy, MEASURE_5, """      - id: full-time
        rule: {question: full_time, equals: true}
        text: {zh: 为全日制高校毕业生, en: You graduated from full-time study}
        rests_on: "Full-time college graduates"
""", "")
    # the question no condition uses any more goes too (the validator asks for it)
    edit(policy, "questions.yaml", """  - id: full_time
    type: boolean
    ask_when: {all: [{question: role, equals: person}, {question: is_college_graduate, equals: true}]}
    label:
      zh: 是否为全日制高校毕业生？
      en: Did you graduate from full-time study?
""", "")
    report, text = report_text(policy, "en")

    # refused until the change log says so, naming the file and line
    problems = change_log.check(policy)
    assert [(p.file, p.path) for p in problems] == [(MEASURE_5, "benefits[job-seeking-subsidy].conditions[full-time]")]
    assert problems[0].line == where  # where the condition was: the next condition now starts there
    assert "These changes are not in a change log yet; make site will refuse to publish:" in text
    assert f"policy/{MEASURE_5}:{where}:9: benefits[job-seeking-subsidy].conditions[full-time]: this changes a condition " \
           "of the measure, but its change_log has no new dated entry" in text
    assert "benefits[job-seeking-subsidy].conditions[full-time] | condition | {id: full-time, rule: " \
           "{question: full_time, equals: true}, text: {zh: 为全日制高校毕业生, en: You graduated from full-time study}, " \
           "rests_on: Full-time college graduates} | (none)" in text
    # the part-time master's graduate of the scenarios now gets the subsidy
    assert "## A part-time master's graduate is not eligible for the job-seeking subsidy" in text
    assert "– One-time job-seeking subsidy | Not eligible | Eligible; 1,111 yuan" in text
    today = on(report, TODAY)
    # (the generated answers no longer say whether study was full-time: before, that was unknown)
    moved = sum(n for (m, b, _old, new), n in today.transitions.items()
                if (m, b, new) == ("employment-entrepreneurship-subsidies", "job-seeking-subsidy", "eligible"))
    assert moved > 0 and today.gain >= moved and today.lose == 0
    assert today.totals_after["individual"] - today.totals_before["individual"] == 1111 * today.recipients_changed["individual"]
    assert pages_of(report) == {"measures/employment-entrepreneurship-subsidies.en.md",
                                              "measures/employment-entrepreneurship-subsidies.zh.md",
                                              "calculator/index.en.md", "calculator/index.zh.md"}  # one question fewer
    assert "removed: You graduated from full-time study" in text

    log_entry(policy, MEASURE_5, "一次性求职补贴不再要求全日制学历。", "The job-seeking subsidy no longer requires full-time study.")
    assert change_log.check(policy) == []


def test_a_measure_ended(policy: Path) -> None:
    quote = "the job placement subsidy ends on 31 December 2026"
    add_supplement(policy, quote)
    edit(policy, MEASURE_7, "part: reduce-burdens\n", "part: reduce-burdens\nin_force: {from: null, until: 2026-12-31}\n")
    log_entry(policy, MEASURE_7, "职业介绍补贴执行至2026年12月31日。", "The job placement subsidy ends on 31 December 2026.",
              quote, notice=SUPPLEMENT)
    report, text = report_text(policy, "en")

    assert "in_force | date | (none) | {from: null, until: '2026-12-31'}" in text
    assert on(report, TODAY).lose == 0  # still paid until the end date
    after = on(report, "2027-01-01")
    ended = after.transitions[("job-placement-subsidy", "placement-subsidy", "eligible", "not_in_force")]
    assert ended > 0 and after.lose <= ended and after.gain == 0
    assert after.totals_after["agency"] == 0 < after.totals_before["agency"]
    assert "7. Job placement subsidy for human-resources agencies – Job placement subsidy: " \
           f"Eligible → Not in force on the chosen date: {ended:,}" in text
    # said once for every scenario case, not repeated under each
    assert "  - 7. Job placement subsidy for human-resources agencies: Not in force on the chosen date; " \
           "This measure ended on 31 December 2026. (in " in text
    assert "| Not in force on the chosen date" not in text
    assert "In short" in text and "The policy: 2 change(s) (1 other, 1 date) in 1 measure(s) and 1 notice(s)." in text
    assert f"Generated answer sets: from 1 January 2027, {after.affected:,} of 3,000 read differently" in text


def test_an_edit_with_no_effect(policy: Path) -> None:
    edit(policy, MEASURE_5, "# Every amount, duration and limit of this measure", "# All amounts, durations and limits")
    edit(policy, MEASURE_5, "  hiring_award:\n    unit: yuan\n", "  hiring_award:\n    unit: 'yuan'\n")
    report, text = report_text(policy, "en")
    assert report.changes == [] and report.scenarios == [] and report.pages == []
    assert all(s.affected == 0 for s in report.population)
    assert "No figure, condition, date or text changed." in text
    from scripts.policy import load_scenarios

    cases = sum(len(c) for c in load_scenarios(policy).values())
    assert cases > 40 and f"No scenario case gives a different result ({cases} cases)." in text
    assert "No page reads differently." in text
    assert change_log.check(policy) == []


def test_a_text_edit_needs_no_change_log_entry(policy: Path) -> None:
    edit(policy, MEASURE_5, "title:\n  zh: 落实就业创业补贴\n  en: Employment and entrepreneurship subsidies",
         "title:\n  zh: 落实就业创业补贴\n  en: Employment and business start-up subsidies")
    report, text = report_text(policy, "en")
    assert change_log.check(policy) == []
    assert "title (English) | text | Employment and entrepreneurship subsidies | Employment and business start-up subsidies" in text
    assert "title (Chinese)" not in text
    assert all(s.status == 0 and s.gain == 0 and s.lose == 0 for s in report.population)
    assert "measures/employment-entrepreneurship-subsidies.en.md" in pages_of(report)
    assert "measures/employment-entrepreneurship-subsidies.zh.md" not in pages_of(report)


def test_publishing_refuses_a_change_the_change_log_does_not_name(policy: Path, tmp_path: Path) -> None:
    edit(policy, MEASURE_5, "part: reduce-burdens\n", "part: reduce-burdens\nin_force: {from: null, until: 2027-06-30}\n")
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "scripts.publish", str(site)], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "POLICY_DIR": str(policy)})
    assert result.returncode == 1 and not site.exists()
    # a date set by no notice: refused by the validator, which names the file and line
    assert f"{MEASURE_5}:6:11: in_force: dated with in_force, but no change_log entry names the notice that " \
           "sets the date" in result.stdout
    assert "left unchanged" in result.stderr


def test_no_change_log_check_outside_git(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "policy", tmp_path / "policy")
    edit(tmp_path / "policy", MEASURE_5, "      - value: 2111", "      - value: 2112")
    assert change_log.check(tmp_path / "policy") == []


def test_against_a_given_revision_and_a_built_site(policy: Path) -> None:
    raise_hiring_award(policy)
    _git(policy.parent, "add", "-A")
    _git(policy.parent, "commit", "-qam", "award raised")
    report = impact_report.build(policy, "en", rev="HEAD~1", today=TODAY)
    assert report.source == ("source_rev", {"rev": "HEAD~1"})
    assert [c.path for c in report.changes if c.kind != "log"] == ["", "figures.hiring_award.values[0].until",
                                                                   "figures.hiring_award.values[1]"]
    assert impact_report.build(policy, "en", today=TODAY).changes == []  # the last commit has it


def test_the_population_is_the_same_every_time_and_covers_every_role(policy: Path) -> None:
    edit(policy, "questions.yaml", "  # --- person (college graduate or job-seeker) ---\n", """  - id: employs_disabled
    type: boolean
    ask_when: {question: role, equals: enterprise}
    label: {zh: 是否招用残疾人？, en: Does the enterprise employ disabled people?}
  # --- person (college graduate or job-seeker) ---
""")
    from scripts.bundle.rules_bundle import build_bundle
    from scripts.policy import read_policy
    from scripts.policy.load import assemble
    from subsidy_calculator import load_rules

    # a question no benefit uses yet (the validator would refuse it): the population still answers it
    rules = load_rules(build_bundle(assemble(read_policy(policy))))
    people = impact_people.population(rules)
    assert people == impact_people.population(rules)
    assert len(people) == 3000
    roles = {a["role"] for a in people}
    assert roles == {"enterprise", "individual_business", "person", "hr_agency"}
    enterprises = [a for a in people if a["role"] == "enterprise"]
    assert {a["employs_disabled"] for a in enterprises} == {True, False}  # a new question is answered
    assert not any("employs_disabled" in a for a in people if a["role"] != "enterprise")  # only when asked
    assert all(a["placements_qualifying"] <= a["placements_free"] for a in people if a["role"] == "hr_agency")


def test_the_staff_page_is_written_only_where_asked(policy: Path, tmp_path: Path) -> None:
    raise_hiring_award(policy)
    served = tmp_path / "served"
    impact_report.write_staff_pages(served, policy)
    page = (served / "en" / "impact" / "index.html").read_text(encoding="utf-8")
    assert "never published" in page and "7,500 yuan" in page and '<meta name="robots" content="noindex">' in page
    assert "本次修改的影响" in (served / "impact" / "index.html").read_text(encoding="utf-8")
    published = ROOT / "site"
    if published.is_dir():  # the public build has no impact page
        assert not (published / "impact").exists() and not (published / "en" / "impact").exists()


def test_under_serve_the_staff_page_says_it_is_prepared_then_shows_the_report(policy: Path, tmp_path: Path) -> None:
    """The live preview writes the report in a thread after the build: at once a page that says it
    is being prepared, then the same report as write_staff_pages. A later save's request replaces
    one not yet done (which then writes nothing): the last one's report is what stays."""
    raise_hiring_award(policy)
    served, expected = tmp_path / "served", tmp_path / "expected"
    with impact_report._one_report:   # hold the reports back while the first page is read
        first = impact_report.write_staff_pages_later(served, policy)
        assert "reload this page" in (served / "en" / "impact" / "index.html").read_text(encoding="utf-8")
        second = impact_report.write_staff_pages_later(served, policy)
    for thread in (first, second):
        thread.join(timeout=120)
        assert not thread.is_alive()
    impact_report.write_staff_pages(expected, policy)
    for rel in ("impact/index.html", "en/impact/index.html"):
        assert (served / rel).read_text(encoding="utf-8") == (expected / rel).read_text(encoding="utf-8")


def test_against_the_rules_bundle_of_a_built_site(policy: Path, tmp_path: Path) -> None:
    import json

    from scripts.policy import load_policy
    from scripts.bundle.rules_bundle import build_bundle

    bundle = build_bundle(load_policy(policy))
    calc = tmp_path / "built" / "assets" / "calculator"
    calc.mkdir(parents=True)
    (calc / f"rules.{bundle['version']}.json").write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    (calc / "manifest.json").write_text(json.dumps({"rules": f"rules.{bundle['version']}.json"}), encoding="utf-8")
    raise_hiring_award(policy)

    report = impact_report.build(policy, "en", site=tmp_path / "built", today=TODAY)
    text = impact_report.as_text(impact_report.document(report))
    assert f"the rules bundle of the built site {tmp_path / 'built'} (rules version {bundle['version']})" in text
    assert "figures.hiring_award.values[1] | figure | (none) | {value: 2500" in text
    assert on(report, "2027-01-01").gain > 0
    assert "Pages not compared: a built site's rules bundle holds no page texts." in text
    assert not any(c.unit[0] == "texts" and c.unit[1] == "site" for c in report.changes)


def test_a_field_the_model_does_not_know_yet_is_reported() -> None:
    from scripts.policy.diff import diff

    before: dict[tuple[str, ...], Any] = {("measure", "m"): {"benefits": [{"id": "b", "name": {"zh": "甲", "en": "A"}}]}}
    after: dict[tuple[str, ...], Any] = {("measure", "m"): {"benefits": [{"id": "b", "name": {"zh": "甲", "en": "A"},
                                              "in_force": {"from": "2027-01-01", "until": None}}]}}
    [change] = diff(before, after)
    assert (change.path, change.kind, change.needs_log) == ("benefits[b].in_force", "date", True)
    assert change.after == {"from": "2027-01-01", "until": None}
