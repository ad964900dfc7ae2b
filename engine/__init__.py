"""Compile statutes into a checked dependency graph and evaluate cases against it."""
