"""Write docs/slide-kinds.md and its pictures (docs/images/kind-NAME.png) from a real build.

Input: the core's built-in slide kinds (their models, descriptions and the
examples below) and the example meeting's pictures. Output: the reference of
every built-in kind, with its fields (generated from the models) and a
picture of its example, built by ``council_materials.build`` and rendered
with poppler's ``pdftoppm`` at 40 dpi to keep the files small.

    python docs/make_slide_kind_pictures.py     # from the repository root; needs pdftoppm

``tests/test_docs.py`` fails when the Markdown drifts from what this writes.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from pydantic import BaseModel

from council_materials.build import build
from council_materials.models import SlideBase
from council_materials.plugins import BUILTIN, Registry, get_plugin_manager

sys.path.insert(0, str(Path(__file__).resolve().parent))
from model_tables import field_table, parts_of  # noqa: E402

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
PICTURES = ROOT / "examples" / "council-120" / "images"

EXAMPLES = {  # one slide per kind, as a `slides` content file would have it
    "section": """\
kind: section
subtitle: 議題1
title: 令和6年度の活動について
lines: [DX・AIの活用, 国際発信力の強化, 技術職員の確保と育成]
""",
    "bullets": """\
kind: bullets
title: 検討の進め方
items:
  - 各局の取組を **共有** し、課題を整理する
  - text: 部会ごとに検討する
    children: [生産性向上・働き方改革部会, 国際発信力強化部会]
  - ※ 詳細は別紙のとおり
""",
    "cards": """\
kind: cards
title: 主な取組
columns: 2
cards:
  - heading: 遠隔臨場の拡大
    tag: 施工Phase
    fields:
      - {label: ①目的, text: 移動時間を削減し、監督業務を効率化する}
      - {label: ②効果, items: [移動時間 約3割減, 立会いの日程調整が容易に]}
  - heading: AIによる設計照査
    tag: 設計Phase
    fields:
      - {label: ①目的, text: 照査の抜け漏れを防ぐ}
""",
    "table": """\
kind: table
title: 支援の概要
items: [都内の技術系職員を対象に、奨学金の返還を支援する]
table:
  widths: [1, 3]
  rows:
    - [項目, 内容]
    - [対象, 採用後5年以内の技術系職員]
    - [支援額, {text: 年間 最大36万円, align: center}]
caption: 奨学金返還支援の概要
""",
    "comparison": """\
kind: comparison
title: 点検業務の将来像
left: {heading: 現状・課題, items: [目視による点検が中心, 熟練職員の退職]}
right: {heading: 将来像, items: [ドローンとAIで点検, データを蓄積して予防保全]}
arrow: DX
""",
    "figures": """\
kind: figures
title: 令和6年度の実績
figures:
  - {label: 渡航, value: "12", unit: 都市}
  - {label: 発表, value: "30", unit: 件}
  - {label: 参加者, value: "1,200", unit: 名, note: 延べ人数}
""",
    "roadmap": """\
kind: roadmap
title: 導入のロードマップ
phase: 施工Phase
rows:
  - {label: 遠隔臨場, steps: [試行, 拡大, 原則化], goal: 監督業務の効率化}
  - {label: ICT施工, steps: [モデル工事, 対象工種の拡大, null], goal: null}
""",
    "event_report": """\
kind: event_report
title: 国際会議への参加
overview: [都の技術を海外に発信した]
events:
  - name: シンガポール国際水週間
    owner: 水道局・下水道局
    period: 6月18日～6月20日
    place: シンガポール
    activities: [ブースの出展, 首長フォーラムでの講演]
    photos: [{path: images/international/pub-siww-2024.png, caption: 出展の様子}]
next_year: 次年度も継続して参加する
""",
    "image": """\
kind: image
title: 現場の様子
items: [ドローンによる橋梁点検, 点検結果はAIで判定]
photos:
  - {path: images/dx/water-pipe-bridge-drone.png, caption: 水管橋の点検}
  - {path: images/dx/remote-inspection.png, caption: 遠隔臨場}
""",
    "panels": """\
kind: panels
title: 取組の全体像
columns: 2
panels:
  - {heading: 採用, items: [大学訪問, オンライン説明会]}
  - {heading: 育成, items: [現場研修, ICT講習], photos: [{path: images/talent/ict-lecture.png, caption: ICT講習}]}
footer_panel: {heading: 次年度に向けて, text: 採用と育成を一体で進める}
""",
    "chart": """\
