"""The engine's behaviour, asserting what a visitor would see."""
from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from subsidy_calculator import RulesError, evaluate, load_rules

DAY = "2026-11-26"
SMALL_3 = {"role": "enterprise", "enterprise_size": "small", "graduates_hired": 3}
AGENCY = {"role": "hr_agency", "agency_qualified": True, "placements_free": 5, "placements_qualifying": 4}


def measure(result: dict, mid: str) -> dict:
    return next(m for m in result["measures"] if m["id"] == mid)


def item(result: dict, benefit: str) -> dict:
    return next(i for m in result["measures"] for i in m["items"] if i["benefit_id"] == benefit)


def group(result: dict, recipient: str) -> dict:
    return next(g for g in result["groups"] if g["recipient"] == recipient)


def figure(bundle: dict, mid: str, fid: str) -> dict:
    return next(m for m in bundle["measures"] if m["id"] == mid)["figures"][fid]


# -- amounts and arithmetic ----------------------------------------------------------------------

def test_small_enterprise_hiring_three_graduates_zh(rules) -> None:
    r = rules.evaluate(SMALL_3, DAY, "zh")
    award = item(r, "graduate-hiring-award")
    assert (award["status"], award["amount"], award["amount_text"]) == ("eligible", 6333, "6333元")
    assert award["arithmetic"] == ["3名 × 2111元 = 6333元"]
    assert award["recipient"] == "enterprise" and award["frequency_text"] == "一次性"
    assert award["reasons"] == [{"met": True, "text": "为小型或微型企业"},
                                {"met": True, "text": "招用了毕业年度或择业期内的高校毕业生"}]
    each = item(r, "graduate-employment-subsidy")
    assert (each["amount"], each["amount_text"], each["recipient"]) == (2111, "每名2111元，共3名，6333元", "graduate")
    assert each["arithmetic"] == []
    insurance = item(r, "hiring-social-insurance-subsidy")
    assert (insurance["amount"], insurance["amount_text"], insurance["duration_text"]) == \
        (None, "通知未载明金额", "最长1.2个月")
    # Totals per recipient, never across: the graduates' money is not in the enterprise's total.
    assert (group(r, "enterprise")["total"], group(r, "enterprise")["total_text"]) == (6333, "6333元")
    assert (group(r, "graduate")["total"], group(r, "graduate")["title"]) == (2111, "每名高校毕业生")
    assert [g["recipient"] for g in r["groups"]] == ["enterprise", "graduate"]
    assert measure(r, "employment-entrepreneurship-subsidies")["status"] == "eligible"
    assert r["date"] == DAY and r["date_text"] == "2026年11月26日" and r["errors"] == []


def test_small_enterprise_hiring_three_graduates_en(rules) -> None:
    r = rules.evaluate(SMALL_3, DAY, "en")
    assert item(r, "graduate-hiring-award")["arithmetic"] == ["3 graduates × 2,111 yuan = 6,333 yuan"]
    assert item(r, "graduate-employment-subsidy")["amount_text"] == "2,111 yuan for each of the 3 graduates, 6,333 yuan in all"
    insurance = item(r, "hiring-social-insurance-subsidy")
    assert (insurance["amount_text"], insurance["duration_text"]) == ("The notice does not state the amount", "for up to 1.2 months")
    assert group(r, "graduate")["title"] == "Each graduate"
    assert r["date_text"] == "26 November 2026"


def test_one_graduate_reads_well_in_english(rules) -> None:
    r = rules.evaluate({**SMALL_3, "graduates_hired": 1}, DAY, "en")
    assert item(r, "graduate-hiring-award")["arithmetic"] == ["graduates: 1 × 2,111 yuan = 2,111 yuan"]
    assert item(r, "graduate-employment-subsidy")["amount_text"] == "2,111 yuan for each of the graduates (1 in all), 2,111 yuan in all"


