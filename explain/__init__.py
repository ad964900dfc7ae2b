"""Render results and traces as text, Markdown and HTML, in Chinese and English, through jinja2 templates."""

from explain.render import render_explanation, render_questions, render_result

__all__ = ["render_explanation", "render_questions", "render_result"]
