"""The rules bundle: everything the calculator needs from policy/, as one JSON document.

The calculator never contains a figure; it loads this file (in the browser and on the command
line). Its `version` is a hash of the content, so a page, a cached file and a result can say
exactly which rules they used, and a changed policy always gets a new file name.

    python -m scripts.bundle.rules_bundle [out_path]      writes build/rules.json by default
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Mapping

from scripts.policy import POLICY_DIR, PolicyError, load_policy

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "build" / "rules.json"


def canonical_json(data: Any) -> str:
    """One spelling per content: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


# What the engine reads of a measure (subsidy_calculator/engine.py); the rest (summary, sources,
# change log, documents, contacts) is on the pages and in the open data, and would only be
# downloaded and parsed by every visitor's browser for nothing.
_MEASURE_KEYS = ("id", "number", "notice", "title", "in_force", "figures", "benefits")
_NOT_READ = ("rests_on",)   # of a benefit or a condition: which sentence of the notice it rests on


def _engine_measure(measure: dict[str, Any]) -> dict[str, Any]:
    out = {k: measure[k] for k in _MEASURE_KEYS if k in measure}
    how = (measure.get("apply") or {}).get("how")
    if how is not None:
        out["apply"] = {"how": how}
    out["benefits"] = [{**{k: v for k, v in b.items() if k not in _NOT_READ},
                        **({"conditions": [{k: v for k, v in c.items() if k not in _NOT_READ}
                                           for c in b["conditions"]]} if b.get("conditions") else {})}
                       for b in measure.get("benefits") or ()]
    return out


def build_bundle(policy: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """{"version", "notices", "recipients", "questions", "lists", "measures", "texts": {"results", "lists"}}
    from a loaded policy
    (load_policy() of policy/ when none is given, which raises PolicyError if it is invalid)."""
    if policy is None:
        policy = load_policy(POLICY_DIR)
    body = {
        # what the engine needs of each notice (its text stays on the pages)
        "notices": [{k: n[k] for k in ("id", "short_title", "in_force", "acts_on", "measures")}
                    for n in policy["notices"]],
        "recipients": policy["library"]["recipients"],
        "questions": policy["questions"],
        "lists": policy.get("lists", []),
        "measures": [_engine_measure(m) for m in policy["measures"]],
        "texts": {"results": policy.get("texts", {}).get("results"),
                  # the list check's own words (the page's are in the page)
                  "lists": {"check": (policy.get("texts", {}).get("lists") or {}).get("check")}},
    }
    version = hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()[:12]
    return {"version": version, **body}


def write_bundle(out: Path = DEFAULT_OUT, root: Path = POLICY_DIR) -> dict[str, Any]:
    """Validate, build and write the bundle (only replaced once fully written)."""
    bundle = build_bundle(load_policy(root))
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(canonical_json(bundle), encoding="utf-8")
    partial.replace(out)
    return bundle


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_OUT
    try:
        bundle = write_bundle(out)
    except PolicyError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"wrote {out} (rules version {bundle['version']}, {len(bundle['measures'])} measures)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