def test_group_total_adds_only_eligible_fixed_amounts(rules) -> None:
    r = rules.evaluate(SMALL_3, DAY, "zh")
    enterprise = group(r, "enterprise")
    assert enterprise["total"] == sum(i["amount"] for i in enterprise["items"]
                                      if i["status"] == "eligible" and i["amount"] is not None)
    # may-be-eligible and needs-answers items are shown but not added
    assert {i["status"] for i in enterprise["items"]} >= {"eligible", "may_be_eligible", "needs_answers"}


def test_agency_placements_with_one_left_out(rules) -> None:
    r = rules.evaluate(AGENCY, DAY, "zh")
    placement = item(r, "placement-subsidy")
    assert (placement["status"], placement["amount"]) == ("eligible", 1244)
    assert placement["arithmetic"] == ["4人 × 311元 = 1244元"]
    assert placement["left_out"] == [
        "共5人，其中1人不计入补贴人数。通知要求被介绍人员与本市用人单位签订期限超过1年的劳动合同，并按规定缴纳社会保险费。"]
    assert group(r, "agency")["total"] == 1244
    en = item(rules.evaluate(AGENCY, DAY, "en"), "placement-subsidy")
    assert en["arithmetic"] == ["4 people × 311 yuan = 1,244 yuan"]
    assert en["left_out"][0].startswith("1 of the 5 people are not counted. The notice requires a labour contract")


def test_not_a_payment_says_what_it_is(rules) -> None:
    r = rules.evaluate({"role": "person", "employment_difficulties": True}, DAY, "en")
    assistance = item(r, "employment-assistance")
    assert (assistance["status"], assistance["amount"]) == ("eligible", None)
    assert assistance["amount_text"] == "Not a payment: Employment assistance"
    assert assistance["frequency_text"] == "The notice does not state how it is paid"
    # a public welfare job is never a right: at best "may be eligible", with the reason
    posts = item(r, "public-welfare-posts")
    assert (posts["status"], posts["amount_text"]) == ("may_be_eligible", "Not a payment: Placement in a public welfare job")
    assert "does not promise a job to everyone" in posts["self_check"][0]
    assert assistance["amount_text"] in measure(r, "employment-assistance")["reasons"]
    assert group(r, "individual")["total"] is None


def test_no_not_eligible_on_a_condition_the_notice_does_not_set(rules) -> None:
    """Measure 18 pays "eligible personnel": someone out of work but not registered as unemployed
    is not refused (only someone in work is: they are unemployment benefits). Measure 4 sets no
    contribution condition: an enterprise is never refused the rate cut."""
    person = rules.evaluate({"role": "person", "employment": "not_employed", "employment_difficulties": False}, DAY, "zh")
    benefits = item(person, "unemployment-insurance-benefits")
    assert benefits["status"] == "may_be_eligible" and benefits["reasons"] == [{"met": True, "text": "目前未就业"}]
    assert benefits["self_check"] == ["您属于通知所称“符合条件人员”（通知未载明具体条件）"]
    enterprise = rules.evaluate({"role": "enterprise"}, DAY, "zh")
    assert {item(enterprise, b)["status"] for b in ("job-stabilisation-refund", "reduced-insurance-rates")} \
        == {"may_be_eligible"}
    assert measure(enterprise, "job-stabilisation-support")["status"] == "may_be_eligible"


def test_within_two_years_of_leaving_school_is_counted_on_the_date(rules) -> None:
    """Left in November 2024: within 2 years on 26 November 2026, not on 1 December 2026."""
    answers = {"role": "person", "is_college_graduate": True, "left_school_month": "2024-11",
               "employment": "flexible", "employment_difficulties": False}
    on = {day: item(rules.evaluate(answers, day, "en"), "flexible-employment-social-insurance-subsidy")["status"]
          for day in ("2026-11-01", "2026-11-30", "2026-12-01")}
    assert on == {"2026-11-01": "may_be_eligible", "2026-11-30": "may_be_eligible", "2026-12-01": "not_eligible"}
    # in the graduation year, before leaving: within
    soon = {**answers, "left_school_month": "2026-12"}
    assert item(rules.evaluate(soon, DAY, "en"), "flexible-employment-social-insurance-subsidy")["status"] \
        == "may_be_eligible"
    # a month in a later year is neither in the graduation year nor after leaving
    later = {**answers, "left_school_month": "2027-06"}
    assert item(rules.evaluate(later, DAY, "en"), "flexible-employment-social-insurance-subsidy")["status"] \
        == "not_eligible"


