"""Participants' data from start to end: erase, take home, expire, and report.

- ``erase``: every event of one participant, for good (``bridges erase``).
- ``journal``: one participant's own answers as HTML and PDF (``bridges journal``).
- ``purge``: events older than the cohort's ``retention_days`` (``bridges purge``).
- ``evaluation``: how evaluation answers are recorded, and reading them back.
- ``consent``: what a participant has shared, for the app's "change my mind" list.
- ``report``: the evaluation report, suppressed for k (``bridges report``).

Each works on an ``EventStore`` so that the app can call it with the store it
already has open, and on a cohort file through ``stores.cohort_store`` for
the command line. docs/privacy.md describes all of it for coordinators.
"""
