"""The real policy/ folder: it validates clean, its figures are quoted from the notice, it loads
into JSON-able data, and the checks are fast enough to run on every build."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policy_fixtures import POLICY, ROOT
from scripts.policy import PolicyError, load_policy, read_policy, validate
from scripts.bundle.rules_bundle import build_bundle, canonical_json
from scripts.policy.checks.measures import published_numbers


def test_real_policy_is_clean() -> None:
    problems = validate(POLICY)
    assert problems == [], "\n".join(p.format() for p in problems)


def test_all_measures_are_there() -> None:
    numbers = [m["number"] for m in load_policy(POLICY)["measures"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == 18


def _figure_values():
    for measure in read_policy(POLICY).measures:
        data = measure.data
        quotes = [data["source"]["as_published"]] + [e["quote"] for e in data.get("change_log", []) if "quote" in e]
        for name, figure in data.get("figures", {}).items():
            for i, entry in enumerate(figure["values"]):
                yield pytest.param(entry, quotes, id=f"{data['id']}.{name}[{i}]")


@pytest.mark.parametrize(("entry", "quotes"), list(_figure_values()))
def test_figure_is_quoted_from_the_notice(entry: dict, quotes: list[str]) -> None:
    """Every structured figure appears word for word in its source paragraph, and its value is
    the number the notice publishes."""
    assert any(entry["as_published"] in quote for quote in quotes)
    assert entry["value"] in published_numbers(entry["as_published"])


@pytest.mark.parametrize(("text", "numbers"), [
    ("1,111 yuan", [1111]),
    ("2,111 yuan/person for the enterprise", [2111]),
    ("up to 1.2 months", [1.2]),
    ("RMB 1 million or less", [1_000_000]),
    ("more than 1 years", [1]),
    ("the standard is one-time 311 yuan/person", [311]),
    ("up to three years", [3]),
    ("RMB 1.5 million", [1_500_000]),
    ("10 thousand yuan", [10_000]),
])
def test_published_numbers(text: str, numbers: list[float]) -> None:
    assert published_numbers(text) == numbers


def test_loaded_policy_is_plain_json() -> None:
    policy = load_policy(POLICY)
    assert set(policy) == {"library", "notices", "questions", "lists", "measures", "texts"}
    assert json.loads(json.dumps(policy, ensure_ascii=False)) == policy  # dates are ISO strings
    dates = [e["date"] for m in policy["measures"] for e in m.get("change_log", [])]
    assert dates and all(isinstance(d, str) and len(d) == 10 for d in dates)
    assert {"results"} <= set(policy["texts"])


def test_bundle_is_versioned_by_content() -> None:
    policy = load_policy(POLICY)
    bundle = build_bundle(policy)
    assert set(bundle) == {"version", "notices", "recipients", "questions", "lists", "measures", "texts"}
    assert set(bundle["texts"]) == {"results", "lists"}
    assert len(bundle["version"]) == 12 and int(bundle["version"], 16) >= 0
    assert build_bundle(load_policy(POLICY))["version"] == bundle["version"]
    policy["measures"][0]["title"]["en"] += "!"
    assert build_bundle(policy)["version"] != bundle["version"]


def test_bundle_command_writes_compact_sorted_utf8(tmp_path: Path) -> None:
    out = tmp_path / "rules.json"
    done = subprocess.run([sys.executable, "-m", "scripts.bundle.rules_bundle", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "吸纳" in text  # not \u escapes
    assert text == canonical_json(json.loads(text))


def test_load_policy_refuses_an_invalid_policy(policy_copy: Path) -> None:
    measure = policy_copy / "notices" / "eighteen-measures" / "measures" / "05-employment-entrepreneurship-subsidies.yaml"
    measure.write_text(measure.read_text(encoding="utf-8").replace("value: 2111", 'value: "2,111"', 1),
                       encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(policy_copy)
    assert [p.path for p in caught.value.problems] == ["figures.hiring_award.values[0].value"]
    assert "policy/notices/eighteen-measures/measures/05-employment-entrepreneurship-subsidies.yaml:" in str(caught.value)


def test_command_line_reports_every_problem(policy_copy: Path) -> None:
    measure = policy_copy / "notices" / "eighteen-measures" / "measures" / "05-employment-entrepreneurship-subsidies.yaml"
    text = measure.read_text(encoding="utf-8")
    text = text.replace("amount: {figure: hiring_award,", "amount: {figure: hiring_awrd,", 1)
    text = text.replace("part: reduce-burdens", "part: reduce-burden", 1)
    measure.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    part = next(i for i, line in enumerate(lines) if line.startswith("part:"))
    award = next(i for i, line in enumerate(lines) if "hiring_awrd" in line)
    col = lines[award].index("hiring_awrd") + 1
    done = subprocess.run([sys.executable, "-m", "scripts.policy.cli", str(policy_copy)], cwd=policy_copy.parent,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "POLICY_LANG": "en"},
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    out = done.stdout.splitlines()
    assert len(out) == 4  # each problem in English with its place, then in Chinese below it
    assert out[0].startswith(f"policy/notices/eighteen-measures/measures/05-employment-entrepreneurship-subsidies.yaml:{part + 1}:7: part: "
                             "unknown part 'reduce-burden' — hint: parts in notices/eighteen-measures/notice.yaml: did you mean 'reduce-burdens'?")
    assert out[1].startswith("    方面“reduce-burden”不存在——提示：notices/eighteen-measures/notice.yaml 中的方面：是否应为“reduce-burdens”？")
    assert out[2].startswith(f"policy/notices/eighteen-measures/measures/05-employment-entrepreneurship-subsidies.yaml:{award + 1}:{col}: "
                             "benefits[3].amount.figure: unknown figure 'hiring_awrd' — hint: figures of this "
                             "measure: did you mean 'hiring_award'?")
    assert out[3].startswith("    金额“hiring_awrd”不存在——提示：本措施的金额：是否应为“hiring_award”？")
    assert "2 problem(s) in 1 file(s)" in done.stderr


def test_command_line_success_is_one_line() -> None:
    done = subprocess.run([sys.executable, "-m", "scripts.policy.cli"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, env={**os.environ, "POLICY_LANG": "en"})
    assert done.returncode == 0, done.stdout
    assert done.stdout.count("\n") == 1 and done.stdout.startswith("policy OK: 18 measures")


def test_markup_in_a_text_is_kept_as_text(policy_copy: Path) -> None:
    """Escaping is the site's job; the policy keeps exactly what staff wrote."""
    measure = policy_copy / "notices" / "eighteen-measures" / "measures" / "05-employment-entrepreneurship-subsidies.yaml"
    markup = "<script>alert(1)</script> <img src=x onerror=alert(1)>"
    text = measure.read_text(encoding="utf-8").replace(
        "en: Employment and entrepreneurship subsidies", f'en: "{markup}"', 1)
    measure.write_text(text, encoding="utf-8")
    policy = load_policy(policy_copy)
    assert policy["measures"][4]["title"]["en"] == markup


def test_windows_file_loads_like_the_original(policy_copy: Path) -> None:
    measure = policy_copy / "notices" / "eighteen-measures" / "measures" / "05-employment-entrepreneurship-subsidies.yaml"
    before = load_policy(policy_copy)
    measure.write_bytes(b"\xef\xbb\xbf" + measure.read_bytes().replace(b"\n", b"\r\n"))
    assert load_policy(policy_copy) == before