def test_recipient_follows_the_role(rules) -> None:
    loan = {"guarantee_loan_amount": 800000}
    assert item(rules.evaluate({"role": "person", **loan}, DAY), "counter-guarantee-exemption")["recipient"] == "individual"
    assert item(rules.evaluate({"role": "individual_business", **loan}, DAY),
                "counter-guarantee-exemption")["recipient"] == "individual_business"


def test_flexible_employment_up_to_three_years(rules) -> None:
    answers = {"role": "person", "is_college_graduate": True, "left_school_month": "2025-07",
               "employment": "flexible", "employment_difficulties": False}
    subsidy = item(rules.evaluate(answers, DAY, "zh"), "flexible-employment-social-insurance-subsidy")
    assert (subsidy["status"], subsidy["duration_text"]) == ("may_be_eligible", "最长3年")
    assert subsidy["self_check"]  # the checklist is shown
    late = item(rules.evaluate({**answers, "left_school_month": "2023-07"}, DAY, "zh"),
                "flexible-employment-social-insurance-subsidy")
    assert measure(rules.evaluate(answers, DAY, "en"), "flexible-employment")["reasons"] == [
        "Social insurance subsidy for flexible employment: The notice does not state the amount, for up to 3 years"]
    assert late["status"] == "not_eligible"
    assert [r["met"] for r in late["reasons"]] == [True, False]
    assert late["duration_text"] is None and late["self_check"] == []


# -- statuses and reasons ------------------------------------------------------------------------

def test_medium_enterprise_reasons(rules) -> None:
    r = rules.evaluate({**SMALL_3, "enterprise_size": "medium"}, DAY, "zh")
    m = measure(r, "employment-entrepreneurship-subsidies")
    assert m["status"] == "not_eligible" and m["status_text"] == "不符合条件"
    assert "吸纳高校毕业生一次性奖励：不符合“为小型或微型企业”" in m["reasons"]
    award = item(r, "graduate-hiring-award")
    assert award["reasons"][0] == {"met": False, "text": "为小型或微型企业"}
    assert award["amount"] is None and award["amount_text"] is None
    assert all(i["status"] != "not_eligible" for g in r["groups"] for i in g["items"])


def test_junior_college_reason(rules) -> None:
    answers = {"role": "person", "is_college_graduate": True, "education": "junior_college",
               "full_time": True, "employment": "top_industrial"}
    r = rules.evaluate(answers, DAY, "en")
    assert "One-time job-seeking subsidy – condition not met: You hold a bachelor's degree or above" \
        in measure(r, "employment-entrepreneurship-subsidies")["reasons"]


def test_without_a_role_everything_asks_for_it(rules) -> None:
    r = rules.evaluate({}, DAY, "zh")
    for m in r["measures"]:
        if any(b.benefits for b in rules.measures if b.id == m["id"]):
            assert m["status"] == "needs_answers"
            assert m["missing"] == [{"question": "role", "label": "您以什么身份查询？"}]
            assert m["reasons"] == ["请补充回答：“您以什么身份查询？”"]
        else:
            assert m["status"] == "info_only" and m["status_text"] == "政策信息"
    assert r["groups"] == []


