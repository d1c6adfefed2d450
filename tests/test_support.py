"""Support and crisis (issue 13 §1): every region's list, the immediate-danger line, unverified entries,
several regions per cohort, the check rules that keep them, and the region parameter from cohort to page."""

from __future__ import annotations

import ast
import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from toolkit import render
from toolkit.builder.runner import build_cohort
from toolkit.checks.support import check_support
from toolkit.cohorts import load_cohort
from toolkit.curriculum import load_curriculum, programme
from toolkit.errors import InvalidParameter
from toolkit.i18n import translator
from toolkit.live.site import prepare_site
from toolkit.page import support_regions
from toolkit.paths import Home
from toolkit.region_labels import region_label
from toolkit.schema.programme import Programme, Resource
from toolkit.schema.regions import CRIMINALISING_REGIONS, Region

REPO = Path(__file__).parent.parent
_ = translator("en")
DANGER = "In immediate danger:"


def support_html(regions: list[Region], language: str = "en") -> str:
    loaded = programme(language)
    return render.resources(loaded.modules[0], loaded, regions, translator(language))


def lists(markup: str) -> list[tuple[str, str]]:
    """(heading, body) of every support list, in printed order."""
    return re.findall(r'<section class="bridges-support-list"><h3>(.*?)</h3>(.*?)</section>', markup, re.S)


