"""The neighbourhood picture as DOT (kg.browse.graph): every label a well-formed quoted string."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.browse.graph import Edge, neighbourhood_dot


@dataclass
class Picture:
    iri: str
    nodes: dict[str, tuple[str, str]]
    edges: list[Edge] = field(default_factory=list)


def quoted_strings(line: str) -> list[str]:
    """The quoted strings of one DOT line, unescaped as Graphviz reads them; fails on an unterminated one."""
    out, i = [], 0
    while i < len(line):
        if line[i] != '"':
            i += 1
            continue
        i, buf = i + 1, []
        while True:
            assert i < len(line), f"unterminated string in {line!r}"
            c = line[i]
            if c == "\\":
                buf.append(line[i:i + 2])
                i += 2
                continue
            if c == '"':
                break
            buf.append(c)
            i += 1
        out.append("".join(buf))
        i += 1
    return out


def label_text(quoted: str) -> str:
    """A DOT label's text: ``\\n`` breaks removed, ``\\"`` and ``\\\\`` read back."""
    return quoted.replace("\\n", "").replace('\\"', '"').replace("\\\\", "\\")


HOSTILE = ['a"b', "x" * 11 + '"tail', "x" * 11 + "\\" + '"', '\\N\\G "} ; n9 [label="pwn"]', "行一\n行二\t列",
           '"' * 40, "\\" * 25]


def picture(labels: list[str]) -> Picture:
    nodes = {f"http://x/{i}": (label, "project") for i, label in enumerate(labels)}
    iris = list(nodes)
    return Picture(iris[0], nodes, [Edge(iris[0], iri, label) for iri, label in zip(iris[1:], labels[1:])])


def check(labels: list[str]) -> None:
    dot = neighbourhood_dot(picture(labels), url_for=lambda iri: "entity?iri=" + iri)
    lines = dot.splitlines()
    assert lines[0] == "digraph G {" and lines[-1] == "}"
    node_lines = [ln for ln in lines if ln.startswith("  n") and ln[3:4].isdigit() and "->" not in ln]
    assert len(node_lines) == len(labels)  # no node was added by a label
    for line, label in zip(node_lines, labels):
        shown = label_text(quoted_strings(line)[0])
        flat = " ".join(label.split())
        assert shown == flat or (shown.endswith("…") and flat.startswith(shown[:-1]))
    for line in lines[1:-1]:  # edges too: every string terminated, every statement closed
        quoted_strings(line)
        assert line.endswith("];")


def test_hostile_labels_stay_inside_their_strings():
    check(HOSTILE)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from('a"\\\n 中}];{'), max_size=60), min_size=1, max_size=5))
def test_any_label_stays_inside_its_string(labels):
    check(labels)