def test_measure_for_other_roles_names_who_it_is_for(rules) -> None:
    r = rules.evaluate({"role": "enterprise"}, DAY, "zh")
    m = measure(r, "job-placement-subsidy")
    assert (m["status"], m["reasons"], m["items"]) == ("not_eligible", ["本措施的补贴面向：人力资源服务机构。"], [])
    loans = measure(rules.evaluate({"role": "hr_agency"}, DAY, "en"), "business-loans")
    assert loans["reasons"] == [
        "The benefits of this measure are for: An enterprise; An individual industrial and commercial household; "
        "A college graduate or job-seeker."]
    # measure 9's loans for enterprises: an enterprise is not told it is not eligible (issue 34)
    enterprise = measure(rules.evaluate({"role": "enterprise", "enterprise_size": "large"}, DAY, "zh"), "business-loans")
    assert enterprise["status"] == "may_be_eligible"


def test_needs_answers_names_the_questions_in_order(rules) -> None:
    r = rules.evaluate({"role": "person", "employment": "flexible"}, DAY, "zh")
    subsidy = item(r, "flexible-employment-social-insurance-subsidy")
    assert subsidy["status"] == "needs_answers"
    assert [m["question"] for m in subsidy["missing"]] == [
        "is_college_graduate", "left_school_month", "employment_difficulties"]
    m = measure(r, "flexible-employment")
    assert m["missing"] == subsidy["missing"]
    assert m["reasons"] == ["请补充回答：“您是否为高校毕业生？”、“您何时离校（年月）？”、“您是否属于就业困难人员？”"]


def test_may_be_eligible_shows_the_checklist(rules) -> None:
    r = rules.evaluate({"role": "individual_business"}, DAY, "zh")
    subsidies = item(r, "entrepreneurship-subsidies")
    assert subsidies["status"] == "may_be_eligible" and subsidies["status_text"] == "可能符合条件"
    assert subsidies["self_check"] == ["符合按规定发放创业补贴的条件（通知未载明具体条件）"]


def test_item_shape(rules) -> None:
    award = item(rules.evaluate(SMALL_3, DAY, "zh"), "graduate-hiring-award")
    assert list(award) == [
        "measure_id", "measure_number", "measure_label", "measure_title", "benefit_id", "name", "recipient", "recipient_title",
        "status", "status_text", "amount", "amount_text", "arithmetic", "duration_text", "frequency_text",
        "reasons", "self_check", "missing", "left_out", "how_to_apply", "url"]
    assert award["url"] == "/measures/employment-entrepreneurship-subsidies/"
    assert award["measure_label"] == "稳就业十八条措施 · 第五条"
    assert item(rules.evaluate(SMALL_3, DAY, "en"), "graduate-hiring-award")["measure_label"] == \
        "Eighteen employment measures · Measure 5"
    assert item(rules.evaluate(SMALL_3, DAY, "en"), "graduate-hiring-award")["url"] == \
        "/en/measures/employment-entrepreneurship-subsidies/"


# -- dates ---------------------------------------------------------------------------------------

def test_new_amount_from_a_date_keeps_the_old_amount_before_it(bundle) -> None:
    award = figure(bundle, "employment-entrepreneurship-subsidies", "hiring_award")
    award["values"][0]["until"] = "2027-06-30"
    award["values"].append({**award["values"][0], "value": 2500, "from": "2027-07-01", "until": None})
    rules = load_rules(bundle)
    before = item(rules.evaluate(SMALL_3, "2027-06-30", "zh"), "graduate-hiring-award")
    after = item(rules.evaluate(SMALL_3, "2027-07-01", "zh"), "graduate-hiring-award")
    assert (before["amount"], before["arithmetic"]) == (6333, ["3名 × 2111元 = 6333元"])
    assert (after["amount"], after["arithmetic"]) == (7500, ["3名 × 2500元 = 7500元"])
    # the graduates' own subsidy is another figure and did not change
    assert item(rules.evaluate(SMALL_3, "2027-07-01", "zh"), "graduate-employment-subsidy")["amount"] == 2111


