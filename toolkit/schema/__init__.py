"""Pydantic models for curriculum content and cohort files, one module per concern."""

from toolkit.schema.cohort import Cohort, Session
from toolkit.schema.module import Activity, Exercise, ExerciseKind, Module
from toolkit.schema.programme import Programme

__all__ = ["Activity", "Cohort", "Exercise", "ExerciseKind", "Module", "Programme", "Session"]
