"""Amendments done wrong, one slip each on the amended policy: the validator names the place
and says what to do (the staff guide's "Amendments" section)."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable

import yaml

from scripts.policy import validate


def _slip(amended_dir: Path, tmp_path: Path, pattern: str, edit: Callable[[dict[str, Any]], None]) -> list[str]:
    root = tmp_path / "policy"
    shutil.copytree(amended_dir, root)
    path = next(root.glob(pattern))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return [p.format("policy") for p in validate(root)]


def _benefit(measure: dict, ident: str) -> dict:
    return next(b for b in measure["benefits"] if b["id"] == ident)


def test_the_amended_policy_is_valid(amended_dir: Path) -> None:
    assert validate(amended_dir) == []


def test_ending_a_measure_by_ending_its_figures_points_to_in_force(amended_dir, tmp_path) -> None:
    def edit(m: dict) -> None:
        del m["in_force"]
        m["figures"]["flexible_si_years"]["values"][0]["until"] = "2026-12-31"
    problems = _slip(amended_dir, tmp_path, "notices/eighteen-measures/measures/08-*.yaml", edit)
    assert len(problems) == 1, problems
    assert "figures.flexible_si_years.values[0].until: figure 'flexible_si_years' ends on 2026-12-31, but benefit " \
           "'flexible-employment-social-insurance-subsidy' that uses it does not" in problems[0]
    assert "set in_force: {from: null, until: 2026-12-31} on benefits[0] (or on the measure" in problems[0]


def test_in_force_on_a_figure_is_an_unknown_key(amended_dir, tmp_path) -> None:
    problems = _slip(amended_dir, tmp_path, "notices/eighteen-measures/measures/08-*.yaml",
                     lambda m: m["figures"]["flexible_si_years"].update(in_force={"from": None, "until": "2026-12-31"}))
    assert any("figures.flexible_si_years.in_force: unknown key 'in_force'" in p for p in problems), problems


def test_a_gap_between_two_values_names_the_days_without_an_amount(amended_dir, tmp_path) -> None:
    problems = _slip(amended_dir, tmp_path, "notices/eighteen-measures/measures/05-*.yaml",
                     lambda m: m["figures"]["job_seeking_subsidy"]["values"][0].update(until="2026-12-30"))
    assert len(problems) == 1, problems
    assert "figures.job_seeking_subsidy.values[1].from: values[0] ends on 2026-12-30 but values[1] starts on " \
           "2027-01-01: no value is in force from 2026-12-31 to 2026-12-31 — hint: set until on values[0] to " \
           "2026-12-31, the day before the new value" in problems[0]


def test_a_new_value_must_be_in_the_supplementary_notice(amended_dir, tmp_path) -> None:
    problems = _slip(amended_dir, tmp_path, "notices/eighteen-measures/measures/05-*.yaml",
                     lambda m: m["figures"]["job_seeking_subsidy"]["values"][1].update(as_published="1,600 yuan"))
    assert any("values[1].as_published: '1,600 yuan' does not appear in the text of notice "
               "'2026-supplement-1' (notices/2026-supplement-1/text.en.txt)" in p for p in problems), problems


def test_a_new_value_without_its_notice_is_not_traced(amended_dir, tmp_path) -> None:
    problems = _slip(amended_dir, tmp_path, "notices/eighteen-measures/measures/05-*.yaml",
                     lambda m: m["figures"]["job_seeking_subsidy"]["values"][1].pop("notice"))
    assert any("values[1].as_published: '1,500 yuan' does not appear in source.as_published" in p
               and "notice: <id of that notice>" in p for p in problems), problems


def test_an_unknown_supplementary_notice(amended_dir, tmp_path) -> None:
    problems = _slip(amended_dir, tmp_path, "notices/eighteen-measures/measures/05-*.yaml",
                     lambda m: m["figures"]["job_seeking_subsidy"]["values"][1].update(notice="2026-supplement-2"))
    assert any("values[1].notice: unknown notice '2026-supplement-2' — hint: the notices of the library "
               "(folders in policy/notices/): did you mean '2026-supplement-1'?" in p for p in problems), problems


def test_a_change_log_entry_carries_the_notice_date(amended_dir, tmp_path) -> None:
    problems = _slip(amended_dir, tmp_path, "notices/eighteen-measures/measures/08-*.yaml", lambda m: m["change_log"][1].update(date="2027-01-01"))
    assert any("change_log[1].date: the entry is dated 2027-01-01, but notice '2026-supplement-1' "
               "was published on 2026-12-15" in p for p in problems), problems


def test_a_change_log_quote_must_be_in_the_notice(amended_dir, tmp_path) -> None:
    problems = _slip(amended_dir, tmp_path, "notices/eighteen-measures/measures/08-*.yaml",
                     lambda m: m["change_log"][1].update(quote="Measure 8 ends."))
    assert any("change_log[1].quote: the quote does not appear in the text of notice" in p
               for p in problems), problems


def test_a_change_log_text_types_its_amount(amended_dir, tmp_path) -> None:
    problems = _slip(amended_dir, tmp_path, "notices/eighteen-measures/measures/05-*.yaml",
                     lambda m: m["change_log"][1]["text"].update(zh="一次性求职补贴调整为[[job_seeking_subsidy]]。"))
    assert any("change_log[1].text.zh: a change log text cannot contain [[...]]" in p and "1500元 / 1,500 yuan" in p
               for p in problems), problems


def test_a_dated_measure_needs_its_notice_in_the_change_log(amended_dir, tmp_path) -> None:
    problems = _slip(amended_dir, tmp_path, "notices/eighteen-measures/measures/08-*.yaml", lambda m: m["change_log"].pop())
    assert any("08-flexible-employment.yaml" in p and "in_force: dated with in_force, but no change_log entry "
               "names the notice" in p for p in problems), problems


def test_a_measure_that_ends_before_it_starts(amended_dir, tmp_path) -> None:
    problems = _slip(amended_dir, tmp_path, "notices/eighteen-measures/measures/08-*.yaml",
                     lambda m: m.update(in_force={"from": "2027-01-01", "until": "2026-12-31"}))
    assert any("in_force.until: until 2026-12-31 is before from 2027-01-01" in p for p in problems), problems


def test_a_benefit_cannot_outlast_its_measure(amended_dir, tmp_path) -> None:
    problems = _slip(amended_dir, tmp_path, "notices/eighteen-measures/measures/08-*.yaml",
                     lambda m: m["benefits"][0].update(in_force={"from": None, "until": "2027-06-30"}))
    assert any("benefits[0].in_force.until: the benefit is in force until 2027-06-30, beyond the measure's "
               "in_force.until 2026-12-31" in p for p in problems), problems


def test_a_contact_phone_is_a_number(amended_dir, tmp_path) -> None:
    problems = _slip(amended_dir, tmp_path, "notices/eighteen-measures/measures/07-*.yaml",
                     lambda m: m["contacts"][0].update(phone="service hall, tel. 12333"))
    assert any("contacts[0].phone: 'service hall, tel. 12333' is not a phone number" in p for p in problems), problems


def test_a_supplementary_notice_needs_its_text(amended_dir, tmp_path) -> None:
    problems = _slip(amended_dir, tmp_path, "notices/2026-supplement-1/notice.yaml",
                     lambda n: n.update(text_file="missing.en.txt"))
    assert any("text_file: the notice's published text is missing: notices/2026-supplement-1/missing.en.txt"
               in p for p in problems), problems


def test_a_dated_condition_cannot_be_reused_by_reference(amended_dir, tmp_path) -> None:
    def edit(m: dict) -> None:
        conditions = _benefit(m, "job-seeking-subsidy")["conditions"]
        conditions.append({"id": "again", "rule": {"condition": "bachelor-or-above"},
                           "text": {"zh": "再次核对学历", "en": "Degree checked again"}})
    problems = _slip(amended_dir, tmp_path, "notices/eighteen-measures/measures/05-*.yaml", edit)
    assert any("condition 'bachelor-or-above' is dated (in_force), and this rule refers to it" in p
               for p in problems), problems


def test_amendment_messages_speak_chinese_too(amended_dir, tmp_path) -> None:
    root = tmp_path / "policy"
    shutil.copytree(amended_dir, root)
    path = next(root.glob("notices/eighteen-measures/measures/08-*.yaml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["in_force"]
    data["figures"]["flexible_si_years"]["values"][0]["until"] = "2026-12-31"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    [problem] = validate(root)
    assert problem.message_in("zh") == "金额“flexible_si_years”于 2026-12-31 截止，但使用它的待遇" \
                                       "“flexible-employment-social-insurance-subsidy”没有截止"
    assert "in_force: {from: null, until: 2026-12-31}" in problem.hint_in("zh")
