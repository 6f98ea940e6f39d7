"""The one chart model: categories, series of values, unit, labels.

Input: a mapping from a content file (or a plugin's builder). Output: a
validated ``ChartData`` that the layout stage turns into a ``Chart``
primitive: a native, editable chart in PPTX and the same chart drawn with
the same colours, order, labels and legend in PDF. Every name is ``Text``, so
characters that would break the chart XML are refused here, once.
"""
from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from .base import StrictModel
from .meeting import Color
from .text import Text

__all__ = ["ChartType", "ChartSeries", "ChartData"]

ChartType = Literal["bar", "stacked", "stacked_100", "pie", "doughnut", "line"]
"""``bar``: bars side by side; ``stacked``: one bar per category made of the series;
``stacked_100``: the same scaled to 100 % (survey answers); ``pie``/``doughnut``: one series,
one slice per category; ``line``: one line per series."""

MAX_VALUE = 1e15
MIN_VALUE = 1e-6


def _printable(value: float) -> float:
    if abs(value) > MAX_VALUE or 0 < abs(value) < MIN_VALUE:
        raise ValueError(f"a chart value must be 0 or between {MIN_VALUE:g} and {MAX_VALUE:g} in size (values are "
                         "printed with at most 3 decimals): use a unit such as 千, 万 or 億, or %")
    return value


Value = Annotated[float, Field(allow_inf_nan=False), AfterValidator(_printable)]
"""A value of a chart, of a size the axis and labels can show."""


def _unit(value: str) -> str:
    if '"' in value or "\\" in value:
        raise ValueError('a unit cannot contain " or \\')
    return value


Unit = Annotated[Text, AfterValidator(_unit), Field(max_length=12)]
"""A unit printed after values; no ``"`` or ``\\`` (they would end the number format's quoted text)."""


class ChartSeries(StrictModel):
    """One series: its name (legend entry) and one value per category (``null``: no value)."""

    name: Text
    values: list[Value | None] = Field(min_length=1)


class ChartData(StrictModel):
    """A chart from data; the layout places it once, both outputs draw it natively."""

    type: ChartType = "bar"
    horizontal: bool = Field(False, description="Bars grow to the right, categories run top to bottom "
                                                "(bar and stacked types only)")
    title: Text | None = Field(None, description="Printed above the chart")
    categories: list[Text] = Field(min_length=1, max_length=40)
    series: list[ChartSeries] = Field(min_length=1, max_length=12)
    unit: Unit | None = Field(None, description="Printed after every value, e.g. 回, %, 名")
    decimals: int = Field(0, ge=0, le=3, strict=True, description="Digits after the decimal point of printed values")
    value_labels: bool = Field(True, description="Print each value on its bar, slice or point")
    legend: bool | None = Field(None, description="Show the legend; default: with more than one series, "
                                                  "and always for pie and doughnut")
    colors: list[Color] = Field(default_factory=list, description="Colours of the series (bar, line) or of "
                                "the slices (pie, doughnut), in order; default: the theme's palette")
    axis_min: Value | None = Field(None, description="Lowest value of the value axis; default: a round value "
                                   "at or below zero and the smallest value (bar, stacked, line types)")
    axis_max: Value | None = Field(None, description="Highest value of the value axis, e.g. 100 for rates in %; "
                                   "default: a round value at or above the largest (bar, stacked, line types)")
    note: Text | None = Field(None, description="A line under the chart, e.g. ※グラフは表示例（数値は仮）")
    alt: Text | None = Field(None, description="Alternative text; defaults to the title")

    @model_validator(mode="after")
    def _consistent(self) -> "ChartData":
        count = len(self.categories)
        for number, series in enumerate(self.series, 1):
            if len(series.values) != count:
                raise ValueError(f"series {number} ({series.name!r}) has {len(series.values)} values, "
                                 f"expected one per category ({count})")
        values = [v for s in self.series for v in s.values if v is not None]
        if not values:
            raise ValueError("the chart has no values")
        if self.type in ("pie", "doughnut"):
            if len(self.series) != 1:
                raise ValueError(f"a {self.type} chart has exactly one series, got {len(self.series)}")
            if any(v < 0 for v in values) or math.fsum(values) <= 0:
                raise ValueError(f"a {self.type} chart needs values of zero or more with a positive sum")
        if self.type in ("stacked", "stacked_100") and any(v < 0 for v in values):
            raise ValueError(f"a {self.type} chart needs values of zero or more")
        if self.horizontal and self.type not in ("bar", "stacked", "stacked_100"):
            raise ValueError(f"'horizontal' applies to bar charts, not to {self.type}")
        self._axis_holds_values(values)
        return self

    def _axis_holds_values(self, values: list[float]) -> None:
        """A fixed axis end applies to a value axis and leaves every value (every stack) on the axis."""
        if self.axis_min is None and self.axis_max is None:
            return
        if self.type in ("pie", "doughnut", "stacked_100"):
            raise ValueError(f"axis_min and axis_max apply to bar, stacked and line charts, not to {self.type}")
        if self.axis_min is not None and self.axis_max is not None and self.axis_min >= self.axis_max:
            raise ValueError(f"axis_min ({self.axis_min:g}) must be below axis_max ({self.axis_max:g})")
        if self.type == "stacked":
            values = [math.fsum(v or 0.0 for v in column) for column in zip(*(s.values for s in self.series))]
        if self.axis_max is not None and max(values) > self.axis_max:
            raise ValueError(f"a value ({max(values):g}) is above axis_max ({self.axis_max:g})")
        if self.axis_min is not None and min(values) < self.axis_min:
            raise ValueError(f"a value ({min(values):g}) is below axis_min ({self.axis_min:g})")

    @property
    def shows_legend(self) -> bool:
        if self.legend is not None:
            return self.legend
        return self.type in ("pie", "doughnut") or len(self.series) > 1
