"""Write a synthetic policy library with N measures, to build and measure the site at scale.

    python -m scripts.dev.synthetic_policy OUT_DIR [--count 1500] [--notices 100] [--hostile]

The library holds the real notice (its 18 measures as they are) and further notices of about 15
measures each (by default one notice per 15 measures), as a bureau would have after some years.
Their measures are copies of the real ones, each made a little different so pages are not
identical: a variant number in the title and a change-log entry on its own date; every third copy
of a measure with an amount gets a second dated value (a raised amount from 2123-02-01, from an
imagined supplementary notice, as staff would do it), and every tenth notice repeals measure 1 of
the notice before it from 2124-01-01. Each notice's text is its measures' paragraphs and its own
sentences, so every quote is checked as for real notices.
`--hostile` puts HTML and Markdown in the first measure's texts, to prove they show as text.
The result passes `python -m scripts.policy.cli OUT_DIR`.
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policy"
REAL_NOTICE = "eighteen-measures"
HOSTILE = '</title><script>alert("x")</script> *not bold* [not a link](https://example.org) & 1. # <b>'
SUPPLEMENT = "synthetic-supplement"
SUPPLEMENT_DATE = "2123-01-15"
PER_NOTICE = 15


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data: Any, schema: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# yaml-language-server: $schema={schema}\n"
                    + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def _raise_amount(measure: dict, number: int) -> str | None:
    """End the first money figure's open value on 2123-01-31 and add a raised one after it."""
    for figure in (measure.get("figures") or {}).values():
        last = figure["values"][-1]
        if figure["unit"] != "yuan" or last.get("from") or last.get("until"):
            continue
        new_value = round(last["value"] * 1.1)
        published = f"{new_value:,} yuan per person"
        last["until"] = "2123-01-31"
        figure["values"].append({"value": new_value, "as_published": published, "from": "2123-02-01",
                                 "until": None, "notice": SUPPLEMENT})
        quote = f"From 1 February 2123 the standard of {measure['id']} is raised to {published}."
        measure.setdefault("change_log", []).append({
            "date": SUPPLEMENT_DATE,
            "text": {"zh": f"自2123年2月1日起，金额提高到{new_value}元。",
                     "en": f"From 1 February 2123 the amount rises to {new_value:,} yuan."},
            "notice": SUPPLEMENT,
            "quote": quote,
        })
        return quote
    return None


def variant(real: dict, number: int, copy_no: int, hostile: bool = False, serial: int | None = None) -> dict:
    """Copy `copy_no` of a real measure as measure `number` of its notice. The first copy keeps the
    real id (questions.yaml quotes figures as [[measure-id.figure]]); `serial` makes the others'
    ids unique in the library."""
    serial = number if serial is None else serial
    measure = copy.deepcopy(real)
    measure["id"] = real["id"] if copy_no == 0 else f"{real['id']}-{serial}"
    measure["number"] = number
    # the serial zero-padded: a serial that equals one of the measure's amounts (2111) would read
    # as that amount typed as a number, which the validator refuses
    measure["title"] = {"zh": f"{real['title']['zh']}（示例 {serial:05d}）",
                        "en": f"{real['title']['en']} (sample {serial:05d})"}
    day = (dt.date(2026, 11, 26) - dt.timedelta(days=serial % 400)).isoformat()
    measure["change_log"] = [{"date": day, "text": {"zh": f"示例措施 {serial}：根据通知原文生成。",
                                                     "en": f"Sample measure {serial}: made from the notice."}}]
    if copy_no % 3 == 2:
        _raise_amount(measure, serial)  # its quote goes into the supplementary notice (write)
    if hostile:
        for key in ("title", "summary"):
            measure[key] = {lang: f"{text} {HOSTILE}" for lang, text in measure[key].items()}
    return measure


def _notice_yaml(ident: str, k: int, real: dict, parts: list[dict], acts: list[dict], published: str) -> dict:
    return {
        "title": {"zh": f"关于促进就业的示例通知（第{k}号）", "en": f"Sample notice No. {k} on employment"},
        "short_title": {"zh": f"示例通知{k}", "en": f"Sample notice {k}"},
        "document_number": f"No. {k} [2123]",
        "issuer": None,
        "published": published,
        "summary": real["summary"],
        "in_force": {"from": None, "until": None},
        "topics": list(real["topics"]),
        "text_file": "text.en.txt",
        "acts_on": acts,
        "parts": parts,
    }


