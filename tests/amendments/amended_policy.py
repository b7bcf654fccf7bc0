"""A copy of the real policy with the amendments the staff guide walks through, as a later
(hypothetical) supplementary notice would make them. The real notice has none, so the tests
write them into a copy:

- measure 5: the job-seeking subsidy rises from 1,111 to 1,500 yuan from 2027-01-01 (a new
  amount from a date); from the same day it is also open to junior-college graduates (a
  condition changed from a date); the enterprise's social insurance subsidy for hiring
  graduates ends on 2026-12-31 (a single benefit ending);
- measure 8 ends on 2026-12-31 (a measure ending);
- measure 7 gets a contact, "service hall, tel. 12333" (a contact added);
- all of it from supplementary notice `2026-supplement-1`: a notice of the library with its own
  folder and text, and no measures of its own.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SUPPLEMENT_ID = "2026-supplement-1"
SUPPLEMENT_DATE = "2026-12-15"
SUPPLEMENT_TEXT = """\
Supplementary Notice on Adjusting Some of the Eighteen Measures to Stabilise Employment (No. 1 [2026])

1. From January 1, 2027, the one-time job-seeking subsidy for full-time college graduates is adjusted to 1,500 yuan.
2. From January 1, 2027, full-time college graduates with a junior college degree or above who take a job with a top industrial enterprise may also apply for the one-time job-seeking subsidy.
3. The social insurance subsidy for small and micro enterprises that hire college graduates ends on December 31, 2026.
4. Measure 8 (support for flexible employment of workers) ends on December 31, 2026.
5. Enquiries about the job placement subsidy: service hall, tel. 12333.
"""
QUOTES = [line[3:] for line in SUPPLEMENT_TEXT.splitlines() if line[:1].isdigit()]


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def _log(measure: dict, text_zh: str, text_en: str, quote: str) -> None:
    measure.setdefault("change_log", []).append({
        "date": SUPPLEMENT_DATE, "notice": SUPPLEMENT_ID, "quote": quote, "text": {"zh": text_zh, "en": text_en}})


def write(parent: Path) -> Path:
    """parent/policy: the amended copy (schemas are read from the repository)."""
    target = parent / "policy"
    shutil.copytree(ROOT / "policy", target, ignore=shutil.ignore_patterns("schema"))
    folder = target / "notices" / SUPPLEMENT_ID
    folder.mkdir()
    (folder / "text.en.txt").write_text(SUPPLEMENT_TEXT, encoding="utf-8")
    _dump(folder / "notice.yaml", {
        "title": {"zh": "关于调整稳就业十八条措施部分内容的补充通知",
                  "en": "Supplementary Notice on Adjusting Some of the Eighteen Measures to Stabilise Employment"},
        "short_title": {"zh": "2026年第1号补充通知", "en": "Supplementary notice No. 1 of 2026"},
        "document_number": "No. 1 [2026]",
        "issuer": None,
        "published": SUPPLEMENT_DATE,
        "summary": {"zh": "调整一次性求职补贴标准和条件，终止部分补贴和第八条措施，公布咨询电话。",
                    "en": "Adjusts the job-seeking subsidy, ends some benefits and measure 8, and gives an enquiry line."},
        "in_force": {"from": None, "until": None},
        "topics": ["subsidies"],
        "text_file": "text.en.txt",
        "acts_on": [],
        "parts": [],
    })
    measures = target / "notices" / "eighteen-measures" / "measures"

    path5 = next(measures.glob("05-*.yaml"))
    m5 = _load(path5)
    values = m5["figures"]["job_seeking_subsidy"]["values"]
    values[0]["until"] = "2026-12-31"
    values.append({"value": 1500, "as_published": "1,500 yuan", "from": "2027-01-01", "until": None,
                   "notice": SUPPLEMENT_ID,
                   "reference": {"zh": "2026年第1号补充通知第一条", "en": "Supplementary notice No. 1 of 2026, point 1"}})
    seeking = next(b for b in m5["benefits"] if b["id"] == "job-seeking-subsidy")
    old = next(c for c in seeking["conditions"] if c["id"] == "bachelor-or-above")
    old["in_force"] = {"from": None, "until": "2026-12-31"}
    seeking["conditions"].insert(seeking["conditions"].index(old) + 1, {
        "id": "junior-college-or-above",
        "rule": {"question": "education", "in": ["junior_college", "bachelor", "master", "doctorate"]},
        "text": {"zh": "具有大专及以上学历", "en": "You hold a junior college degree or above"},
        "rests_on": "with a junior college degree or above",  # the supplement's words (its change-log quote)
        "in_force": {"from": "2027-01-01", "until": None}})
    social = next(b for b in m5["benefits"] if b["id"] == "hiring-social-insurance-subsidy")
    social["in_force"] = {"from": None, "until": "2026-12-31"}
    _log(m5, "自2027年1月1日起，一次性求职补贴调整为1500元。", "From 1 January 2027 the one-time job-seeking subsidy is 1,500 yuan.",
         QUOTES[0])
    _log(m5, "自2027年1月1日起，大专及以上学历的全日制高校毕业生也可申请一次性求职补贴。",
         "From 1 January 2027 full-time graduates with a junior college degree or above can also apply for the job-seeking subsidy.",
         QUOTES[1])
    _log(m5, "吸纳高校毕业生社会保险补贴于2026年12月31日终止。",
         "The social insurance subsidy for hiring college graduates ends on 31 December 2026.", QUOTES[2])
    _dump(path5, m5)

    path8 = next(measures.glob("08-*.yaml"))
    m8 = _load(path8)
    m8 = {**{k: v for k, v in m8.items() if k in ("id", "number", "published_number", "part", "title", "summary",
                                                 "audiences")},
          "in_force": {"from": None, "until": "2026-12-31"},
          **{k: v for k, v in m8.items() if k not in ("id", "number", "published_number", "part", "title", "summary",
                                                     "audiences")}}
    _log(m8, "本措施于2026年12月31日终止。", "This measure ends on 31 December 2026.", QUOTES[3])
    _dump(path8, m8)

    path7 = next(measures.glob("07-*.yaml"))
    m7 = _load(path7)
    m7["contacts"] = [{"name": {"zh": "人力资源社会保障服务大厅", "en": "Service hall"}, "phone": "12333"}]
    _log(m7, "新增咨询电话：服务大厅 12333。", "Added the enquiry line: service hall, tel. 12333.", QUOTES[4])
    _dump(path7, m7)
    return target
