"""Hostile text for tests: strings that try to drive a terminal or a UI, and the shipped
lambda-vpc scenario with them in every field that reaches a screen (issue 10, part 1).

    from vpctui.testing.hostile import CORPUS, hostile_scenario, RAW_FROM_DATA
    doc = hostile_scenario(CORPUS["osc52"])   # a dict; yaml.safe_dump it to a file

``RAW_FROM_DATA`` finds what must never reach a terminal from data: an ESC that starts an OSC,
a DCS/APC/PM/SOS string, a screen clear or a title; a C1 control; a bidi override.
"""

from __future__ import annotations

import copy
import re
from importlib import resources

CORPUS: dict[str, str] = {
    "osc52": "clip\x1b]52;c;cHduZWQ=\x07end",          # clipboard write
    "title": "ttl\x1b]0;PWNED\x1b\\end",                 # window title, ended by ESC-backslash (ST)
    "clear": "clr\x1b[2J\x1b[Hend",                      # clear the screen, cursor home
    "dcs": "dcs\x1bP+q544e\x1b\\end",                    # a DCS string ended by ST
    "c1": "csi\x9b31mred\x9dosc\x9cend",                 # C1 CSI / OSC / ST
    "bidi": "bidi\u202eexe.txt\u2066x\u2069end",         # right-to-left override, isolates
    "del": "del\x7f\x08\x0dend",                         # DEL, backspace, carriage return
    "bold": "[bold]bold[/bold]",                         # Rich / Textual markup
    "link": "[link=https://evil.example/]link[/link]",   # a hyperlink in a CLI table
    "click": "[@click=app.quit]click[/]",                # a click action in the TUI
    "lone": "web[/",                                     # a legal security-group name
    "close": "[/]",
    "slash": "trail\\",                                  # a trailing backslash before markup
    "long": "L" * 3000,
    "newline": "two\nlines",
}

# everything from data that must not reach a terminal raw
RAW_FROM_DATA = re.compile(
    "\x1b[\\]P_^X]"          # OSC, DCS, APC, PM, SOS
    "|\x1b\\[[0-9;]*[JHK]"    # clear / home / erase
    "|\x1b\\[[0-9;]*[a-zA-Z](?:red|end)"  # a CSI from the corpus followed by its text
    "|[\x80-\x9f]"           # C1
    "|[\u202a-\u202e\u2066-\u2069]"  # bidi
)


def base_scenario() -> dict:
    import yaml

    text = resources.files("vpctui").joinpath("scenarios/lambda-vpc.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def hostile_scenario(h: str, doc: dict | None = None) -> dict:
    """lambda-vpc with ``h`` in the scenario's name, description and notes, every resource's name,
    description and tags, a security group's name, every function's name (the expectations
    follow), the role's name and a target description: every field that reaches a screen."""
    d = copy.deepcopy(doc if doc is not None else base_scenario())
    d["scenario"] = f"scn {h}"
    d["description"] = f"desc {h}"
    d["notes"] = [f"note {h}"]
    for key, items in list(d.items()):
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict) or key in ("expect", "buckets", "parameters", "roles", "lambda_functions"):
                continue
            if "name" in item or key in ("vpcs", "subnets", "route_tables", "internet_gateways", "nat_gateways",
                                         "vpc_endpoints", "network_acls"):
                item["name"] = f"{key[:3]}{i} {h}"
            if key in ("vpcs", "subnets", "security_groups"):
                item["tags"] = {f"k {h}": f"v {h}"}
            if key == "security_groups":
                item["group_name"] = f"sg{i} {h}"
                item["description"] = f"sgd {h}"
    renames = {}
    for i, f in enumerate(d.get("lambda_functions", [])):
        new = f"fn{i}-{h}"
        renames[f["function_name"]] = new
        f["function_name"] = new
    for r in d.get("roles", []):
        old = r["role_name"]
        r["role_name"] = f"role-{h}"
        for f in d.get("lambda_functions", []):
            if f.get("role") == old:
                f["role"] = r["role_name"]
    for e in d.get("expect", []):
        e["from"] = renames.get(e["from"], e["from"])
    return d
