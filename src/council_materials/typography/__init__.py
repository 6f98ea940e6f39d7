"""Fonts and line breaking: everything the layout stage needs to set text."""
