"""Regions, used to choose support resources and the default paper size."""

from __future__ import annotations

from enum import StrEnum


class Region(StrEnum):
    INTERNATIONAL = "international"
    US = "us"
    CANADA = "canada"
    UK = "uk"
    IRELAND = "ireland"
    AUSTRALIA = "australia"
    NEW_ZEALAND = "new-zealand"
    SINGAPORE = "singapore"
    MALAYSIA = "malaysia"
    PHILIPPINES = "philippines"
    INDIA = "india"
    TAIWAN = "taiwan"
    HONG_KONG = "hong-kong"
    JAPAN = "japan"
    SOUTH_KOREA = "south-korea"
    THAILAND = "thailand"
    VIETNAM = "vietnam"
    INDONESIA = "indonesia"
    PAKISTAN = "pakistan"
    BANGLADESH = "bangladesh"
    SRI_LANKA = "sri-lanka"
    NEPAL = "nepal"
    CHINA = "china"
    MYANMAR = "myanmar"


class PaperSize(StrEnum):
    A4 = "A4"
    LETTER = "Letter"


# Where US Letter is the everyday paper; everywhere else prints on A4.
LETTER_REGIONS = frozenset({Region.US, Region.CANADA, Region.PHILIPPINES})


# Where same-sex relations or gender expression are criminalised in all or part of
# the country (Indonesia: Aceh's bylaws, and a national Criminal Code in force from
# January 2026 that punishes sex outside marriage). There, a call that brings the
# police can itself endanger the caller, so every crisis line with a number carries
# a danger note (toolkit.checks.support). Review this set with the resources.
CRIMINALISING_REGIONS = frozenset(
    {Region.MALAYSIA, Region.INDONESIA, Region.PAKISTAN, Region.BANGLADESH, Region.SRI_LANKA, Region.MYANMAR}
)


def default_paper(region: Region) -> PaperSize:
    """The paper a printer in ``region`` most likely holds."""
    return PaperSize.LETTER if region in LETTER_REGIONS else PaperSize.A4
