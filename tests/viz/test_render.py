"""Rendering: valid SVG/PNG/PDF with Graphviz, saving by extension, and clear errors
(with install instructions) when Graphviz's ``dot`` is missing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from chainrule import viz

from ._helpers import needs_dot, square_of_affine, without_dot


@pytest.fixture
def graph():
    x, y = square_of_affine()
    y.backward(retain_graph=True)
    return viz.draw(y, names={"x": x, "y": y})


@needs_dot
def test_svg_is_valid_xml_with_one_group_per_node(graph):
    svg = graph.to_svg()
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    groups = [g for g in root.iter() if g.get("class") == "node"]
    assert len(groups) == len(graph.nodes) == 7  # 4 values + 3 constants
    assert "grad 30" in svg
    assert graph._repr_svg_() == svg


@needs_dot
@pytest.mark.parametrize(
    "ext, magic",
    [(".png", b"\x89PNG\r\n\x1a\n"), (".pdf", b"%PDF"), (".svg", b"<?xml"), (".dot", b"digraph")],
)
def test_save_picks_the_format_from_the_extension(graph, tmp_path, ext, magic):
    path = tmp_path / f"g{ext}"
    assert graph.save(path) == str(path)
    assert path.read_bytes().startswith(magic)


def test_save_rejects_unknown_extensions(graph, tmp_path):
    with pytest.raises(ValueError, match=r"\.svg"):
        graph.save(tmp_path / "g.jpeg")


def test_without_dot_to_dot_works_and_rendering_says_how_to_install(graph, monkeypatch, tmp_path):
    without_dot(monkeypatch)
    assert not viz.dot_available()
    assert graph.to_dot().startswith("digraph")
    with pytest.raises(viz.GraphvizNotFound, match="apt-get install graphviz") as info:
        graph.to_svg()
    assert "to_dot()" in str(info.value)
    with pytest.raises(viz.GraphvizNotFound):
        graph.save(tmp_path / "g.png")
    assert not (tmp_path / "g.png").exists()
    graph.save(tmp_path / "g.dot")  # DOT needs no Graphviz
    assert (tmp_path / "g.dot").read_text().startswith("digraph")
    assert graph._repr_svg_() is None  # notebooks fall back to the text repr


def test_dot_text_escapes_html_in_labels():
    import chainrule as cr

    a = cr.tensor(1.0, requires_grad=True)
    g = viz.draw(a * 2.0, names={"<a&b>": a})
    dot = g.to_dot()
    assert "&lt;a&amp;b&gt;" in dot and "<a&b>" not in dot
