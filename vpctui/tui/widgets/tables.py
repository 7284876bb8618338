"""2 Routes, 3 Endpoints, 4 Functions: tables (row_table.py) with a marker column for trace highlights."""

from __future__ import annotations

from typing import Optional

from rich.text import Text

from ...model.network import Network, RouteTable
from ...model.tgw import TgwRouteTable
from ..bindings import vi_bindings
from ..format import esc, sg_names, subnet_names, text
from ..index import matching, network_index
from ..messages import ResourceSelected
from .base import PaneMixin
from .row_table import RowTable

MARK = "▶"
RIGHT_COLUMN_SHARE = 7 / 16  # #right { width: 7fr } next to #left { width: 9fr } in app.tcss


class _Table(PaneMixin, RowTable):
    BINDINGS = vi_bindings()
    KIND = ""
    COMPACT_BELOW = 0  # narrower than this: fewer, shorter columns

    def __init__(self, **kw) -> None:
        super().__init__(cursor_type="row", show_cursor=False, **kw)
        self.compact = False

    def color(self, name: str) -> str:
        return getattr(self.app.current_theme, name, None) or ""

    def _cursor_now(self) -> None:
        """The cursor shows while the table has the focus (on_focus). A key that arrives together
        with the one that focused the table (`4j`) runs before the Focus event: show it now, so
        that the key moves the cursor rather than scrolling."""
        if not self.show_cursor and self.screen.focused is self:
            self.show_cursor = True

    def action_cursor_down(self) -> None:
        self._cursor_now()
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._cursor_now()
        super().action_cursor_up()

    def action_first(self) -> None:
        self._cursor_now()
        super().action_first()

    def action_last(self) -> None:
        self._cursor_now()
        super().action_last()

    def current_key(self) -> Optional[str]:
        return self.cursor_key

    def report(self, key: Optional[str]) -> None:
        if key and not key.startswith("_"):
            self.post_message(ResourceSelected(key, self.KIND))

    def on_row_table_row_highlighted(self, event: RowTable.RowHighlighted) -> None:
        event.stop()
        if self.has_focus:
            self.report(event.row_key)

    def on_row_table_row_selected(self, event: RowTable.RowSelected) -> None:
        event.stop()
        self.report(event.row_key)
        self.app.action_focus_pane("details")  # type: ignore[attr-defined]

    def on_focus(self) -> None:
        self.show_cursor = True
        self.report(self.current_key())

    def on_blur(self) -> None:
        self.show_cursor = False

    def on_resize(self) -> None:
        compact = self.size.width < self.COMPACT_BELOW
        if compact != self.compact:
            self.compact = compact
            self.refresh_view()

    def on_mount(self) -> None:
        self.update_title()
        if self.COMPACT_BELOW and not self.size.width:
            # Not laid out yet. Panes 2 and 3 sit in the right column, 7/16 of the screen in
            # app.tcss, inside a border: start with the columns that width gets, so that the first
            # load is built for the first frame and not rebuilt by the Resize after it (which
            # still corrects a wrong guess).
            self.compact = int(self.app.size.width * RIGHT_COLUMN_SHARE) - 2 < self.COMPACT_BELOW

    def move_to_key(self, key: str) -> None:
        try:
            row = self.get_row_index(key)
        except KeyError:
            return
        self.move_cursor(row=row)


def _table_id(rt) -> str:
    return rt.transit_gateway_route_table_id if isinstance(rt, TgwRouteTable) else rt.route_table_id


