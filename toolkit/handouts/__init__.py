"""Printable handouts: nbconvert exporters, print templates and PDF layout."""