def write(out: Path, count: int = 1500, hostile: bool = False, notices: int | None = None) -> Path:
    """Write the synthetic policy folder `out` (replacing it) and return it."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in ("questions.yaml", "library.yaml"):
        shutil.copy2(POLICY / name, out / name)
    for name in ("texts", "schema"):
        shutil.copytree(POLICY / name, out / name)
    real_folder = POLICY / "notices" / REAL_NOTICE
    real_notice = _read(real_folder / "notice.yaml")
    reals = sorted((_read(p) for p in (real_folder / "measures").glob("*.yaml")), key=lambda m: m["number"])
    real_parts = {p["id"]: p for p in real_notice["parts"]}
    rest = max(0, count - len(reals))
    groups = notices - 1 if notices else -(-rest // PER_NOTICE)
    sizes = [rest // groups + (1 if i < rest % groups else 0) for i in range(groups)] if groups and rest else []

    quotes: list[str] = []
    shutil.copytree(real_folder, out / "notices" / REAL_NOTICE)
    first = out / "notices" / REAL_NOTICE / "measures"
    for path in sorted(first.glob("*.yaml")):
        measure = _read(path)
        number = measure["number"]
        if number > count:
            path.unlink()
            continue
        measure = variant(measure, number, 0, hostile and number == 1)
        _dump(path, measure, "../../../schema/measure.schema.json")

    serial = len(reals)
    previous: str | None = None
    for k, size in enumerate(sizes, start=1):
        ident = f"synthetic-{k:03d}"
        folder = out / "notices" / ident
        paragraphs, used = [], []
        for number in range(1, size + 1):
            serial += 1
            real = reals[(serial - 1) % len(reals)]
            measure = variant(real, number, (serial - 1) // len(reals), serial=serial)
            measure["part"] = f"{real['part']}-{k}"
            if real["part"] not in used:
                used.append(real["part"])
            quotes += [e["quote"] for e in measure["change_log"] if e.get("notice") == SUPPLEMENT]
            paragraphs.append(measure["source"]["as_published"])
            _dump(folder / "measures" / f"{number:02d}-{measure['id']}.yaml", measure,
                  "../../../schema/measure.schema.json")
        acts: list[dict[str, Any]] = []
        if k % 10 == 0 and previous is not None:
            quote = f"Measure 1 of {previous} is repealed from 1 January 2124."
            acts.append({"action": "repeals", "notice": previous, "measures": [1], "from": "2124-01-01",
                         "quote": quote})
            paragraphs.append(quote)
        parts = [{**real_parts[pid], "id": f"{pid}-{k}", "number": i}
                 for i, pid in enumerate([p for p in real_parts if p in used], start=1)]
        published = (dt.date(2123, 1, 1) + dt.timedelta(days=k)).isoformat()
        _dump(folder / "notice.yaml", _notice_yaml(ident, k, real_notice, parts, acts, published),
              "../../schema/notice.schema.json")
        (folder / "text.en.txt").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
        previous = ident
    # measures of the real notice whose amounts were raised name the supplement too
    for path in sorted(first.glob("*.yaml")):
        measure = _read(path)
        quotes += [e["quote"] for e in measure.get("change_log") or [] if e.get("notice") == SUPPLEMENT]
    if quotes:  # the imagined later notice, with its own text file
        folder = out / "notices" / SUPPLEMENT
        notice = _notice_yaml(SUPPLEMENT, 0, real_notice, [], [], SUPPLEMENT_DATE)
        notice["short_title"] = {"zh": "2123年第1号补充通知（示例）", "en": "Supplementary notice No. 1 of 2123 (sample)"}
        _dump(folder / "notice.yaml", notice, "../../schema/notice.schema.json")
        (folder / "text.en.txt").write_text("Supplementary notice (synthetic)\n\n" + "\n".join(quotes) + "\n",
                                            encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1500)
    parser.add_argument("--notices", type=int, default=None, help="notices in all (default: one per 15 measures)")
    parser.add_argument("--hostile", action="store_true")
    args = parser.parse_args(argv)
    write(args.out, args.count, args.hostile, args.notices)
    print(f"wrote {args.count} measures to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
