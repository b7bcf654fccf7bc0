"""`make serve`'s preview (`mkdocs serve --dirty`, scripts/pages/preview.py): after an edit, a
preview build renders only the pages the edit touches, and the site it leaves is the site a whole
build of the edited policy gives, file for file (the search indexes entry for entry). A small
synthetic library (scripts/dev/synthetic_policy.py), built in this process as `mkdocs serve` builds."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from scripts.dev import scale

COUNT, NOTICES = 30, 3
INDEXES = ("search/search_index.json", "en/search/search_index.json")


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and p.relative_to(site).as_posix() not in INDEXES}


def _index(site: Path, rel: str) -> list[tuple[str, str, str]]:
    docs = json.loads((site / rel).read_text(encoding="utf-8"))["docs"]
    return sorted((d["location"], d["title"], d["text"]) for d in docs)


def _whole_build(work: Path, site: Path) -> None:
    """A preview's first build (a whole one) of the policy as it is now, with nothing kept from
    earlier builds of this process."""
    from scripts.pages import guide, preview
    from scripts.policy import reader

    guide._KEPT.clear()
    preview._LANGUAGE_FILES.clear()
    if reader._KEPT_READS is not None:
        reader._KEPT_READS.clear()
    whole = scale.Preview(scale.site_config(work, serve=True), work / "policy", site)
    try:
        whole.build()
    finally:
        whole.close()


def _assert_same_site(preview: Path, whole: Path) -> None:
    got, expected = _files(preview), _files(whole)
    assert (sorted(set(got) - set(expected)), sorted(set(expected) - set(got))) == ([], [])
    different = [rel for rel in expected if got[rel] != expected[rel]]
    assert not different, different[:10]
    for rel in INDEXES:
        assert _index(preview, rel) == _index(whole, rel), rel


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("preview")
    scale.prepare(work, COUNT, hostile=False, notices=NOTICES)
    return work


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_preview_after_edits_is_the_whole_build_of_the_edited_policy(work: Path, tmp_path: Path) -> None:
    site = tmp_path / "preview"
    preview = scale.Preview(scale.site_config(work, serve=True), work / "policy", site)
    try:
        preview.build()
        measure_file = sorted((work / "policy" / "notices").glob("*/measures/*.yaml"))[COUNT // 2]
        measure = yaml.safe_load(measure_file.read_text(encoding="utf-8"))
        built = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
        # a measure's title in both languages: its page, its notice's and part's, the lists
        _edit(measure_file, measure["title"]["zh"], measure["title"]["zh"] + "（修改）")
        _edit(measure_file, measure["title"]["en"], measure["title"]["en"] + " (edited)")
        preview.build()
        page = (site / "measures" / measure["id"] / "index.html").read_text(encoding="utf-8")
        assert measure["title"]["zh"] + "（修改）" in page
        rendered = [p for p, mtime in built.items() if p.stat().st_mtime_ns != mtime]
        assert 0 < len(rendered) < len(built) / 2, (len(rendered), len(built))
        _whole_build(work, tmp_path / "whole")
        _assert_same_site(site, tmp_path / "whole")

        # a notice's short title: every page of its measures names it; and the library's site name
        notice_file = measure_file.parents[1] / "notice.yaml"
        notice = yaml.safe_load(notice_file.read_text(encoding="utf-8"))
        _edit(notice_file, notice["short_title"]["en"], notice["short_title"]["en"] + " (edited)")
        site_texts = work / "policy" / "texts" / "site.yaml"
        name = yaml.safe_load(site_texts.read_text(encoding="utf-8"))["site"]["name"]["en"]
        _edit(site_texts, name, name + " (preview)")
        preview.build()
        shutil.rmtree(tmp_path / "whole")
        _whole_build(work, tmp_path / "whole")
        _assert_same_site(site, tmp_path / "whole")
    finally:
        preview.close()


def test_a_bad_edit_fails_the_preview_build_with_the_validators_message(work: Path, tmp_path: Path) -> None:
    from scripts.policy import PolicyError

    site = tmp_path / "preview"
    preview = scale.Preview(scale.site_config(work, serve=True), work / "policy", site)
    measure_file = sorted((work / "policy" / "notices").glob("*/measures/*.yaml"))[0]
    text = measure_file.read_text(encoding="utf-8")
    try:
        preview.build()
        measure_file.write_text(text.replace("number:", "number: x\nnumbr:", 1), encoding="utf-8")
        with pytest.raises(PolicyError) as failed:
            preview.build()
        assert measure_file.name in str(failed.value)
    finally:
        measure_file.write_text(text, encoding="utf-8")
        preview.close()
