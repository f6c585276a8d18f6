"""Runs every feature file in this folder against the real engine and scorer."""

from pytest_bdd import scenarios

scenarios(".")
