"""The page in a real headless browser: type, read, slide, step."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def page(browser, server_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server_url + "/")
    page.wait_for_selector("#derivation .katex")
    yield page
    context.close()


def _derive(page, text: str) -> None:
    page.fill("#expr", text)
    page.click("#expr-form button")


def test_derivation_is_rendered_with_rules_and_the_derivative_at_the_point(page):
    _derive(page, "sin(x)^2")
    page.wait_for_function("document.querySelector('#derivation').textContent.includes('sin')")
    math = " ".join(page.inner_text("#derivation").replace("\xa0", " ").split())
    assert "Chain rule:" in math and "Power rule:" in math and "Result:" in math
    assert "Chain rule" in page.inner_text("#rules")
    assert page.locator("#derivation .katex-display").count() == 1  # KaTeX, not raw LaTeX
    # at x = 1: d/dx sin(x)^2 = 2 sin(1) cos(1) = sin(2)
    assert float(page.inner_text("#derivative")) == pytest.approx(0.909297, abs=1e-6)


def test_the_slider_moves_the_point_and_the_graph_follows(page):
    _derive(page, "(3x+2)^2")
    page.wait_for_function("document.querySelector('#graph svg') !== null")
    page.wait_for_function("document.querySelector('#derivative').textContent === '30'")
    before = page.inner_text("#graph")
    assert "grad 30" in before  # x's box at x = 1: ∂f/∂x = 6(3x+2) = 30
    page.fill("#value-x", "2")
    page.dispatch_event("#value-x", "change")
    page.wait_for_function("document.querySelector('#derivative').textContent === '48'")
    assert page.input_value("#slider-x") == "2"
    page.wait_for_function("document.querySelector('#graph').textContent.includes('grad 48')")
    # hovering x's box shows the chain-rule product that gives its gradient
    page.hover("#graph g.node:has(title:text-is('n0'))")
    assert re.search(r"∂f/∂x = 48", page.inner_text("#hover"))


def test_bad_input_shows_the_parsers_message_next_to_the_box(page):
    _derive(page, "x^(10^10)")
    page.wait_for_selector("#expr-error:not([hidden])")
    assert "too large" in page.inner_text("#expr-error")
    _derive(page, "(" * 100_000 + "x" + ")" * 100_000)
    page.wait_for_function("document.querySelector('#expr-error').textContent.includes('long')")
    _derive(page, "x^3")
    page.wait_for_selector("#expr-error", state="hidden")
    assert page.inner_text("#derivative") == "3"


def test_step_lowers_the_loss_and_changes_w1(page):
    page.click("#net-reset")
    page.wait_for_function("document.querySelector('#net-steps').textContent === '0'")
    first = float(page.inner_text("#net-loss"))
    page.click("#net-step")
    page.wait_for_function("document.querySelector('#net-steps').textContent === '1'")
    assert float(page.inner_text("#net-loss")) < first
    assert float(page.inner_text("#net-change")) > 0
    assert "∂L/∂W1" in page.inner_text("#net-explanation")
    page.click("#net-train")
    page.wait_for_function("Number(document.querySelector('#net-steps').textContent) >= 11")
    page.click("#net-train")  # stop
    page.wait_for_function("document.querySelector('#net-train').textContent === 'Train'")
    assert float(page.inner_text("#net-loss")) < first


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_the_page_fits_the_screen(browser, server_url, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(server_url + "/")
    page.wait_for_selector("#graph svg")
    page.wait_for_function("document.querySelector('#net-steps').textContent !== '–'")
    # nothing wider than the screen: no sideways scrolling of the page itself
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for selector in ["#expr", "#slider-x", "#net-step", "#net-train"]:
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, selector
    context.close()
