"""Region names as a reader sees them, in the reader's language.

A Region id (``hong-kong``) is structure: translations cannot change it, so a
printed label cannot come from the curriculum files. The labels are interface
strings instead, one literal ``_()`` per Region so that the message extractor
sees every one (a computed ``_(name)`` would never reach the catalogues).
Wider areas that are not a Region ("South Asian diaspora") are curriculum text
in ``RegionalNote.area`` and are translated with the rest of the glossary.
"""

from __future__ import annotations

from toolkit.i18n import Translate
from toolkit.schema.programme import RegionalNote
from toolkit.schema.regions import Region


def region_labels(_: Translate) -> dict[Region, str]:
    """Every Region's label through ``_``; tests/test_people.py fails if a Region has none."""
    return {
        Region.INTERNATIONAL: _("International"),
        Region.US: _("United States"),
        Region.CANADA: _("Canada"),
        Region.UK: _("United Kingdom"),
        Region.IRELAND: _("Ireland"),
        Region.AUSTRALIA: _("Australia"),
        Region.NEW_ZEALAND: _("New Zealand"),
        Region.SINGAPORE: _("Singapore"),
        Region.MALAYSIA: _("Malaysia"),
        Region.PHILIPPINES: _("Philippines"),
        Region.INDIA: _("India"),
        Region.TAIWAN: _("Taiwan"),
        Region.HONG_KONG: _("Hong Kong"),
        Region.JAPAN: _("Japan"),
        Region.SOUTH_KOREA: _("South Korea"),
        Region.THAILAND: _("Thailand"),
        Region.VIETNAM: _("Vietnam"),
        Region.INDONESIA: _("Indonesia"),
        Region.PAKISTAN: _("Pakistan"),
        Region.BANGLADESH: _("Bangladesh"),
        Region.SRI_LANKA: _("Sri Lanka"),
        Region.NEPAL: _("Nepal"),
        Region.CHINA: _("Mainland China"),
        Region.MYANMAR: _("Myanmar"),
    }


def region_label(region: Region, _: Translate) -> str:
    """The label of one Region; the id itself if a new Region has no label yet."""
    return region_labels(_).get(region, region.value)


def note_place(note: RegionalNote, _: Translate) -> str:
    """What a regional note is about: its Region's label, or its area in words."""
    if note.region is not None:
        return region_label(note.region, _)
    return note.area or ""
