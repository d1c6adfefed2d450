"""How an activity's method, grouping and disclosure level read in the reader's language.

The enum values (``think_pair_share``) are structure; their labels are interface
strings, one literal ``_()`` each so the message extractor sees every one (a
computed ``_(value)`` never reaches the catalogues, and printed English in a
Korean handout). tests/test_labels.py fails when a value has no label.
"""

from __future__ import annotations

from toolkit.i18n import Translate
from toolkit.schema.module import Disclosure, Grouping, Method


def grouping_labels(_: Translate) -> dict[Grouping, str]:
    return {
        Grouping.INDIVIDUAL: _("on your own"),
        Grouping.PAIRS: _("in pairs"),
        Grouping.SMALL_GROUPS: _("in small groups"),
        Grouping.WHOLE_GROUP: _("as a whole group"),
    }


def method_labels(_: Translate) -> dict[Method, str]:
    return {
        Method.STORY_CIRCLE: _("story circle"),
        Method.THINK_PAIR_SHARE: _("think, pair, share"),
        Method.FISHBOWL: _("fishbowl"),
        Method.GALLERY_WALK: _("gallery walk"),
        Method.IDENTITY_WHEEL: _("identity wheel"),
        Method.SPECTRUM: _("spectrum line"),
        Method.SMALL_GROUP_PROJECT: _("small-group project"),
        Method.SKILL_SHARE: _("skill share"),
        Method.CASE_STUDY: _("case study"),
        Method.ROLE_PLAY: _("role play"),
        Method.JOURNALING: _("journaling"),
        Method.WORLD_CAFE: _("world café"),
        Method.CHECK_IN: _("check-in"),
        Method.CLOSING_CIRCLE: _("closing circle"),
        Method.MINI_LECTURE: _("short talk"),
    }


def disclosure_labels(_: Translate) -> dict[Disclosure, str]:
    return {
        Disclosure.NONE: _("nothing personal"),
        Disclosure.LOW: _("low: preferences and general views"),
        Disclosure.MEDIUM: _("medium: a personal story the person chooses"),
        Disclosure.HIGH: _("high: close to identity or pain"),
    }
