"""Proofs over every case the bounds allow (`lawtrace prove`): the compiled IR translated to SMT (Z3).

Stages: `encode` translates nodes, `items` the items as results report them, `properties` states the built-in
properties and the statutes' assertions, `witness` turns a model into a case file and confirms it with the
ordinary evaluator, `run` drives them with a time-out. It reads the IR and the single-case evaluator; nothing in
`engine` imports it.
"""