def text_of(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def entries_of(region: Region, loaded: Programme | None = None) -> list[Resource]:
    return [r for r in (loaded or programme("en")).resources.resources if r.region is region]


# -- the data -------------------------------------------------------------------------------------


def test_every_region_has_two_entries_and_a_crisis_line_and_the_rules_agree() -> None:
    for region in Region:
        entries = entries_of(region)
        assert len(entries) >= 2, region
        assert any(r.crisis for r in entries), region
        for entry in entries:
            if region in CRIMINALISING_REGIONS and entry.crisis and entry.phone:
                assert entry.danger_note, entry.id
    assert check_support(load_curriculum(Home(REPO))) == []


def test_the_new_regions_exist_and_print_on_a4() -> None:
    from toolkit.schema.regions import PaperSize, default_paper

    for name in ("pakistan", "bangladesh", "sri-lanka", "nepal", "china", "myanmar"):
        assert default_paper(Region(name)) is PaperSize.A4


# -- printing -------------------------------------------------------------------------------------


@pytest.mark.parametrize("region", list(Region))
def test_every_region_list_starts_with_its_immediate_danger_line(region: Region) -> None:
    printed = lists(support_html([region]))
    expected = [region_label(region, _)] + (
        [] if region is Region.INTERNATIONAL else [region_label(Region.INTERNATIONAL, _)]
    )
    assert [heading for heading, _body in printed] == expected
    for heading, body in printed:
        assert body.startswith('<div class="bridges-immediate-danger"'), heading
        assert text_of(body).startswith(DANGER), heading
    danger_block = printed[0][1].split("</div>", 1)[0]
    for entry in entries_of(region):
        if entry.crisis:
            assert entry.name in text_of(danger_block)
            if entry.phone:
                assert entry.phone in text_of(danger_block)
            if entry.danger_note:
                assert text_of(entry.danger_note) in text_of(danger_block)


def test_the_international_list_opens_with_crisis_help_not_an_organisation_that_is_not_one() -> None:
    ((_heading, body),) = lists(support_html([Region.INTERNATIONAL]))
    first_item = text_of(body.split("<li>", 2)[1])
    assert first_item.startswith("Your local emergency number"), first_item
    assert "Not a crisis service" not in first_item
    items = [text_of(item) for item in body.split("<li>")[1:]]
    crisis_count = sum(1 for r in entries_of(Region.INTERNATIONAL) if r.crisis)
    assert all("Not a crisis service" not in item for item in items[:crisis_count])


def test_an_unverified_entry_prints_not_verified_and_never_a_checked_date() -> None:
    unverified = next(r for r in entries_of(Region.INTERNATIONAL) if r.needs_verification)
    verified = next(r for r in entries_of(Region.INTERNATIONAL) if not r.needs_verification)
    shown = text_of(render.support_list("List", [unverified], _))
    assert "not verified" in shown
    assert "checked" not in shown and unverified.last_verified.isoformat() not in shown
    assert f"checked {verified.last_verified.isoformat()}" in text_of(render.support_list("List", [verified], _))
    # Across a whole printed page: one marking per entry, the right one.
    page = support_html([Region.UK, Region.MALAYSIA])
    for item in re.findall(r"<li>(.*?)</li>", page, re.S):
        assert ("not verified" in item) != ("checked 20" in item), item
    for (heading, body), region in zip(lists(page), (Region.UK, Region.MALAYSIA, Region.INTERNATIONAL), strict=True):
        assert body.count("not verified") == sum(1 for r in entries_of(region) if r.needs_verification), heading


def test_a_cohort_with_two_regions_gets_both_lists_then_international() -> None:
    page = support_html([Region.UK, Region.PAKISTAN])
    printed = lists(page)
    assert [heading for heading, _body in printed] == ["United Kingdom", "Pakistan", "International"]
    assert all(text_of(body).startswith(DANGER) for _heading, body in printed)
    pakistan = text_of(printed[1][1])
    assert "15 (police)" in pakistan and "section 377" in pakistan  # its own numbers and danger note
    assert "section 377" not in text_of(printed[0][1])
    assert page.count(DANGER) == 3


def test_support_lists_are_escaped_and_print_in_the_page_language() -> None:
    korean = support_html([Region.SOUTH_KOREA], "ko")
    assert "109" in korean and "자살예방" in korean  # the Korean entry, in Korean
    assert "Malaysia&#39;s" in support_html([Region.MALAYSIA])  # curriculum text is escaped


def test_every_new_or_changed_support_text_is_translated() -> None:
    english = {r.id: r for r in programme("en").resources.resources}
    for language in ("ko", "zh-Hans", "vi", "tl"):
        for entry in programme(language).resources.resources:
            source = english[entry.id]
            if source.danger_note:
                assert entry.danger_note != source.danger_note, (language, entry.id)
        annex = programme(language).facilitation.online_annex
        assert annex.title != programme("en").facilitation.online_annex.title, language


# -- the region parameter, from cohort to page ------------------------------------------------------


def test_the_page_reads_comma_separated_regions_and_refuses_unknown_ones() -> None:
    assert support_regions("uk, pakistan,uk") == [Region.UK, Region.PAKISTAN]
    assert support_regions("international") == [Region.INTERNATIONAL]
    with pytest.raises(InvalidParameter) as caught:
        support_regions("uk,atlantis")
    assert caught.value.name == "region"
    assert "'uk,atlantis'" in str(caught.value) and "separated by commas" in str(caught.value)
    with pytest.raises(InvalidParameter):
        support_regions("")


def injected(path: Path) -> dict[str, Any]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    source = "".join(next(c for c in cells if "injected-parameters" in c["metadata"].get("tags", []))["source"])
    pairs = [line.split(" = ", 1) for line in source.splitlines() if " = " in line]
    return {name.strip(): ast.literal_eval(value) for name, value in pairs}


def test_the_live_site_passes_every_support_region(
    home: Path, cohort_file: Path, tmp_path: Path, edit_yaml: Any
) -> None:
    edit_yaml(cohort_file, lambda data: data.__setitem__("regions", ["pakistan", "uk"]))
    (home / "examples").mkdir()
    shutil.copy(REPO / "examples" / "facilitator-dashboard.ipynb", home / "examples")
    cohort = load_cohort(cohort_file)
    assert cohort.support_regions == [Region.UK, Region.PAKISTAN]
    site = prepare_site(cohort, cohort_file, Home(home), tmp_path / "site")
    for name in site.notebooks.values():
        assert injected(tmp_path / "site" / name)["region"] == "uk,pakistan"


def test_the_module_notebooks_document_the_region_parameter() -> None:
    for notebook in sorted((REPO / "modules").glob("*.ipynb")):
        source = "".join(json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]["source"])
        line = next(line for line in source.splitlines() if line.startswith("region ="))
        assert "comma-separated" in line, notebook.name


# -- bridges check ---------------------------------------------------------------------------------


