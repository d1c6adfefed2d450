"""Support lists that hold up in a crisis (issue 13 §1).

Every printed support list opens with its region's crisis lines under "In
immediate danger" (toolkit.render.resources), so the data must give every
region something to print there. Three rules, enforced over resources.yaml:

- every Region has at least two entries, so that a cohort in any region gets a
  list and not a lone name;
- every Region has at least one entry marked ``crisis: true`` (a crisis line,
  or the local emergency number);
- in a region where same-sex relations or gender expression are criminalised
  (``CRIMINALISING_REGIONS``), every crisis entry with a phone number carries
  a ``danger_note``: a call there can bring the police, and the note says when
  and what to ask for instead. The rule keys on the phone number, not on a
  guess at which numbers reach the police: any line a person calls may pass
  the call on, while an entry reached only through a website does not.

A cohort's regions need no rule of their own: the cohort schema accepts only
Region ids, and the first two rules give every Region a list.
"""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.curriculum import LoadedCurriculum
from toolkit.errors import Problem
from toolkit.schema.programme import Resources
from toolkit.schema.regions import CRIMINALISING_REGIONS, Region
from toolkit.yamlio import Document

MIN_ENTRIES = 2


def check_support(loaded: LoadedCurriculum) -> list[Problem]:
    for entry in loaded.files.values():
        if isinstance(entry.model, Resources):
            return list(_support_problems(entry.document, entry.model))
    return []  # no resources file: the loader has already reported it


def _support_problems(document: Document, resources: Resources) -> Iterator[Problem]:
    entries = resources.resources
    for region in Region:
        mine = [r for r in entries if r.region is region]
        if len(mine) < MIN_ENTRIES:
            yield document.problem(
                ("resources",),
                f"region {region.value!r} has {len(mine)} support entr{'y' if len(mine) == 1 else 'ies'}; "
                f"every region needs at least {MIN_ENTRIES}",
                f"add entries with 'region: {region.value}'; mark any detail you could not confirm "
                "'needs_verification: true'",
            )
        if not any(r.crisis for r in mine):
            yield document.problem(
                ("resources",),
                f"region {region.value!r} has no crisis entry: its printed 'In immediate danger' line could only "
                "say 'call your local emergency number'",
                f"mark a crisis line 'crisis: true', or add the local emergency number with 'region: {region.value}', "
                "'crisis: true', its 'phone' and a 'danger_note'",
            )
    for index, resource in enumerate(entries):
        if resource.region in CRIMINALISING_REGIONS and resource.crisis and resource.phone and not resource.danger_note:
            yield document.problem(
                ("resources", index, "danger_note"),
                f"{resource.id!r} is a crisis line in {resource.region.value!r}, where same-sex relations or gender "
                "expression are criminalised, but it has no danger_note",
                "say when calling this number could endanger the caller (it may bring the police) and what to "
                "ask for instead, e.g. an ambulance",
            )