kind: chart
title: 説明会の参加者
items: [オンライン開催で参加者が増えた]
charts:
  - title: 参加者数
    categories: [令和4年度, 令和5年度, 令和6年度]
    series:
      - {name: 対面, values: [120, 140, 150]}
      - {name: オンライン, values: [80, 160, 230]}
    unit: 名
  - type: pie
    title: 参加者の内訳
    categories: [大学生, 大学院生, 社会人]
    series: [{name: 内訳, values: [60, 25, 15]}]
    unit: "%"
""",
}

MEETING = """\
council: スライドの種類
number: 1
date: 2025-02-20
start: "16:00"
end: "17:00"
agenda: {topics: [{title: 一覧}]}
materials:
"""


def builtin_kinds(registry: Registry) -> list[str]:
    """The core's own kinds, in the order it registers them."""
    return [name for name in registry.slide_kinds if registry.owners[f"kind:{name}"] == BUILTIN]


def render_markdown(registry: Registry) -> str:
    """The text of docs/slide-kinds.md."""
    base = [name for name in SlideBase.model_fields if name != "kind"]
    lines = [
        "# Slide kinds",
        "",
        "<!-- Written by docs/make_slide_kind_pictures.py from the models: edit those, then run it. -->",
        "",
        "Every page of a material is a slide of one of these kinds. A `slides` material lists them in its",
        "content file (`slides:` then one mapping per slide, each starting with `kind:`); a plugin builds them",
        "from its own content. Each picture is the example below it, built with the bundled font at A4",
        "landscape.",
        "",
        f"Every kind also has the fields {', '.join(f'`{n}`' for n in base)}: a small running line above the",
        "title, the title, a subtitle under it, and footnotes (※ …) at the bottom of the page. Text fields",
        "take `**…**` for bold.",
        "",
    ]
    parts: dict[str, type[BaseModel]] = {}
    for name in builtin_kinds(registry):
        model = registry.slide_kinds[name].model
        same = tuple(n for n in base if repr(model.model_fields[n]) == repr(SlideBase.model_fields[n]))
        lines += [f"## `{name}`", "", (model.__doc__ or "").strip(), "", f"![{name}](images/kind-{name}.png)", "",
                  *field_table(model, ("kind", *same)), "", "```yaml", EXAMPLES[name].rstrip("\n"), "```", ""]
        parts_of(model, parts)
    lines += ["## Shared parts", ""]
    for part_name, model in sorted(parts.items()):
        lines += [f"### {part_name}", "", (model.__doc__ or "").strip(), "", *field_table(model), ""]
    return "\n".join(lines)


def make_pictures(registry: Registry, out: Path) -> list[Path]:
    """Build one material per kind from its example and render its first page into ``out``."""
    names = builtin_kinds(registry)
    with tempfile.TemporaryDirectory() as temp:
        meeting = Path(temp) / "meeting"
        shutil.copytree(PICTURES, meeting / "images")
        text = MEETING
        for name in names:
            text += f"  - {{id: {name.replace('_', '-')}, title: {name}, source: slides, content: {name}.yaml}}\n"
            (meeting / f"{name}.yaml").write_text("slides:\n" + "".join(
                f"  {'- ' if i == 0 else '  '}{line}\n" for i, line in enumerate(EXAMPLES[name].splitlines())),
                encoding="utf-8")
        (meeting / "meeting.yaml").write_text(text, encoding="utf-8")
        (meeting / "roster.yaml").write_text("chair: {post: 座長, name: 座長, specialty: 土木}\n", encoding="utf-8")
        build(meeting, Path(temp) / "out", get_plugin_manager(load_entrypoints=False), ("pdf",))
        written = []
        out.mkdir(parents=True, exist_ok=True)
        for number, name in enumerate(names, 1):
            pdf = Path(temp) / "out" / f"{number:02d}_資料{number}_{name}.pdf"
            target = out / f"kind-{name}"
            subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf),
                            str(target)], check=True)
            written.append(target.with_suffix(".png"))
        return written


def main() -> None:
    registry = Registry.from_plugin_manager(get_plugin_manager(load_entrypoints=False))
    missing = [name for name in builtin_kinds(registry) if name not in EXAMPLES]
    if missing:
        sys.exit(f"add an example to EXAMPLES for: {', '.join(missing)}")
    for example in EXAMPLES.values():
        yaml.safe_load(example)
    (DOCS / "slide-kinds.md").write_text(render_markdown(registry), encoding="utf-8")
    for path in make_pictures(registry, DOCS / "images"):
        print(f"wrote {path.relative_to(ROOT)}")
    print("wrote docs/slide-kinds.md")


if __name__ == "__main__":
    main()
