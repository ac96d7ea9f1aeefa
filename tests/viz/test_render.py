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


def _graph_label_lines(dot: str) -> list[str]:
    import re

    label = re.search(r'graph \[.*label="(.*?)"\];', dot).group(1)
    return [line for line in label.split("\\l") if line]


def test_notes_are_on_top_and_wrapped_so_a_small_picture_stays_small():
    import chainrule as cr

    x = cr.tensor(1.0, requires_grad=True)
    y = (3 * x + 2) ** 2
    y.backward()  # freed: a long note
    dot = viz.draw(y).to_dot()
    assert 'labelloc="t"' in dot
    lines = _graph_label_lines(dot)
    assert len(lines) >= 3 and lines[0].startswith("backward() freed")
    assert max(len(line) for line in lines[:-1]) <= max(100, len(lines[-1]))  # the legend


def test_direction_fits_the_picture_to_a_screen():
    import numpy as np

    import chainrule as cr
    import chainrule.numpy as cnp

    x, y = square_of_affine()
    assert viz.draw(y).rankdir == "LR"  # small scalar graph: the way it is written
    rng = np.random.default_rng(0)
    w = cr.tensor(rng.normal(size=(50, 40)), requires_grad=True)
    wide = cnp.mean(cnp.tanh(cr.tensor(rng.normal(size=(30, 50))) @ w) ** 2)
    assert viz.draw(wide).rankdir == "TB"  # six wide array boxes in a row: too wide
    z = x
    for i in range(30):  # a long chain with no repeats: scroll down, don't shrink
        z = [cnp.sin, cnp.cos, cnp.tanh, cnp.exp, cnp.arctan][i % 5](z) * (1 + 0.1 * (i % 7))
    assert viz.draw(z, collapse_repeats=False).rankdir == "TB"


def test_index_and_static_arguments_are_written_as_numpy_would():
    import numpy as np

    from chainrule.viz.format import index_text, static_text

    assert index_text((slice(None), 0)) == "[:, 0]"
    assert index_text((None, Ellipsis, slice(1, None, 2))) == "[None, ..., 1::2]"
    assert index_text((np.array([0, 2]),)) == "[int array (2,)]"
    many = tuple(np.zeros((2, 1, 1), int) for _ in range(4))
    assert index_text(many) == "[4 index arrays, broadcast to (2, 1, 1)]"
    assert static_text(np.zeros((3, 4), np.int64)) == "array (3, 4) int64"


def test_saving_never_follows_a_symlink_at_the_old_temporary_name(graph, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / "g.dot.tmp").symlink_to(victim)
    graph.save(tmp_path / "g.dot")
    assert victim.read_text() == "keep me"
    assert (tmp_path / "g.dot").read_text().startswith("digraph")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.dot", "g.dot.tmp", "victim.txt"]


def test_a_directory_as_output_is_refused_and_leaves_no_temporary_file(graph, tmp_path):
    (tmp_path / "out.dot").mkdir()
    with pytest.raises(IsADirectoryError, match="directory"):
        graph.save(tmp_path / "out.dot")
    assert [p.name for p in tmp_path.iterdir()] == ["out.dot"]


def test_a_failed_write_removes_its_temporary_file(graph, tmp_path, monkeypatch):
    import os

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        graph.save(tmp_path / "g.dot")
    assert list(tmp_path.iterdir()) == []
