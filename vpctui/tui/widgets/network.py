"""1 Network: VPCs and their subnets, each labelled by what it is for a Lambda function."""

from __future__ import annotations

from typing import Optional

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...model.network import Network
from ..bindings import vi_bindings
from ..format import subnet_kind
from ..messages import ResourceSelected
from .base import PaneMixin

Data = tuple[str, str]  # (kind, id)


class NetworkPane(PaneMixin, Tree[Data]):
    PANE_NUMBER = 1
    PANE_TITLE = "Network"
    PANE_HELP = (
        "VPCs and their subnets. Each subnet says what it is for a Lambda function: "
        "⚠ public — no internet for Lambda (a Lambda ENI never has a public IP), "
        "✓ private via NAT, ○ isolated (VPC only), and which endpoints it has. "
        "The lines under a subnet give its AZ, route table and NACL; λ marks the functions in it. "
        "enter shows the subnet in Details; its route table is in pane 2."
    )
    BINDINGS = vi_bindings()

    def __init__(self, **kw) -> None:
        super().__init__("network", **kw)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2
        self.marked_id: Optional[str] = None
        self._node_by_id: dict[str, TreeNode[Data]] = {}

    def on_mount(self) -> None:
        self.update_title()

    # ---- data ----------------------------------------------------------------------------------

    def show_network(self, network: Network) -> None:
        self.network = network
        self.refresh_view()
        self.update_title(self.title_extra())

    def title_extra(self) -> str:
        if self.network is None:
            return ""
        return f"{len(self.network.subnets)} subnets"

    def _color(self, name: str) -> str:
        theme = self.app.current_theme
        return getattr(theme, name, None) or ""

    def refresh_view(self) -> None:
        net = self.network
        keep = self.cursor_node.data if self.cursor_node is not None else None
        self.clear()
        self._node_by_id = {}
        if net is None:
            return
        for vpc in net.vpcs:
            subnets = []
            for s in net.subnets_of_vpc.get(vpc.vpc_id, ()):
                kind = subnet_kind(net, s)
                fns = [f.function_name for f in net.functions if s.subnet_id in f.subnet_ids]
                rt = net.route_table_of_subnet.get(s.subnet_id)
                acl = net.nacl_of_subnet.get(s.subnet_id)
                tags = " ".join(f"{k}={v}" for k, v in s.tags)
                if self.matches(s.subnet_id, s.name, s.cidr_block, s.ipv6_cidr_block, s.availability_zone,
                                kind.label, tags, rt and rt.route_table_id, acl and acl.network_acl_id,
                                " ".join(fns), vpc.vpc_id, vpc.name):
                    subnets.append((s, kind, fns, rt, acl))
            gateways = [g for g in net.internet_gateways if g.vpc_id == vpc.vpc_id]
            nats = [n for n in net.nat_gateways if net.vpc_of_subnet(n.subnet_id) == vpc]
            gw_match = [g for g in gateways if self.matches(g.internet_gateway_id, g.name)]
            nat_match = [n for n in nats if self.matches(n.nat_gateway_id, n.name, n.public_ip, n.private_ip)]
            if not (subnets or gw_match or nat_match or self.matches(vpc.vpc_id, vpc.name, *vpc.cidr_blocks)):
                continue
            label = Text.assemble((vpc.label, "bold"), f" {vpc.vpc_id} ", " ".join(vpc.cidr_blocks))
            vnode = self.root.add(label, data=("vpc", vpc.vpc_id), expand=True)
            self._node_by_id[vpc.vpc_id] = vnode
            for s, kind, fns, rt, acl in subnets:
                snode = vnode.add(self._subnet_label(s, kind), data=("subnet", s.subnet_id), expand=True)
                self._node_by_id[s.subnet_id] = snode
                kstyle = {"✓": "success", "⚠": "warning", "✗": "error"}.get(kind.glyph, "")
                snode.add_leaf(Text(kind.label, style=self._color(kstyle) if kstyle else "dim"),
                               data=("subnet", s.subnet_id))
                where = " · ".join(x for x in (s.availability_zone,
                                               rt.route_table_id if rt else "no route table",
                                               acl.network_acl_id if acl else "") if x)
                fn_text = ("  λ " + ", ".join(fns)) if fns else ""
                snode.add_leaf(Text(where + fn_text, style="dim"), data=("subnet", s.subnet_id))
            for g in gw_match:
                self._node_by_id[g.internet_gateway_id] = vnode.add_leaf(
                    f"⇄ {g.internet_gateway_id} {g.name}  internet gateway", data=("gateway", g.internet_gateway_id))
            for n in nat_match:
                sub = net.get(n.subnet_id)
                self._node_by_id[n.nat_gateway_id] = vnode.add_leaf(
                    f"⇄ {n.nat_gateway_id} {n.name}  NAT in {getattr(sub, 'label', n.subnet_id)}",
                    data=("gateway", n.nat_gateway_id))
        target = self._node_by_id.get(keep[1]) if keep is not None else None
        if target is None:  # start on the first subnet
            target = next((n for k, n in self._node_by_id.items() if k.startswith("subnet-")), None)
        if target is not None:
            self.call_after_refresh(self.move_cursor, target)
        self._apply_mark()

    def _subnet_label(self, s, kind, marked: bool = False) -> Text:
        cidr = s.cidr_block or s.ipv6_cidr_block or "-"
        text = Text()
        text.append("▶ " if marked else "", style="bold reverse")
        text.append(f"{kind.glyph} ", style="bold")
        text.append(s.label, style="bold")
        text.append(f"  {cidr}")
        if s.name:
            text.append(f"  {s.subnet_id}", style="dim")
        return text

    # ---- highlight from a trace hop --------------------------------------------------------------

    def mark(self, component_id: Optional[str]) -> None:
        """Point at a subnet or gateway (a hop of the trace); None clears the mark."""
        self.marked_id = component_id
        self._apply_mark()
        node = self._node_by_id.get(component_id or "")
        if node is not None:
            self.move_cursor(node)
            self.scroll_to_node(node, animate=False)

    def _apply_mark(self) -> None:
        if self.network is None:
            return
        for s in self.network.subnets:
            node = self._node_by_id.get(s.subnet_id)
            if node is not None:
                node.set_label(self._subnet_label(s, subnet_kind(self.network, s), s.subnet_id == self.marked_id))

    def select_id(self, component_id: str) -> None:
        node = self._node_by_id.get(component_id)
        if node is not None:
            self.move_cursor(node)

    # ---- user intent -------------------------------------------------------------------------

    @property
    def current(self) -> Optional[Data]:
        node = self.cursor_node
        return node.data if node is not None else None

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        if self.has_focus and event.node.data:
            self.post_message(ResourceSelected(event.node.data[1], event.node.data[0]))

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data:
            self.post_message(ResourceSelected(event.node.data[1], event.node.data[0]))
            self.app.action_focus_pane("details")  # type: ignore[attr-defined]

    def on_focus(self) -> None:
        if self.current:
            self.post_message(ResourceSelected(self.current[1], self.current[0]))

    def action_first(self) -> None:
        self.cursor_line = 0

    def action_last(self) -> None:
        self.cursor_line = max(0, self.last_line)