class RoutesPane(_Table):
    PANE_NUMBER = 2
    PANE_TITLE = "Routes"
    KIND = "route_table"
    PANE_HELP = (
        "The route table of the selected subnet: destination, target and state, longest prefix "
        "first in the lookup. While you step through a trace, ▶ marks the route that matched, and "
        "✗ no route matches marks a lookup that found nothing (the packet is dropped silently). "
        "When the trace crosses a transit gateway, the pane shows the transit gateway route table "
        "that routed it (associated with the attachment the traffic entered through)."
    )

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.route_table: Optional[RouteTable | TgwRouteTable] = None
        self.subnet_id: Optional[str] = None
        self.marked_key: Optional[str] = None  # route destination, or "*" = no route matched

    COMPACT_BELOW = 44
    FOLLOWS_APP = True
    RECOLOUR_ON_THEME = True

    def apply_marks(self, marks) -> None:
        """The hop's route table; after the route lookup (H4 on) the matched route stays marked."""
        net = self.network
        if not marks.show_routes or net is None:
            return
        rt = net.get(marks.route_table_id) if marks.route_table_id else None
        if marks.route_key is not None:
            self.show_table(rt, marks.route_key)
        elif rt is not self.route_table or (not marks.keep_route_mark and self.marked_key is not None):
            self.show_table(rt)

    def show_network(self, network: Network) -> None:
        self.network = network
        if self.route_table is not None:
            self.route_table = network.get(_table_id(self.route_table))  # type: ignore[assignment]
        self.refresh_view()

    def show_subnet(self, subnet_id: str) -> None:
        if self.network is None:
            return
        rt = self.network.route_table_of_subnet.get(subnet_id)
        if subnet_id == self.subnet_id and rt is self.route_table and self.marked_key is None:
            return  # on screen already
        self.subnet_id = subnet_id
        self.show_table(rt)

    def show_table(self, rt: Optional[RouteTable | TgwRouteTable], marked_key: Optional[str] = None) -> None:
        self.route_table = rt
        self.marked_key = marked_key
        self.refresh_view()
        self.update_title(self.title_extra())
        if marked_key:
            self.move_to_key("_nomatch" if marked_key == "*" else marked_key)

    def title_extra(self) -> str:
        rt = self.route_table
        if rt is None:
            return ""
        if isinstance(rt, TgwRouteTable):
            return f"{rt.transit_gateway_route_table_id} {rt.name} (transit gateway {rt.transit_gateway_id})"
        return f"{rt.route_table_id} {rt.name}" + (" (main)" if rt.main and "main" not in rt.name else "")

    def _target_text(self, target: str) -> str:
        if self.network is None or target == "local":
            return target
        obj = self.network.get(target)
        name = getattr(obj, "name", "") if obj is not None else ""
        return f"{target} {name}" if name else target

    def refresh_view(self) -> None:
        self.clear(columns=True)
        self.add_column(" ", key="mark", width=1)
        self.add_column("Destination", key="dest")
        self.add_column("Target", key="target")
        if not self.compact:
            self.add_column("State", key="state")
        rt = self.route_table
        if rt is None or self.network is None:
            return
        if isinstance(rt, TgwRouteTable):
            self._tgw_rows(rt)
            return
        for r in rt.routes:
            if not self.matches(r.destination, r.target, r.state, self._target_text(r.target)):
                continue
            marked = r.destination == self.marked_key
            style = "bold reverse" if marked else ""
            state = r.state if r.origin == "static" else f"{r.state} (propagated)"
            if r.state != "active":
                state = f"✗ {state}"
            target = r.target if self.compact else self._target_text(r.target)
            if self.compact and r.state != "active":
                target += f" ✗ {r.state}"
            cells = [MARK if marked else " ", r.destination, target] + ([] if self.compact else [state])
            self.add_row(*(text(c, style) for c in cells), key=r.destination)
        if self.marked_key == "*":
            style = f"bold reverse {self.color('error')}"
            cells = ["✗", "no route matches", "dropped"] + ([] if self.compact else [""])
            self.add_row(*(text(c, style) for c in cells), key="_nomatch")
        subs = [s for s in rt.subnet_ids]
        self.border_subtitle = self._subtitle = (f"/ {esc(self.filter_text)}  " if self.filter_text else "") + (
            f"subnets: {esc(subnet_names(self.network, subs))}" if subs else ("main: unassociated subnets" if rt.main else ""))

    def _tgw_rows(self, rt: TgwRouteTable) -> None:
        """A transit gateway route table: destination → attachment (or blackhole), static or
        propagated; the subtitle names its associations (whose traffic it routes)."""
        for r in rt.routes:
            target = r.attachment_id or "blackhole"
            shown = target if self.compact else self._target_text(target) if r.attachment_id else target
            if not self.matches(r.destination_cidr_block, target, r.state, shown):
                continue
            marked = r.destination_cidr_block == self.marked_key
            style = "bold reverse" if marked else ""
            state = r.state if r.route_type == "static" else f"{r.state} (propagated)"
            if r.is_blackhole:
                state = f"✗ {state}"
                if self.compact:
                    shown += " ✗"
            cells = [MARK if marked else " ", r.destination_cidr_block, shown] + ([] if self.compact else [state])
            self.add_row(*(Text(c, style=style) for c in cells), key=r.destination_cidr_block)
        if self.marked_key == "*":
            style = f"bold reverse {self.color('error')}"
            cells = ["✗", "no route matches", "dropped"] + ([] if self.compact else [""])
            self.add_row(*(Text(c, style=style) for c in cells), key="_nomatch")
        self.border_subtitle = (f"/ {self.filter_text}  " if self.filter_text else "") + (
            f"associated: {', '.join(rt.associations)}" if rt.associations else "associated with no attachment")

    def update_title(self, extra: str = "") -> None:
        super().update_title(extra)
        if self.route_table is not None:
            # the markup set above (Textual's getter gives the parsed text, escapes gone)
            self.border_subtitle = getattr(self, "_subtitle", "")

    def report(self, key: Optional[str]) -> None:
        # a route row selects its table in Details
        if self.route_table is not None and key is not None:
            self.post_message(ResourceSelected(_table_id(self.route_table), "route_table"))