@pytest.fixture
def curriculum_copy(tmp_path: Path) -> Path:
    """A writable copy of the real curriculum and module notebooks."""
    target = tmp_path / "home"
    for folder in ("curriculum", "modules"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def check_output(cli: Any, home: Path) -> str:
    result = cli("check", "--home", str(home))
    return str(result.output)


def test_check_fails_when_a_region_loses_its_crisis_entry(cli: Any, curriculum_copy: Path, edit_yaml: Any) -> None:
    path = curriculum_copy / "curriculum" / "resources.yaml"

    def no_crisis_in_japan(data: Any) -> None:
        for entry in data["resources"]:
            if entry["region"] == "japan":
                entry["crisis"] = False

    assert "region 'japan' has no crisis entry" not in check_output(cli, curriculum_copy)
    edit_yaml(path, no_crisis_in_japan)
    result = cli("check", "--home", str(curriculum_copy))
    assert result.exit_code == 1
    assert "curriculum/resources.yaml" in result.output
    assert "region 'japan' has no crisis entry" in result.output
    assert "'crisis: true'" in result.output  # the fix is named


def test_check_counts_entries_per_region(cli: Any, curriculum_copy: Path, edit_yaml: Any) -> None:
    path = curriculum_copy / "curriculum" / "resources.yaml"

    def only_the_emergency_number_in_nepal(data: Any) -> None:
        data["resources"] = [r for r in data["resources"] if r["region"] != "nepal" or r["id"] == "emergency-nepal"]

    edit_yaml(path, only_the_emergency_number_in_nepal)
    assert "region 'nepal' has 1 support entry; every region needs at least 2" in check_output(cli, curriculum_copy)


def test_check_requires_a_danger_note_on_crisis_lines_where_criminalised(
    cli: Any, curriculum_copy: Path, edit_yaml: Any
) -> None:
    path = curriculum_copy / "curriculum" / "resources.yaml"

    def drop_notes(data: Any) -> None:
        for entry in data["resources"]:
            if entry["id"] in ("emergency-pakistan", "emergency-japan"):
                del entry["danger_note"]

    edit_yaml(path, drop_notes)
    output = check_output(cli, curriculum_copy)
    assert re.search(
        r"resources\.yaml:\d+: resources\[\d+\]\.danger_note: 'emergency-pakistan' is a crisis line", output
    )
    assert "'emergency-japan'" not in output  # Japan does not criminalise: the note is advice there, not a rule


def test_a_cohort_region_must_be_known(cli: Any, home: Path, cohort_file: Path, edit_yaml: Any) -> None:
    edit_yaml(cohort_file, lambda data: data.__setitem__("regions", ["ireland", "atlantis"]))
    result = cli("check", "--home", str(home), str(cohort_file))
    assert result.exit_code == 1
    assert "cohort.yaml" in result.output and "regions[1]" in result.output
    assert "'pakistan'" in result.output  # the message lists the regions there are


# -- a real build ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_handout_pdf_prints_one_support_list_per_region(tmp_path: Path) -> None:
    cohort_file = tmp_path / "two-regions.yaml"
    text = (REPO / "examples" / "demo-cohort.yaml").read_text(encoding="utf-8")
    cohort_file.write_text(text.replace("region: international", "region: uk\nregions: [pakistan]"), encoding="utf-8")
    out = tmp_path / "out"
    build_cohort(cohort_file, out, jobs=1, home=Home(REPO), modules=["shared-experiences"], formats=("pdf",))
    pdf = next((out / "participant").glob("01-*.pdf"))
    printed = re.sub(
        r"\s+", " ", subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    )
    assert printed.count(DANGER) == 3
    uk, pakistan, international = (
        printed.index(label)
        for label in ("United Kingdom In immediate", "Pakistan In immediate", "International In immediate")
    )
    assert uk < pakistan < international
    assert "1122 (Rescue)" in printed and "not verified" in printed


def test_the_facilitator_pack_carries_the_online_annex_after_the_crisis_protocol() -> None:
    from toolkit.builder.packs import facilitator_guidance

    loaded = programme("en")
    parts = [part["id"] for part in facilitator_guidance(loaded, _)]
    assert parts.index("online-annex") == parts.index("crisis-protocol") + 1
    annex = next(part for part in facilitator_guidance(loaded, _) if part["id"] == "online-annex")
    shown = text_of(annex["html"])
    assert "One exit signal for everyone" in shown and "off the record" in shown
    assert "drops off in the middle of a disclosure" in shown


def test_the_confidentiality_agreement_and_the_crisis_protocol_name_the_same_duty() -> None:
    loaded = programme("en")
    confidentiality = next(a for a in loaded.agreements.agreements if a.id == "confidentiality")
    assert "only exception" not in confidentiality.text
    for text in (confidentiality.text, confidentiality.say_it_like_this, loaded.facilitation.crisis_protocol.steps[2]):
        assert re.search(r"\[[^\]]*duty[^\]]*\]", text), text  # the fill-in line the facilitator completes
    assert "fill-in line of the confidentiality agreement" in loaded.facilitation.crisis_protocol.steps[0]
