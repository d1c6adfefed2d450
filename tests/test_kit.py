"""Print kits: the schema, `bridges check` on stale claims and references, and real kit PDFs read back with poppler."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import Editor
from ruamel.yaml import YAML

from toolkit.builder.runner import BuildResult, build_cohort
from toolkit.checks import run_check
from toolkit.checks.claims import STALE_AFTER, stale_claims
from toolkit.cohorts import load_cohort
from toolkit.curriculum import load_curriculum, programme
from toolkit.errors import ValidationFailed
from toolkit.handouts.kit import render_kit
from toolkit.paths import Home
from toolkit.schema.kit import Kit

REPO = Path(__file__).parent.parent
DEMO = REPO / "examples" / "demo-cohort.yaml"
KIT_FILE = "curriculum/kits/01-fixture-theme.yaml"


def fixture_kit(checked: dt.date) -> dict[str, Any]:
    """A small kit for the fixture module: one card set, one dated poster, a fact sheet."""
    return {
        "module": "fixture-theme",
        "title": "Fixture kit",
        "card_sets": [
            {
                "id": "ft-act-circle",
                "kind": "scenario",
                "title": "Scenario cards",
                "cards": [{"id": "ft-card-one", "text": "Someone asks where you are really from."}],
            }
        ],
        "poster_sets": [
            {
                "id": "ft-act-pairs",
                "kind": "history",
                "title": "History posters",
                "posters": [{"id": "ft-poster-law", "title": "A law", "text": "A law changed.", "checked": checked}],
            }
        ],
        "fact_sheet": {
            "id": "ft-act-circle",
            "title": "Fact sheet",
            "claims": [
                {
                    "id": "ft-claim-one",
                    "claim": "A claim read aloud.",
                    "text": "What the record says.",
                    "source": "A court judgment.",
                    "checked": checked,
                }
            ],
        },
    }


def write_kit(home: Path, kit: dict[str, Any]) -> Path:
    path = home / KIT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        YAML(typ="rt").dump(kit, handle)
    return path


def test_schema_rejects_a_card_without_text(home: Path) -> None:
    kit = fixture_kit(dt.date.today())
    del kit["card_sets"][0]["cards"][0]["text"]
    write_kit(home, kit)
    with pytest.raises(ValidationFailed) as caught:
        load_curriculum(Home(home))
    [problem] = caught.value.problems
    assert problem.file == KIT_FILE
    assert problem.field == "card_sets[0].cards[0].text"
    assert problem.line is not None


def test_schema_rejects_a_dated_kind_without_its_checked_date(home: Path) -> None:
    kit = fixture_kit(dt.date.today())
    del kit["poster_sets"][0]["posters"][0]["checked"]
    write_kit(home, kit)
    with pytest.raises(ValidationFailed) as caught:
        load_curriculum(Home(home))
    assert any("ft-poster-law" in problem.message for problem in caught.value.problems)


def test_check_lists_a_claim_checked_more_than_a_year_ago(home: Path, edit_yaml: Editor, cli: Any) -> None:
    path = write_kit(home, fixture_kit(dt.date.today()))
    assert run_check(Home(home)).ok

    old = dt.date.today() - STALE_AFTER - dt.timedelta(days=1)

    def age_the_claim(data: Any) -> None:
        data["fact_sheet"]["claims"][0]["checked"] = old

    edit_yaml(path, age_the_claim)
    result = run_check(Home(home))
    [problem] = result.notices  # the poster was checked today: only the claim is stale
    assert result.ok  # listed, not failed: an unchanged curriculum must not start failing on a date
    assert problem.file == KIT_FILE
    assert problem.field == "fact_sheet.claims[0].checked"
    assert "ft-claim-one" in problem.message and old.isoformat() in problem.message
    assert problem.line is not None
    printed = cli("check", "--home", str(home))
    assert printed.exit_code == 0, printed.output
    assert f"note {KIT_FILE}:{problem.line}: fact_sheet.claims[0].checked: claim 'ft-claim-one'" in printed.output


def test_a_claim_is_stale_only_after_a_full_year(home: Path) -> None:
    checked = dt.date(2026, 1, 15)
    write_kit(home, fixture_kit(checked))
    loaded = load_curriculum(Home(home))
    assert stale_claims(loaded, today=checked + STALE_AFTER) == []
    stale = stale_claims(loaded, today=checked + STALE_AFTER + dt.timedelta(days=1))
    assert {p.field for p in stale} == {"fact_sheet.claims[0].checked", "poster_sets[0].posters[0].checked"}


def test_check_names_a_kit_set_for_an_activity_the_module_lacks(home: Path, edit_yaml: Editor) -> None:
    path = write_kit(home, fixture_kit(dt.date.today()))

    def misname(data: Any) -> None:
        data["card_sets"][0]["id"] = "ft-act-nowhere"

    edit_yaml(path, misname)
    [problem] = run_check(Home(home)).problems
    assert problem.field == "card_sets[0].id"
    assert "ft-act-nowhere" in problem.message


def test_every_dated_claim_in_the_curriculum_carries_a_checked_date() -> None:
    kits = programme().kits
    dated = [claim for kit in kits for claim in kit.dated_claims()]
    assert len(dated) >= 5 + 6 + 5  # the fact sheet, the history posters, the history cards
    assert all(claim.checked <= dt.date.today() for claim in dated)  # never checked "in the future"


def test_kit_html_escapes_every_string(home: Path) -> None:
    kit = fixture_kit(dt.date.today())
    kit["card_sets"][0]["cards"][0]["text"] = '<script>alert("x")</script> & more'
    kit["fact_sheet"]["claims"][0]["source"] = "<img src=x onerror=alert(1)>"
    write_kit(home, kit)
    loaded = load_curriculum(Home(home)).programme
    cohort = load_cohort(DEMO)
    html = render_kit(Kit.model_validate(loaded.kits[0].model_dump()), loaded.modules[0], cohort)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# --- real PDFs -------------------------------------------------------------------------------------

KIT_MODULES = ["shared-experiences", "breaking-stereotypes"]


@pytest.fixture(scope="module")
def kit_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """Two modules of the demo cohort, printed on Letter paper."""
    folder = tmp_path_factory.mktemp("kit-build")
    cohort = folder / "letter-cohort.yaml"
    cohort.write_text(DEMO.read_text(encoding="utf-8") + "paper_size: Letter\n", encoding="utf-8")
    out = folder / "out"
    return out, build_cohort(cohort, out, jobs=2, modules=KIT_MODULES, home=Home(REPO))


def pdf_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def kit_artifacts(out: Path) -> dict[str, dict[str, Any]]:
    artifacts = json.loads((out / "manifest.json").read_text())["artifacts"]
    return {a["module"]: a for a in artifacts if a["kind"] == "kit"}


@pytest.mark.slow
def test_build_lists_each_module_kit_in_the_manifest(kit_build: tuple[Path, BuildResult]) -> None:
    out, _ = kit_build
    kits = kit_artifacts(out)
    assert set(kits) == set(KIT_MODULES)
    assert kits["shared-experiences"]["path"] == "facilitator/01-shared-experiences-kit.pdf"
    for artifact in kits.values():
        assert (artifact["audience"], artifact["format"], artifact["language"]) == ("facilitator", "pdf", "en")
        assert (out / artifact["path"]).stat().st_size == artifact["bytes"]


@pytest.mark.slow
def test_kit_pdf_prints_every_card_claim_and_checked_date_on_the_cohort_paper(
    kit_build: tuple[Path, BuildResult],
) -> None:
    out, _ = kit_build
    english = programme()
    for slug, artifact in kit_artifacts(out).items():
        path = out / artifact["path"]
        assert re.search(r"Page size:\s+612 x 792 pts \(letter\)", pdf_info(path))
        text = flat(pdf_text(path))
        kit = english.kit(slug)
        assert kit is not None
        for card_set in kit.card_sets:
            for card in card_set.cards:
                assert flat(card.text) in text, card.id
        for poster_set in kit.poster_sets:
            for poster in poster_set.posters:
                assert flat(poster.text) in text, poster.id
        if kit.fact_sheet is not None:
            for claim in kit.fact_sheet.claims:
                assert text.count(flat(claim.claim)) == 2, claim.id  # its claim card and its box on the fact sheet
                assert flat(claim.text) in text and flat(claim.source) in text
            checked = re.findall(r"Checked on (\d{4}-\d{2}-\d{2})", text)
            assert checked == [claim.checked.isoformat() for claim in kit.fact_sheet.claims]


@pytest.mark.slow
def test_kit_pdf_prints_posters_one_to_a_page(kit_build: tuple[Path, BuildResult]) -> None:
    out, _ = kit_build
    path = out / kit_artifacts(out)["shared-experiences"]["path"]
    kit = programme().kit("shared-experiences")
    assert kit is not None
    [cards], [posters] = kit.card_sets, kit.poster_sets
    card_sheets = -(-len(cards.cards) // 6)
    pages = int(re.search(r"Pages:\s+(\d+)", pdf_info(path)).group(1))  # type: ignore[union-attr]
    assert pages == 1 + card_sheets + len(posters.posters)  # cover, card sheets, one page per poster
    first_poster_page = 2 + card_sheets
    for offset, poster in enumerate(posters.posters):
        page = pdf_text(path, first_poster_page + offset)
        assert page.split("\n", 1)[0].strip() == poster.title
        assert flat(poster.text) in flat(page)
        assert all(column in flat(page) for column in posters.columns)
