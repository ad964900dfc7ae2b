"""Statute tests written as data: YAML files of cases and the outcomes the law should give (`lawtrace test`)."""
