"""The engine keeps each measure's assessment for the answers it reads (engine._View.assess) and
its JSON text (Rules.evaluate_json). Kept or not, a visitor must get the same answer: these
tests compare an engine that has answered many other visitors with a fresh one, and check that
a measure reads no answer outside `Measure.reads` (else a kept assessment could be stale)."""
from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_bundle import build_test_bundle
from subsidy_calculator import load_rules
from subsidy_calculator.answers import check_answers
from subsidy_calculator.engine import ROLE, browser_shape
from test_property import DAY, FUZZ, QUESTIONS, _valid

BUNDLE = build_test_bundle()
WARM = load_rules(BUNDLE)   # answers every example of this module, one after another

answer_sets = st.fixed_dictionaries({}, optional={q["id"]: _valid(q) for q in QUESTIONS})


class Recording(dict):
    """Answers that note every question read."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.read: set[str] = set()

    def get(self, key: Any, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: Any) -> bool:
        self.read.add(key)
        return super().__contains__(key)


# a third of the module's examples: each example starts fresh engines for up to four visits, with
# and without what-if (`make fuzz` runs many more)
@settings(FUZZ, max_examples=max(50, FUZZ.max_examples // 3))
@given(visits=st.lists(answer_sets, min_size=1, max_size=4), lang=st.sampled_from(["zh", "en"]),
       what_if=st.booleans(), cards=st.one_of(st.none(), st.dictionaries(
           st.sampled_from(["enterprise", "graduate", "individual"]), st.integers(0, 4))),
       skipped=st.lists(st.sampled_from([q["id"] for q in QUESTIONS]), max_size=3), has_table=st.booleans())
def test_kept_assessments_give_what_a_fresh_engine_gives(visits: list[dict], lang: str, what_if: bool,
                                                         cards: Any, skipped: list[str], has_table: bool) -> None:
    fresh = load_rules(copy.deepcopy(BUNDLE))
    for answers in visits:
        expected = fresh.evaluate(answers, DAY, lang, what_if=what_if)
        assert WARM.evaluate(answers, DAY, lang, what_if=what_if) == expected
        # the page's shape, written from the kept JSON, is the fresh result's shape
        table = f"{BUNDLE['version']}/{lang}/{DAY}" if has_table else None
        assert json.loads(WARM.evaluate_json(answers, DAY, lang, cards=cards, skipped=skipped, table=table)) == \
            json.loads(json.dumps(browser_shape(fresh, fresh.evaluate(answers, DAY, lang), cards, skipped, table)))
        # and what the page asks for, with what would change the answer
        assert WARM.evaluate_page(answers, DAY, lang, cards=cards, skipped=skipped, table=table) == \
            browser_shape(fresh, fresh.evaluate(answers, DAY, lang, what_if=True), cards, skipped, table)
        fresh = load_rules(copy.deepcopy(BUNDLE))  # nothing kept from the visit before


def test_a_result_changed_by_its_reader_leaves_the_kept_one_alone() -> None:
    answers = {"role": "enterprise", "enterprise_size": "small", "graduates_hired": 3}
    first = WARM.evaluate(answers, DAY, "zh")
    for group in first["groups"]:
        for item in group["items"]:
            item["amount_text"] = "changed"
            item["reasons"].clear()
    assert "changed" not in WARM.evaluate_json(answers, DAY, "zh")
    assert "changed" not in json.dumps(WARM.evaluate(answers, DAY, "zh", what_if=True), ensure_ascii=False)


@FUZZ
@given(answers=answer_sets)
def test_a_measure_reads_only_the_answers_it_declares(answers: dict) -> None:
    rules = WARM
    view = rules.view(DAY, "zh")
    clean, _ = check_answers(rules.questions, answers, view)
    for mv in view.measures:
        recording = Recording(clean)
        rules.measure(mv, view, recording, clean.get(ROLE))
        assert recording.read <= set(mv.measure.reads), (mv.measure.id, recording.read - set(mv.measure.reads))
