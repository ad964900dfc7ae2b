"""The dependency graph of a program: an edge from each node to every node whose rule reads it.

Guarantees: the graph is acyclic (a cycle is an error that shows every edge
with the place of the reference). networkx checks it at compile time only: the
Program keeps it as plain data (`ir.DepGraph`: nodes, edges, a topological order),
so running a compiled program never imports a graph library. Exports to dot,
GraphML and Mermaid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from dsl.errors import LawtraceError, SourceError, raise_collected
from dsl.source import SourceFile, Span
from engine.model import ir

if TYPE_CHECKING:
    import networkx as nx


def build_graph(nodes: dict[str, ir.Node], benefits: list[ir.Benefit], edges: list[tuple[str, str, Span]],
                sources: dict[str, SourceFile]) -> ir.DepGraph:
    import networkx as nx

    g = nx.DiGraph()
    for n in nodes.values():
        g.add_node(n.id, kind=n.kind, type=str(n.type), label_zh=n.labels.zh, label_en=n.labels.en,
                   citations="; ".join(c.en() for c in n.cites), span=str(n.span))
    for b in benefits:
        g.add_node(b.id, kind="benefit", type="item", label_zh=b.labels.zh, label_en=b.labels.en,
                   citations="; ".join(c.en() for c in b.cites), span=str(b.span))
        for field_id in b.fields.values():
            g.add_edge(field_id, b.id, span=str(b.span))
        for p in b.parts:
            g.add_edge(p.amount, b.id, span=str(b.span))
            g.add_edge(p.payer, b.id, span=str(b.span))
    for src, dst, span in edges:
        if not g.has_edge(src, dst):
            g.add_edge(src, dst, span=str(span), _span=span)
    _check_cycles(g, sources)
    return ir.DepGraph(tuple(ir.GraphNode(n, **{k: v for k, v in data.items() if not k.startswith("_")})
                             for n, data in g.nodes(data=True)),
                       tuple((a, b, data.get("span", "")) for a, b, data in g.edges(data=True)),
                       tuple(nx.lexicographical_topological_sort(g)))


def _check_cycles(g: nx.DiGraph, sources: dict[str, SourceFile]) -> None:
    import networkx as nx

    errors: list[LawtraceError] = []
    for component in nx.strongly_connected_components(g):
        if len(component) == 1:
            only = next(iter(component))
            if not g.has_edge(only, only):
                continue
        cycle = nx.find_cycle(g.subgraph(component))
        first_span: Span | None = g.edges[cycle[0]].get("_span")
        related = tuple((f"{a} is read by {b}", g.edges[a, b].get("_span") or first_span) for a, b in cycle)
        names = " → ".join([a for a, _ in cycle] + [cycle[0][0]])
        errors.append(SourceError(f"these rules depend on each other in a cycle: {names}", first_span,
                                  sources.get(first_span.file) if first_span else None, related=related))
    raise_collected(errors)


def _attrs(n: ir.GraphNode) -> dict[str, str]:
    return {k: v for k, v in msgspec.structs.asdict(n).items() if k != "id"}


def to_mermaid(g: ir.DepGraph) -> str:
    def safe(n: str) -> str:
        return n.replace(".", "__")

    lines = ["graph LR"]
    for n, data in sorted((x.id, _attrs(x)) for x in g.nodes):
        shape = ("([", "])") if data.get("kind") == "fact" else ("[[", "]]") if data.get("kind") == "benefit" else ("[", "]")
        lines.append(f"  {safe(n)}{shape[0]}\"{n}<br/>{data.get('label_zh', '')}\"{shape[1]}")
    for a, b in sorted((a, b) for a, b, _ in g.edges):
        lines.append(f"  {safe(a)} --> {safe(b)}")
    return "\n".join(lines) + "\n"


def to_dot(g: ir.DepGraph) -> str:
    lines = ["digraph lawtrace {", "  rankdir=LR;"]
    for n, data in sorted((x.id, _attrs(x)) for x in g.nodes):
        shape = {"fact": "ellipse", "benefit": "doubleoctagon", "parameter": "note"}.get(data.get("kind", ""), "box")
        label = f"{n}\\n{data.get('label_zh', '')}\\n{data.get('citations', '')}".replace('"', "'")
        lines.append(f'  "{n}" [shape={shape}, label="{label}"];')
    for a, b in sorted((a, b) for a, b, _ in g.edges):
        lines.append(f'  "{a}" -> "{b}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_graphml(g: ir.DepGraph) -> str:
    import networkx as nx

    clean = nx.DiGraph()
    for n in g.nodes:
        clean.add_node(n.id, **(_attrs(n) if n.kind else {}))
    for a, b, span in g.edges:
        clean.add_edge(a, b, span=span)
    return "\n".join(nx.generate_graphml(clean)) + "\n"
