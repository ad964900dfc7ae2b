"""A benefit item as `engine.result` reports it, in SMT terms: payable, amount, the parties, parts, the payer shown.

Guarantees: the same steps as `engine.result._item` and `item_json`: an item not payable has no amount and no
parties; `none` names nobody; the payer shown is the payer of the largest part where the item is really split
(`_split`), the statute's own payer on a tie; `undetermined` fields and whether they name a missing fact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import z3

from engine.model import ir
from engine.prove.encode import FALSE, TRUE, Encoder, Sym, _all, _any, ite, known
from engine.prove.streams import event_roots, has_streams, pick, walk

NULL = -1  # the code of a party shown as null (unknown, or nobody)


@dataclass
class PartSym:
    name: str
    amount: Sym
    payer: Sym


@dataclass
class ItemSym:
    benefit: ir.Benefit
    payable: Sym
    amount: Sym
    payer: Sym
    advance_payer: Sym
    recover_from: Sym
    parts: list[PartSym]
    shown_payer: z3.ArithRef  # the `payer` of the result JSON: a party code, or NULL
    roots: list[str]  # the nodes the item reads
    fields: dict[str, Sym]  # the fields whose unknowns the result lists in `undetermined`
    raw_payer: Sym | None = None  # the statute's payer, not gated by `payable`: where the shown payer starts
    implied: z3.BoolRef = TRUE  # what holds of the variables of the item's terms (a period walk's: `streams.Walk`)
    defined: Callable[[], z3.BoolRef] | None = None  # what defines them (a proof may do without; not a counterexample)

    @property
    def payable_true(self) -> z3.BoolRef:
        return z3.And(self.payable.known, self.payable.value)

    @property
    def undetermined(self) -> z3.BoolRef:
        """Some field of the item is unknown (an item not payable has none)."""
        return z3.And(z3.Not(z3.And(self.payable.known, z3.Not(self.payable.value))),
                      _any([z3.Not(s.known) for s in self.fields.values()]))

    @property
    def names_missing(self) -> z3.BoolRef:
        return _any([z3.And(z3.Not(s.known), s.missing) for s in self.fields.values()])

    @property
    def law_silent(self) -> z3.BoolRef:
        return _any([z3.And(z3.Not(s.known), s.silent) for s in self.fields.values()])


def shown_party(enc: Encoder, s: Sym) -> z3.ArithRef:
    """A party as the result JSON shows it: its code, or NULL for unknown and for `none`."""
    none = enc.space.code("none")
    if s.value is None:
        return z3.IntVal(NULL)
    return ite(z3.And(s.known, s.value != none), s.value, z3.IntVal(NULL))


def encode_item(enc: Encoder, b: ir.Benefit) -> ItemSym:
    """The item as the result reports it: a worker's monthly item, where the statutes declare events, as its
    period walk shows it (`streams`); any other item judged as a whole."""
    if not has_streams(enc, b):
        return _judged(enc, b)
    whole = _judged(enc, b)
    choice = walk(enc, b)
    on = _judged(enc.at(choice.day), b)
    fields = {name: pick(choice, on.fields[name], s, known(TRUE) if name == "payable" else None)
              for name, s in whole.fields.items()}
    parts = [PartSym(p.name, pick(choice, on.parts[n].amount, p.amount), pick(choice, on.parts[n].payer, p.payer))
             for n, p in enumerate(whole.parts)]
    amount = fields["amount"] if "amount" in fields else whole.amount
    item = ItemSym(b, fields["payable"], amount, fields["payer"], fields["advance_payer"], fields["recover_from"],
                   parts, z3.IntVal(NULL), whole.roots + event_roots(enc.program), fields,
                   implied=choice.implied, defined=choice.defined)
    item.shown_payer = _shown_payer(enc, item, pick(choice, on.raw_payer, whole.raw_payer))  # type: ignore[arg-type]
    return item


def _judged(enc: Encoder, b: ir.Benefit) -> ItemSym:
    """The item judged once, on the day `enc` judges (`engine.run.result._item`)."""
    f = b.fields
    payable = enc.node(f["payable"]) if "payable" in f else known(TRUE)
    nobody = known(enc.space.code("none"))

    def party(name: str) -> Sym:
        return enc.node(f[name]) if name in f else nobody

    not_payable = z3.And(payable.known, z3.Not(payable.value))

    def gated(s: Sym, nothing: object = None) -> Sym:  # an item not payable: its fields are known, and nobody
        value = s.value if nothing is None or s.value is None else ite(not_payable, nothing, s.value)
        return Sym(z3.Or(not_payable, s.known), value, z3.And(z3.Not(not_payable), s.missing),
                   z3.And(z3.Not(not_payable), s.silent))

    none = enc.space.code("none")
    payer = gated(party("payer"), none)
    advance, recover = gated(party("advance_payer"), none), gated(party("recover_from"), none)
    if b.is_range:  # the law gives a range: no single amount; the bounds are the item's fields
        amount = Sym(FALSE, None, FALSE, FALSE)
        fields = {"payable": payable, "amount_min": gated(enc.node(f["amount_min"])),
                  "amount_max": gated(enc.node(f["amount_max"]))}
    else:
        amount = gated(enc.node(f["amount"]))
        fields = {"payable": payable, "amount": amount}
    fields.update({"payer": payer, "advance_payer": advance, "recover_from": recover})
    parts = [PartSym(p.name, enc.node(p.amount), enc.node(p.payer)) for p in b.parts]
    roots = list(f.values()) + [x for p in b.parts for x in (p.amount, p.payer)]
    item = ItemSym(b, payable, amount, payer, advance, recover, parts, z3.IntVal(NULL), roots, fields, party("payer"))
    item.shown_payer = _shown_payer(enc, item, item.raw_payer)
    return item


def _shown_payer(enc: Encoder, item: ItemSym, payer: Sym) -> z3.ArithRef:
    """`item_json`'s payer: the statute's payer, or where the item is split (payable) the payer of the largest part."""
    own = shown_party(enc, payer)
    parts = item.parts
    not_payable = z3.And(item.payable.known, z3.Not(item.payable.value))
    if not parts:
        return ite(not_payable, z3.IntVal(NULL), own)
    a = item.amount
    # `_split`: parts of nothing dropped; a single part that is the whole, of the same payer, is no split
    kept = [z3.Not(z3.And(p.amount.known, p.amount.value == 0)) for p in parts]
    count = z3.Sum([z3.If(k, 1, 0) for k in kept])
    same_payer = [z3.Or(z3.And(z3.Not(p.payer.known), z3.Not(payer.known)),
                        z3.And(p.payer.known, payer.known, p.payer.value == payer.value)) for p in parts]
    whole = [z3.And(p.amount.known, a.known, p.amount.value == a.value, same_payer[i]) if a.value is not None else FALSE
             for i, p in enumerate(parts)]
    no_split = z3.Or(count == 0, _any([z3.And(count == 1, kept[i], whole[i]) for i in range(len(parts))]))
    all_known = _all([z3.Or(z3.Not(kept[i]), z3.And(p.amount.known, p.payer.known)) for i, p in enumerate(parts)])
    largest = None
    for i, p in enumerate(parts):
        v = z3.If(kept[i], p.amount.value, -1)
        largest = v if largest is None else z3.If(v > largest, v, largest)
    tied = [z3.And(kept[i], p.amount.value == largest) for i, p in enumerate(parts)]
    shown = [shown_party(enc, p.payer) for p in parts]
    own_tied = _any([z3.And(tied[i], shown[i] == own) for i in range(len(parts))])
    first_tied = z3.IntVal(NULL)
    for i in reversed(range(len(parts))):
        first_tied = z3.If(tied[i], shown[i], first_tied)
    split_payer = z3.If(own_tied, own, first_tied)
    split = z3.And(item.payable_true, z3.Not(no_split), all_known)
    return ite(not_payable, z3.IntVal(NULL), z3.If(split, split_payer, own))