class EndpointsPane(_Table):
    PANE_NUMBER = 3
    PANE_TITLE = "Endpoints"
    KIND = "endpoint"
    PANE_HELP = (
        "VPC endpoints. A gateway endpoint (S3, DynamoDB) works only for subnets whose route table "
        "it is associated with; an interface endpoint with private DNS answers for the service's "
        "public name in the whole VPC. ▶ marks the endpoint the trace goes through."
    )

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.marked_id: Optional[str] = None

    COMPACT_BELOW = 60
    FOLLOWS_APP = True

    def apply_marks(self, marks) -> None:
        self.mark(marks.endpoint_id)

    def show_network(self, network: Network) -> None:
        self.network = network
        self.refresh_view()
        self.update_title(self.title_extra())

    def title_extra(self) -> str:
        return f"{len(self.network.vpc_endpoints)}" if self.network else ""

    def refresh_view(self) -> None:
        keep = self.current_key()
        self.clear(columns=True)
        self.add_column(" ", key="mark", width=1)
        if self.compact:
            for label, key in (("Service", "service"), ("Type", "type"), ("Endpoint", "id"), ("Attached to", "attached"),
                               ("SGs", "sgs"), ("Private DNS", "dns"), ("Policy", "policy")):
                self.add_column(label, key=key)
        else:
            for label, key in (("Endpoint", "id"), ("Service", "service"), ("Type", "type"), ("Attached to", "attached"),
                               ("SGs", "sgs"), ("Private DNS", "dns"), ("Policy", "policy")):
                self.add_column(label, key=key)
        net = self.network
        if net is None:
            return
        keys, rows = [], []
        for e in net.vpc_endpoints:
            attached = (", ".join(e.route_table_ids) if e.is_gateway
                        else subnet_names(net, e.subnet_ids))
            if not self.matches(e.vpc_endpoint_id, e.name, e.service_name, e.vpc_endpoint_type, attached,
                                " ".join(x.private_ip for x in e.enis)):
                continue
            keys.append(e.vpc_endpoint_id)
            rows.append(self._cells(e, attached))
        self.set_rows(keys, rows)  # one update for all the rows (247 endpoints on a large network)
        if keep:
            self.move_to_key(keep)

    def _cells(self, e, attached: Optional[str] = None) -> list[Text]:
        net = self.network
        assert net is not None
        if attached is None:
            attached = ", ".join(e.route_table_ids) if e.is_gateway else subnet_names(net, e.subnet_ids)
        marked = e.vpc_endpoint_id == self.marked_id
        style = "bold reverse" if marked else ""
        dns = "-" if e.is_gateway else ("✓ on" if e.private_dns_enabled else "✗ off")
        state = "" if e.state == "available" else f" ✗ {e.state}"
        name, svc, typ = f"{e.label}{state}", e.service, e.vpc_endpoint_type.lower()
        first = [svc, typ, name] if self.compact else [name, svc, typ]
        cells = [MARK if marked else " ", *first,
                 attached or "-", sg_names(net, e.security_group_ids) if e.is_interface else "-", dns,
                 "custom" if e.policy is not None else "default (full)"]
        return [text(c, style) for c in cells]

    def mark(self, endpoint_id: Optional[str]) -> None:
        """Mark the endpoint a hop goes through: only the rows whose mark changes are redrawn."""
        was, self.marked_id = self.marked_id, endpoint_id
        if was == endpoint_id and not endpoint_id:
            return
        net = self.network
        for key in {was, endpoint_id} - {None}:
            e = net.get(key) if net is not None else None
            if e is not None:
                self.update_row(key, self._cells(e))
        if endpoint_id:
            self.move_to_key(endpoint_id)


class FunctionsPane(_Table):
    PANE_NUMBER = 4
    PANE_TITLE = "Functions"
    KIND = "function"
    PANE_HELP = (
        "The Lambda functions with their subnets and security groups. t traces from the selected "
        "function: pick a target (the scenario's buckets, parameters, tables, hosts, the catalog "
        "services, or type one), then step through the hops."
    )

    FOLLOWS_APP = True

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self._shown: list[str] = []  # keys of the rows on screen, in order

    def on_mount(self) -> None:
        self.add_column("Function", key="fn")
        self.add_column("Subnets", key="subnets")
        self.add_column("SGs", key="sgs")
        self.update_title()

    def show_network(self, network: Network) -> None:
        self.network = network
        self._shown = []  # a new network value: new cells even for the same functions
        self.refresh_view()
        self.update_title(self.title_extra())

    def title_extra(self) -> str:
        return f"{len(self.network.functions)}" if self.network else ""

    def filter_rows(self) -> int:
        return len(self.network.functions) if self.network is not None else 0

    def refresh_view(self) -> None:
        """Show the rows that match the filter; rows are built once per network (index.py)."""
        net = self.network
        if net is None:
            self.clear()
            self._shown = []
            return
        rows = matching(network_index(net).function_rows, self.filter_text.lower())
        keys = [r.key for r in rows]
        if keys == self._shown and self.row_count == len(keys):
            return  # the same rows (typing one more letter of a match)
        keep = self.current_key()
        self._shown = keys
        widths = [0, 0, 0]
        for r in rows:
            a, b, c = r.widths
            if a > widths[0]:
                widths[0] = a
            if b > widths[1]:
                widths[1] = b
            if c > widths[2]:
                widths[2] = c
        self.set_rows(keys, [r.cells for r in rows], widths)
        if keep:
            self.move_to_key(keep)

    @property
    def function_name(self) -> Optional[str]:
        return self.current_key()
