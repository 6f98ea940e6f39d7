"""A tiny meeting folder for tests: one `slides` material, one listed reference."""
from __future__ import annotations

from pathlib import Path

MEETING = """\
council: テスト会議
number: 5
date: 2025-02-20
start: "16:00"
end: "17:00"
agenda:
  topics:
    - title: 議題
      materials: [plan]
materials:
  - id: plan
    title: 計画について
    source: slides
    content: plan.yaml
references:
  - id: charter
    title: 設置要綱
"""
ROSTER = "chair: {post: 座長職, name: 山田 太郎, specialty: 土木}\n"
PLAN = """\
slides:
  - kind: bullets
    title: 計画の概要
    items:
      - 一つ目の項目
      - text: 二つ目の項目
        children: [詳細]
  - kind: section
    title: 第2部
"""


def write_meeting(tmp_path: Path, plan: str = PLAN, meeting: str = MEETING) -> Path:
    root = tmp_path / "meeting"
    root.mkdir()
    (root / "meeting.yaml").write_text(meeting, encoding="utf-8")
    (root / "roster.yaml").write_text(ROSTER, encoding="utf-8")
    (root / "plan.yaml").write_text(plan, encoding="utf-8")
    return root




def outputs(folder: Path) -> list[str]:
    """The names of the files in an output folder, without the tool's hidden manifest."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
