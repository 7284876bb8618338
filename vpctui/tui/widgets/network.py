"""1 Network: VPCs and their subnets, each labelled by what it is for a Lambda function."""

from __future__ import annotations

from typing import Optional

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...model.network import Network, Subnet
from .._textual_compat import TreeKeepsLinesOnSameSize
from ..bindings import vi_bindings
from ...render import glyphs
from ..format import subnet_kind, subnet_kinds, visible
from ..format import text as as_text
from ..theme import role_style
from ..index import network_index
from ..messages import ResourceSelected
from .base import PaneMixin

Data = tuple[str, str]  # (kind, id)

# At most this many subnets: every VPC starts open. More: only the VPC of the cursor (space or
# enter opens another), so the first paint and a filter cost what is on screen, not the network.
EXPAND_ALL_SUBNETS = 200


class NetworkPane(PaneMixin, TreeKeepsLinesOnSameSize, Tree[Data]):
    PANE_NUMBER = 1
    PANE_TITLE = "Network"
    PANE_HELP = (
        "VPCs and their subnets. Each subnet says what it is for a Lambda function: "
        "⚠ public — no internet for Lambda (a Lambda ENI never has a public IP), "
        "✓ private via NAT, ○ isolated (VPC only), and which endpoints it has. "
        "The lines under a subnet give its AZ, route table and NACL; λ marks the functions in it. "
        "enter shows the subnet in Details; its route table is in pane 2. On a large network only "
        "the VPC of the cursor starts open: space or enter on a VPC opens it. Transit gateways come "
        "after the VPCs, with their route tables (associations, propagations) and attachments "
        "(VPC, subnets per AZ); a route table opens in pane 2."
    )
    BINDINGS = vi_bindings()
    FOLLOWS_APP = True
    RECOLOUR_ON_THEME = True

    def __init__(self, **kw) -> None:
        super().__init__("network", **kw)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2
        self.marked_id: Optional[str] = None
        self._node_by_id: dict[str, TreeNode[Data]] = {}  # nodes made so far (opened VPCs)
        self._unfilled: dict[str, tuple] = {}  # vpc id -> its rows, until the VPC is first opened

    def on_mount(self) -> None:
        self.update_title()

    def watch_hover_line(self, previous_hover_line: int, hover_line: int) -> None:
        """Only the line under the pointer shows the hover (its label: app.tcss). Textual's Tree
        highlights every line of the hovered node's subtree, so crossing a VPC's line repainted its
        whole subtree on the way in and out (1.7 kB a motion over SSH at 120x36). The nodes'
        ``_hover`` stays unset (it is what makes a subtree highlighted); each node's ``_updates``
        is bumped instead, as Textual does when a node changes, so the line cache, whose key does
        not hold the hovered line, renders the two lines afresh."""
        for line in (previous_hover_line, hover_line):
            node = self._get_node(line)
            if node is not None:
                node._updates += 1
                self._refresh_line(line)

    def render_label(self, node: TreeNode[Data], base_style, style):
        """A label that does not fit in the pane ends with "…" (Textual would cut it mid-word with
        nothing to say that there is more; Details shows the whole)."""
        text = super().render_label(node, base_style, style)
        depth, n = 0, node
        while n.parent is not None:
            depth, n = depth + 1, n.parent
        # show_root is off: the root's children (the VPCs) have no guide, each level below adds one
        room = self.scrollable_content_region.width - max(0, depth - 1) * self.guide_depth
        if room > 1 and text.cell_len > room:
            text.truncate(room, overflow="ellipsis")
        return text

    # ---- data ----------------------------------------------------------------------------------

    def show_network(self, network: Network) -> None:
        self.network = network
        self.refresh_view()
        self.update_title(self.title_extra())

    def title_extra(self) -> str:
        if self.network is None:
            return ""
        return f"{len(self.network.subnets)} subnets"

    def filter_rows(self) -> int:
        return len(self.network.subnets) if self.network is not None else 0

    def refresh_view(self) -> None:
        """Rebuild the tree: VPC nodes now, a VPC's subnets when it is first opened.

        A small network opens every VPC (EXPAND_ALL_SUBNETS); a large one opens the VPC of the
        subnet under the cursor (or the first), so 2,000 subnets do not make 6,000 nodes on load.
        """
        net = self.network
        keep = self.cursor_node.data if self.cursor_node is not None else None
        self.clear()
        self._node_by_id = {}
        self._unfilled = {}
        if net is None:
            return
        idx = network_index(net)
        needle = self.filter_text.lower()
        shown = []
        for vpc in net.vpcs:
            subnets = idx.subnets_matching(net, vpc.vpc_id, needle)
            gw_match = [g for g in idx.igws_of_vpc.get(vpc.vpc_id, ()) if self.matches(g.internet_gateway_id, g.name)]
            nat_match = [n for n in idx.nats_of_vpc.get(vpc.vpc_id, ())
                         if self.matches(n.nat_gateway_id, n.name, n.public_ip, n.private_ip)]
            if not (subnets or gw_match or nat_match or self.matches(vpc.vpc_id, vpc.name, *vpc.cidr_blocks)):
                continue
            shown.append((vpc, subnets, gw_match, nat_match))
        expand_all = sum(len(x[1]) for x in shown) <= EXPAND_ALL_SUBNETS
        keep_vpc = None
        if keep is not None:
            keep_vpc = keep[1] if keep[0] == "vpc" else getattr(net.vpc_of_subnet(keep[1]), "vpc_id", None) \
                if keep[0] == "subnet" else None
        for n, (vpc, subnets, gw_match, nat_match) in enumerate(shown):
            label = Text.assemble((visible(vpc.label), "bold"), visible(f" {vpc.vpc_id} "), visible(" ".join(vpc.cidr_blocks)))
            has_children = bool(subnets or gw_match or nat_match)
            vnode = self.root.add(label, data=("vpc", vpc.vpc_id))
            self._node_by_id[vpc.vpc_id] = vnode
            self._unfilled[vpc.vpc_id] = (subnets, gw_match, nat_match)
            if not has_children or expand_all or vpc.vpc_id == keep_vpc or (keep_vpc is None and n == 0):
                self._open_vpc(vnode)
        self._add_transit_gateways(net)
        target = self._node_by_id.get(keep[1]) if keep is not None else None
        if target is None:  # start on the first subnet
            target = next((n for k, n in self._node_by_id.items() if k.startswith("subnet-")), None)
        if target is None:
            return
        if self.size.height:
            self.call_after_refresh(self.move_cursor, target)  # and scroll to it, once laid out
        else:
            # not laid out yet (the first load): number the lines now (Textual would on idle) and
            # put the cursor on them, so that the first frame has it (not a repaint after it)
            self.number_lines_now()
            self.cursor_line = target.line

    def _add_transit_gateways(self, net: Network) -> None:
        """A node per transit gateway: its route tables, then its attachments (all data is text)."""
        for t in net.transit_gateways:
            rtbs = [r for r in net.transit_gateway_route_tables if r.transit_gateway_id == t.transit_gateway_id
                    and self.matches(r.transit_gateway_route_table_id, r.name)]
            atts = [a for a in net.transit_gateway_attachments if a.transit_gateway_id == t.transit_gateway_id
                    and self.matches(a.transit_gateway_attachment_id, a.name, a.resource_id)]
            if not (rtbs or atts or self.matches(t.transit_gateway_id, t.name)):
                continue
            label = Text.assemble(("⇆ ", "bold"), (t.label, "bold"), f" {t.transit_gateway_id}  transit gateway")
            tnode = self.root.add(label, data=("tgw", t.transit_gateway_id), expand=len(net.transit_gateway_attachments) <= 40)
            self._node_by_id[t.transit_gateway_id] = tnode
            for r in rtbs:
                text = Text.assemble(("▤ ", "bold"), f"{r.label} ", (r.transit_gateway_route_table_id, "dim"),
                                     f"  {len(r.routes)} routes · associated: {', '.join(r.associations) or 'none'}")
                self._node_by_id[r.transit_gateway_route_table_id] = tnode.add_leaf(
                    text, data=("tgw_route_table", r.transit_gateway_route_table_id))
            for a in atts:
                rt = net.tgw_route_table_of_attachment.get(a.transit_gateway_attachment_id)
                if a.is_vpc:
                    azs = [getattr(net.get(s), "availability_zone", "?") for s in a.subnet_ids]
                    where = f"{getattr(net.get(a.resource_id), 'label', a.resource_id)} · {', '.join(azs) or 'no subnets'}"
                else:
                    where = f"{a.resource_type} {a.resource_id}"
                text = Text.assemble(("⇄ ", "bold"), f"{a.label} ", (a.transit_gateway_attachment_id, "dim"),
                                     f"  {where} → {rt.label if rt else '✗ no route table'}")
                self._node_by_id[a.transit_gateway_attachment_id] = tnode.add_leaf(
                    text, data=("tgw_attachment", a.transit_gateway_attachment_id))

    def _open_vpc(self, vnode: TreeNode[Data]) -> None:
        """Add a VPC's subnets and gateways (once) and expand it."""
        self._fill_vpc(vnode)
        vnode.expand()

    def _fill_vpc(self, vnode: TreeNode[Data]) -> None:
        assert vnode.data is not None and self.network is not None
        pending = self._unfilled.pop(vnode.data[1], None)
        if pending is None:
            return
        net = self.network
        idx = network_index(net)
        kinds = subnet_kinds(net)
        subnets, gw_match, nat_match = pending
        for s in subnets:
            kind = kinds[s.subnet_id]
            fns = idx.functions_of_subnet.get(s.subnet_id, ())
            rt = net.route_table_of_subnet.get(s.subnet_id)
            acl = net.nacl_of_subnet.get(s.subnet_id)
            snode = vnode.add(self._subnet_label(s, kind, s.subnet_id == self.marked_id),
                              data=("subnet", s.subnet_id), expand=True)
            self._node_by_id[s.subnet_id] = snode
            role = glyphs.subnet_kind(kind.kind).role
            snode.add_leaf(as_text(glyphs.subnet_label(kind), role_style(self.app, role)),
                           data=("subnet", s.subnet_id))
            where = " · ".join(x for x in (s.availability_zone,
                                           rt.route_table_id if rt else "no route table",
                                           acl.network_acl_id if acl else "") if x)
            fn_text = ("  λ " + ", ".join(fns)) if fns else ""
            snode.add_leaf(as_text(where + fn_text, "dim"), data=("subnet", s.subnet_id))
        for g in gw_match:
            self._node_by_id[g.internet_gateway_id] = vnode.add_leaf(
                as_text(f"⇄ {g.internet_gateway_id} {g.name}  internet gateway"), data=("gateway", g.internet_gateway_id))
        for n in nat_match:
            sub = net.get(n.subnet_id)
            self._node_by_id[n.nat_gateway_id] = vnode.add_leaf(
                as_text(f"⇄ {n.nat_gateway_id} {n.name}  NAT in {getattr(sub, 'label', n.subnet_id)}"),
                data=("gateway", n.nat_gateway_id))

    def _node_for(self, component_id: str) -> Optional[TreeNode[Data]]:
        """The node of a subnet or gateway, opening its VPC first if it has not been opened."""
        node = self._node_by_id.get(component_id)
        if node is None and self.network is not None and self._unfilled:
            obj = self.network.get(component_id)
            vpc_id = getattr(obj, "vpc_id", None)
            if vpc_id is None and getattr(obj, "subnet_id", None):  # a NAT gateway
                vpc_id = getattr(self.network.vpc_of_subnet(obj.subnet_id), "vpc_id", None)  # type: ignore[union-attr]
            vnode = self._node_by_id.get(vpc_id or "")
            if vnode is not None and vpc_id in self._unfilled:
                self._open_vpc(vnode)
                node = self._node_by_id.get(component_id)
        return node

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        event.stop()
        if event.node.data and event.node.data[0] == "vpc":
            self._fill_vpc(event.node)

    def _subnet_label(self, s, kind, marked: bool = False) -> Text:
        cidr = s.cidr_block or s.ipv6_cidr_block or "-"
        text = Text()
        text.append("▶ " if marked else "", style="bold reverse")
        text.append(f"{glyphs.subnet_kind(kind.kind).glyph} ", style="bold")
        text.append(visible(s.label), style="bold")
        text.append(visible(f"  {cidr}"))
        if s.name:
            text.append(visible(f"  {s.subnet_id}"), style="dim")
        return text

    # ---- highlight from a trace hop --------------------------------------------------------------

    def apply_marks(self, marks) -> None:
        self.mark(marks.subnet_id)

    def mark(self, component_id: Optional[str]) -> None:
        """Point at a subnet or gateway (a hop of the trace); None clears the mark."""
        old, self.marked_id = self.marked_id, component_id
        if old != component_id:
            self._relabel(old)
            self._relabel(component_id)
        node = self._node_for(component_id) if component_id else None
        if node is not None:
            self._move_to(node, scroll=True)

    def _relabel(self, subnet_id: Optional[str]) -> None:
        net = self.network
        node = self._node_by_id.get(subnet_id or "")
        s = net.get(subnet_id) if net is not None and subnet_id else None
        if node is not None and isinstance(s, Subnet):
            node.set_label(self._subnet_label(s, subnet_kind(net, s), s.subnet_id == self.marked_id))  # type: ignore[arg-type]

    def select_id(self, component_id: str) -> None:
        node = self._node_for(component_id)
        if node is not None:
            self._move_to(node)

    def _move_to(self, node: TreeNode[Data], scroll: bool = False) -> None:
        def move() -> None:
            self.move_cursor(node)
            if scroll:
                self.scroll_to_node(node, animate=False)

        if node.line < 0:  # in a VPC just opened: the tree places its lines on the next refresh
            self.call_after_refresh(move)
        else:
            move()

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
        node = event.node
        if node.data and node.data[0] == "vpc" and not node.is_expanded:
            self._open_vpc(node)  # enter on a closed VPC opens it
            return
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
