"""DrawingML colours as RGB: a template's colour scheme, its colour map, and the colour modifiers.

Input: a colour element of a template's part (``a:srgbClr``, ``a:schemeClr``, ``a:sysClr``,
``a:prstClr``, with modifiers), the theme's colour scheme and the master's colour map. Output: the
colour as ``RRGGBB``, or :class:`Undrawable` naming what cannot be drawn the same way in a PDF
(transparency, a modifier this module does not know). ``lighter`` is PowerPoint's "lighter 80 %"
of a colour (``lumMod`` 20 %, ``lumOff`` 80 %), the meeting's light accent when a template gives
none.
"""
from __future__ import annotations

import colorsys
from typing import Any, Mapping

__all__ = ["Undrawable", "Scheme", "rgb_of", "lighter", "LIGHTER", "SCHEME_SLOTS"]

SCHEME_SLOTS = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
                "hlink", "folHlink")
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
LIGHTER = (20000, 80000)
"""``lumMod``, ``lumOff`` of PowerPoint's "lighter 80 %" (its colour picker's first tint of a colour)."""
_PRESET = {"black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "008000", "blue": "0000FF",
           "yellow": "FFFF00", "gray": "808080", "grey": "808080", "darkGray": "A9A9A9", "lightGray": "D3D3D3",
           "navy": "000080", "orange": "FFA500"}
_IGNORED = {"alpha"}  # at 100 %: nothing to do


class Undrawable(ValueError):
    """Something of a template that the PDF cannot draw as PowerPoint does (the message says what)."""


class Scheme:
    """A template's colours: the theme's scheme (``dk1`` … ``folHlink``) and the master's map from the names
    shapes use (``tx1``, ``bg1``…) to those slots."""

    def __init__(self, colours: Mapping[str, str], mapping: Mapping[str, str]) -> None:
        self.colours = dict(colours)
        self.mapping = dict(mapping)

    def slot(self, name: str) -> str:
        """The scheme slot a name stands for (``tx1`` → ``dk1`` with the usual map)."""
        return self.mapping.get(name, name)

    def value(self, name: str) -> str:
        colour = self.colours.get(self.slot(name))
        if colour is None:
            raise Undrawable(f"the scheme colour {name!r}, which the theme does not define")
        return colour


def _hex(red: float, green: float, blue: float) -> str:
    return "".join(f"{max(0, min(255, int(round(v * 255)))):02X}" for v in (red, green, blue))


def _channels(value: str) -> tuple[float, float, float]:
    number = int(value, 16)
    return (number >> 16 & 255) / 255, (number >> 8 & 255) / 255, (number & 255) / 255


def modified(value: str, lum_mod: int = 100000, lum_off: int = 0) -> str:
    """``value`` with its HSL luminance scaled by ``lum_mod`` and moved by ``lum_off`` (1/1000 %), as
    PowerPoint applies ``a:lumMod`` and ``a:lumOff``."""
    hue, light, saturation = colorsys.rgb_to_hls(*_channels(value))
    light = min(1.0, max(0.0, light * lum_mod / 100000 + lum_off / 100000))
    return _hex(*colorsys.hls_to_rgb(hue, light, saturation))


def lighter(value: str) -> str:
    """PowerPoint's "lighter 80 %" of ``value``."""
    return modified(value, *LIGHTER)


def _tint(value: str, amount: float, shade: bool) -> str:
    """``a:tint`` (towards white) or ``a:shade`` (towards black), in linear RGB as DrawingML defines them."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    def gamma(c: float) -> float:
        return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055
    out = []
    for c in _channels(value):
        lin = linear(c)
        lin = lin * amount if shade else 1 - (1 - lin) * amount
        out.append(gamma(min(1.0, max(0.0, lin))))
    return _hex(*out)


def rgb_of(element: Any, scheme: Scheme, placeholder: str | None = None) -> str:
    """``RRGGBB`` of a colour element (``a:srgbClr``…) with its modifiers; ``placeholder`` is what
    ``phClr`` stands for (in a theme's style lists)."""
    tag = element.tag.replace(_A, "")
    val = element.get("val", "")
    if tag == "srgbClr":
        base = val.upper()
    elif tag == "schemeClr":
        if val == "phClr":
            if placeholder is None:
                raise Undrawable("a placeholder colour (phClr) outside a theme style")
            base = placeholder
        else:
            base = scheme.value(val)
    elif tag == "sysClr":
        base = (element.get("lastClr") or {"windowText": "000000", "window": "FFFFFF"}.get(val, "")).upper()
    elif tag == "prstClr" and val in _PRESET:
        base = _PRESET[val]
    else:
        raise Undrawable(f"a colour given as {tag} {val!r}")
    if len(base) != 6 or any(ch not in "0123456789ABCDEF" for ch in base):
        raise Undrawable(f"a colour {base!r} that is not RGB")
    lum_mod, lum_off = 100000, 0
    for modifier in element:
        name = modifier.tag.replace(_A, "")
        try:
            amount = int(modifier.get("val", "100000"))
        except ValueError:
            raise Undrawable(f"a colour modifier {name} of {modifier.get('val')!r}") from None
        if name == "lumMod":
            lum_mod = amount
        elif name == "lumOff":
            lum_off = amount
        elif name in ("tint", "shade"):
            base = _tint(modified(base, lum_mod, lum_off), amount / 100000, name == "shade")
            lum_mod, lum_off = 100000, 0
        elif name in _IGNORED and amount >= 100000:
            continue
        elif name in _IGNORED:
            raise Undrawable(f"a transparent colour ({name} {amount / 1000:g} %)")
        else:
            raise Undrawable(f"a colour modifier {name!r}")
    return modified(base, lum_mod, lum_off) if (lum_mod, lum_off) != (100000, 0) else base