def test_figure_with_no_value_in_force_is_not_in_force(bundle) -> None:
    figure(bundle, "employment-entrepreneurship-subsidies", "hiring_award")["values"][0]["from"] = "2027-01-01"
    limit = figure(bundle, "business-loans", "loan_limit")
    limit["values"][0]["until"] = "2026-12-31"
    rules = load_rules(bundle)
    r = rules.evaluate(SMALL_3, "2026-12-31", "zh")
    award = item(r, "graduate-hiring-award")
    assert (award["status"], award["amount"], award["status_text"]) == ("not_in_force", None, "所选日期不在执行期内")
    assert award["reasons"] == [{"met": False, "text": "吸纳高校毕业生一次性奖励：2026年12月31日没有执行中的补贴标准"}]
    assert item(r, "hiring-social-insurance-subsidy")["status"] == "may_be_eligible"  # other figures still apply
    assert group(r, "enterprise")["total"] is None
    assert item(rules.evaluate(SMALL_3, "2027-01-01", "zh"), "graduate-hiring-award")["amount"] == 6333
    # a limit used in a condition counts too
    loan = {"role": "person", "guarantee_loan_amount": 800000}
    assert item(rules.evaluate(loan, "2027-01-01", "en"), "counter-guarantee-exemption")["status"] == "not_in_force"
    assert measure(rules.evaluate(loan, "2027-01-01", "en"), "business-loans")["status"] == "not_in_force"


def test_notice_out_of_force(bundle) -> None:
    bundle["notices"][0]["in_force"] = {"from": "2027-01-01", "until": "2027-12-31"}
    rules = load_rules(bundle)
    before = rules.evaluate(SMALL_3, "2026-12-31", "zh")
    assert {m["status"] for m in before["measures"]} == {"not_in_force"}
    assert measure(before, "return-to-work")["reasons"] == ["稳就业十八条措施2026年12月31日不在执行期内。"]
    assert all(i["status"] == "not_in_force" and i["amount"] is None for g in before["groups"] for i in g["items"])
    assert item(rules.evaluate(SMALL_3, "2027-01-01", "zh"), "graduate-hiring-award")["amount"] == 6333
    assert item(rules.evaluate(SMALL_3, "2027-12-31", "zh"), "graduate-hiring-award")["amount"] == 6333
    assert measure(rules.evaluate(SMALL_3, "2028-01-01", "zh"), "return-to-work")["status"] == "not_in_force"


def test_default_day_is_today(rules) -> None:
    r = rules.evaluate(SMALL_3)
    assert r["date"] == dt.date.today().isoformat() and r["lang"] == "zh"
    assert rules.evaluate(SMALL_3, dt.date(2026, 11, 26))["date"] == DAY


@pytest.mark.parametrize("on", ["2026-02-30", "20261126", "2026-W48-4", "26/11/2026", "", 20261126, [], {}])
def test_bad_day_is_reported_and_today_used(rules, on: Any) -> None:
    r = rules.evaluate(SMALL_3, on, "en")
    assert [e["code"] for e in r["errors"]] == ["invalid_date"]
    assert r["errors"][0]["message"] == "The date must be written YYYY-MM-DD; today's date was used."
    assert r["date"] == dt.date.today().isoformat()


@pytest.mark.parametrize("lang", ["fr", "", 1, None, ["en"]])
def test_bad_language_falls_back_to_chinese(rules, lang: Any) -> None:
    r = rules.evaluate(SMALL_3, DAY, lang)
    assert r["lang"] == "zh"
    assert [e["code"] for e in r["errors"]] == ([] if lang is None else ["invalid_lang"])


