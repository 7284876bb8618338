"""The command palette (ctrl+p and :): every command is named "category: action"."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from .bindings import KEYS
from .format import esc, visible

if TYPE_CHECKING:
    from .app import VpcTuiApp


def _named(label: str, ident: str) -> str:
    """'public rtb-0pub', or the id once for an unnamed resource (its label is its id)."""
    return ident if not label or label == ident else f"{label} {ident}"


class VpcCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable, str]]:
        app: "VpcTuiApp" = self.app  # type: ignore[assignment]
        out: list[tuple[str, Callable, str]] = []
        for k in KEYS:
            if k.command:
                out.append((k.command, partial(app.run_action, k.action), f"{k.display}  {k.tooltip}"))
        for name in sorted(app.available_themes):
            hint = "high contrast, for projectors" if name.startswith("vpctui-") else "theme"
            out.append((f"theme: {name}", partial(setattr, app, "theme", name), hint))
        net = app.network
        if net is not None:
            from ..engine import default_targets

            for f in net.functions:
                for t in default_targets(net):
                    out.append((f"trace: {f.function_name} → {t}", partial(app.run_trace, f.function_name, t),
                                "trace this pair"))
            for s in net.subnets:
                out.append((f"go to: subnet {_named(s.label, s.subnet_id)}", partial(app.go_to, s.subnet_id), s.cidr_block or ""))
            for f in net.functions:
                out.append((f"go to: function {f.function_name}", partial(app.go_to, f.function_name), "λ"))
            for e in net.vpc_endpoints:
                out.append((f"go to: endpoint {_named(e.label, e.vpc_endpoint_id)}", partial(app.go_to, e.vpc_endpoint_id), e.service_name))
            for g in net.security_groups:
                out.append((f"go to: security group {_named(g.label, g.group_id)}", partial(app.go_to, g.group_id), g.description))
            for r in net.route_tables:
                out.append((f"go to: route table {_named(r.label, r.route_table_id)}", partial(app.go_to, r.route_table_id), ""))
            for a in net.network_acls:
                out.append((f"go to: network ACL {_named(a.label, a.network_acl_id)}", partial(app.go_to, a.network_acl_id), ""))
        return out

    # names and help come from data (function, subnet and group names, descriptions): the palette
    # parses a str prompt or help as markup, so each is given as Content or escaped (format.esc)

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            if not name.startswith("go to:"):
                yield DiscoveryHit(Content(visible(name)), callback, text=name, help=esc(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(esc(name)), callback, text=name, help=esc(help_text))
