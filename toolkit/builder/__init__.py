"""Cohort builds: execute each module once, export both audiences' handouts, print packs."""