# -- answers -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("answers", "question", "code", "message"), [
    ({"role": "boss"}, "role", "unknown_option",
     "“Who is asking?”: please choose one of: An enterprise; An individual industrial and commercial household; "
     "A college graduate or job-seeker; A human-resources service agency."),
    ({"role": "enterprise", "graduates_hired": -1}, "graduates_hired", "out_of_range",
     "“How many college graduates in their graduation year or job-selection period did you hire?”: "
     "please enter a whole number from 0 to 100,000."),
    ({"role": "enterprise", "graduates_hired": "3"}, "graduates_hired", "wrong_type", None),
    ({"role": "enterprise", "graduates_hired": 2.5}, "graduates_hired", "wrong_type", None),
    ({"role": "enterprise", "graduates_hired": True}, "graduates_hired", "wrong_type", None),
    ({"role": "enterprise", "graduates_hired": 10 ** 30}, "graduates_hired", "out_of_range", None),
    ({"role": "enterprise", "graduates_hired": float("nan")}, "graduates_hired", "wrong_type", None),
    ({"role": "enterprise", "offers_internships": "yes"}, "offers_internships", "wrong_type",
     "“Does the enterprise offer employment internship positions and take on trainees?”: please answer yes or no."),
    ({"role": "person", "is_college_graduate": True, "left_school_month": "2025-7"}, "left_school_month", "wrong_type",
     "“In which month did you leave school?”: please give a month as YYYY-MM, for example 2025-07."),
    ({"role": "person", "is_college_graduate": True, "left_school_month": 202507}, "left_school_month", "wrong_type",
     None),
    ({"role": "person", "guarantee_loan_amount": 1e30}, "guarantee_loan_amount", "out_of_range",
     "“Personal business guarantee loan you plan to apply for”: please enter an amount in whole yuan "
     "from 0 to 100,000,000."),
    ({"role": "hr_agency", "placements_free": 2, "placements_qualifying": 3}, "placements_qualifying", "above_other",
     "“Of these, how many signed a labour contract of more than 1 year with an employer in this city, with social "
     "insurance paid according to regulations?”: cannot be more than your answer to “How many unemployed college "
     "graduates who have left school, or registered unemployed people, did you place in jobs free of charge?” (2)."),
    ({"role": "enterprise", "colour": "blue"}, "colour", "unknown_question",
     "There is no question “colour”; this answer was not used."),
])
def test_invalid_answers_are_named_and_not_used(rules, answers, question, code, message) -> None:
    r = rules.evaluate(answers, DAY, "en")
    errors = [e for e in r["errors"] if e["question"] == question]
    assert len(errors) == 1 and errors[0]["code"] == code
    if message:
        assert errors[0]["message"] == message
    if code != "unknown_question":
        assert errors[0]["label"] and errors[0]["label"] in errors[0]["message"]
        # an invalid answer counts as unanswered: if the question matters it is asked again
        asked = {q["question"] for m in r["measures"] for q in m["missing"]}
        asked |= {q["question"] for m in r["measures"] for i in m["items"] for q in i["missing"]}
        assert question in asked


def test_error_messages_in_chinese(rules) -> None:
    r = rules.evaluate({"role": "enterprise", "graduates_hired": 100001}, DAY, "zh")
    assert r["errors"][0]["message"] == \
        "“招用了多少名毕业年度或择业期内的高校毕业生？”：请输入0至100000之间的整数。"


def test_whole_numbers_written_as_floats_are_accepted(rules) -> None:
    assert item(rules.evaluate({**SMALL_3, "graduates_hired": 3.0}, DAY), "graduate-hiring-award")["amount"] == 6333


def test_null_means_not_answered(rules) -> None:
    r = rules.evaluate({"role": "enterprise", "enterprise_size": None, "graduates_hired": None}, DAY)
    assert r["errors"] == [] and item(r, "graduate-hiring-award")["status"] == "needs_answers"


def test_hidden_questions_are_ignored(rules) -> None:
    # an enterprise is never asked about education or a loan: those answers change nothing
    extra = {"education": "bachelor", "guarantee_loan_amount": "lots", "agency_qualified": 7}
    plain = rules.evaluate(SMALL_3, DAY)
    assert rules.evaluate({**SMALL_3, **extra}, DAY) == plain
    # education is asked only of a person who is a graduate
    r = rules.evaluate({"role": "person", "is_college_graduate": False, "education": 5}, DAY)
    assert r["errors"] == []


