"""Write models/generx_bio_sm/MODEL_CARD.md from its template, models/metrics.json and the files' sha256."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODEL = HERE / "generx_bio_sm"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main() -> None:
    metrics = json.loads((HERE / "metrics.json").read_text())
    files = sorted(p for p in MODEL.rglob("*") if p.is_file() and p.name != "MODEL_CARD.md")
    rows = [f"| `{p.relative_to(MODEL)}` | {p.stat().st_size} | `{sha256(p)}` |" for p in files]
    card = (HERE / "MODEL_CARD.template.md").read_text()
    card = card.replace("{metrics}", json.dumps(metrics, indent=2, sort_keys=True))
    card = card.replace("{megabytes:.1f}", f"{sum(p.stat().st_size for p in files) / 1e6:.1f}")
    (MODEL / "MODEL_CARD.md").write_text(card.replace("{files}", "\n".join(rows)) + "\n")


if __name__ == "__main__":
    main()