@pytest.mark.parametrize("answers", [[], "role=enterprise", 3, True, [["role", "enterprise"]]])
def test_answers_that_are_not_an_object(rules, answers: Any) -> None:
    r = rules.evaluate(answers, DAY, "en")
    assert [e["code"] for e in r["errors"]] == ["not_an_object"]
    assert r["errors"][0]["message"] == "The answers must be an object keyed by question id."
    assert {m["status"] for m in r["measures"]} == {"needs_answers", "info_only"}


def test_evaluate_accepts_a_bundle_dict(_bundle) -> None:
    assert item(evaluate(_bundle, SMALL_3, DAY, "zh"), "graduate-hiring-award")["amount"] == 6333


def test_result_is_plain_json(rules) -> None:
    r = rules.evaluate({**AGENCY, "x": 1}, DAY, "zh")
    assert json.loads(json.dumps(r, allow_nan=False)) == r


def test_result_does_not_share_state_between_calls(rules) -> None:
    first = rules.evaluate({"role": "individual_business"}, DAY, "zh")
    item(first, "entrepreneurship-subsidies")["self_check"].append("changed")
    second = rules.evaluate({"role": "individual_business"}, DAY, "zh")
    assert "changed" not in item(second, "entrepreneurship-subsidies")["self_check"]


# -- the bundle ----------------------------------------------------------------------------------

def test_missing_result_text_is_named(bundle) -> None:
    del bundle["texts"]["results"]["amount"]["per"]
    with pytest.raises(RulesError, match=r"amount\.per"):
        load_rules(bundle)


@pytest.mark.parametrize(("change", "message"), [
    (lambda b: b["measures"][4]["benefits"][3]["conditions"][0].update(rule={"question": "shoe_size", "min": 1}),
     "no question 'shoe_size'"),
    (lambda b: b["measures"][4]["benefits"][3].update(amount={"figure": "nothing", "per": "graduates_hired"}),
     "not a figure of this measure"),
    (lambda b: b["measures"][4]["benefits"][3]["conditions"][0].update(rule={"condition": "hired-graduates"})
     or b["measures"][4]["benefits"][3]["conditions"][1].update(rule={"condition": "small-or-micro"}),
     "in a circle"),
    (lambda b: b["measures"][4]["benefits"][3].update(roles=["martian"]), "roles"),
    (lambda b: b["measures"][4]["benefits"][3].update(recipient="nobody"), "recipient"),
    (lambda b: b["questions"].pop(0), "'role'"),
])
def test_broken_bundle_is_refused_at_load(bundle, change, message) -> None:
    assert bundle["measures"][4]["id"] == "employment-entrepreneurship-subsidies"
    change(bundle)
    with pytest.raises(RulesError, match=message):
        load_rules(bundle)


def test_results_texts_are_exactly_what_the_engine_uses(_bundle) -> None:
    from subsidy_calculator.texts import REQUIRED, FIELD, flatten

    flat = flatten(_bundle["texts"]["results"])
    assert sorted(flat) == sorted(REQUIRED)
    for key, text in flat.items():
        assert text["zh"].strip() and text["en"].strip(), key
        assert set(FIELD.findall(text["zh"])) == set(FIELD.findall(text["en"])), key


def test_loading_twice_gives_the_same_results(_bundle) -> None:
    a, b = load_rules(copy.deepcopy(_bundle)), load_rules(copy.deepcopy(_bundle))
    assert a.evaluate(AGENCY, DAY, "en") == b.evaluate(AGENCY, DAY, "en")


def test_amounts_are_whole_yuan_rounded_half_up(bundle) -> None:
    figure(bundle, "employment-entrepreneurship-subsidies", "hiring_award")["values"][0]["value"] = 311.5
    rules = load_rules(bundle)
    award = item(rules.evaluate(SMALL_3, DAY, "zh"), "graduate-hiring-award")
    assert (award["amount"], award["amount_text"]) == (935, "935元")
    assert award["arithmetic"] == ["3名 × 311.5元 = 935元"]  # the rate as published, the product rounded
    assert item(rules.evaluate({**SMALL_3, "graduates_hired": 2}, DAY), "graduate-hiring-award")["amount"] == 623
