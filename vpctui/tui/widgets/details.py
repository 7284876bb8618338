"""5 Details: the selected resource in full; a trace hop marks its SG rule or NACL entry here."""

from __future__ import annotations

from typing import Optional

from textual.containers import VerticalScroll
from textual.widgets import Static

from ...model.network import (
    EgressOnlyInternetGateway, Host, InternetGateway, LambdaFunction, NatGateway, Network, NetworkAcl,
    PeeringConnection, PrefixList, Resource, Role, RouteTable, SecurityGroup, Subnet, Vpc, VpcEndpoint,
)
from ...model.policy import Policy
from ...model.tgw import TgwAttachment, TgwRouteTable, TransitGateway
from ...render.sources import source_of
from ...render import glyphs
from ..format import esc, label_of, sg_names, subnet_kind, subnet_names
from ..index import network_index
from .base import PaneMixin


class DetailsPane(PaneMixin, VerticalScroll):
    PANE_NUMBER = 5
    PANE_TITLE = "Details"
    FILTERABLE = False
    PANE_HELP = (
        "The selected resource in full: a subnet's route table and NACL entries, a security "
        "group's rules, an endpoint's policy, a function's role policies. During a trace, ▶ marks "
        "the SG rule or NACL entry that decided the hop. y shows it as scenario YAML, c copies its id."
    )

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.component_id: Optional[str] = None
        self.marked_key: Optional[str] = None
        self.note: str = ""
        self._marked_line = -1

    def compose(self):
        yield Static(id="details-body")

    FOLLOWS_APP = True

    def on_mount(self) -> None:
        self.update_title()

    def apply_marks(self, marks) -> None:
        self.show(marks.details_id, marks.details_key, marks.note)

    def show_network(self, network: Network) -> None:
        self.network = network
        if self.component_id and network.find(self.component_id) is None:
            self.component_id = None
        self.show(self.component_id, self.marked_key, self.note)

    def show(self, component_id: Optional[str], marked_key: Optional[str] = None, note: str = "") -> None:
        self.component_id = component_id
        self.marked_key = marked_key
        self.note = note
        lines = self._lines()
        self.query_one("#details-body", Static).update("\n".join(lines))
        self.update_title(component_id or "")
        self.call_after_refresh(self._scroll_to_mark)

    def _scroll_to_mark(self) -> None:
        if self._marked_line >= 0:
            self.scroll_to(y=max(0, self._marked_line - 3), animate=False, immediate=True)
        else:
            self.scroll_home(animate=False, immediate=True)

    @property
    def component(self):
        if self.network is None or not self.component_id:
            return None
        return self.network.find(self.component_id)

    # ---- content -------------------------------------------------------------------------------

    def _lines(self) -> list[str]:
        self._marked_line = -1
        net = self.network
        if net is None:
            return ["[dim]loading…[/]"]
        if not self.component_id:
            return ["[dim]Select a subnet, route table, endpoint or function.[/]"]
        obj = self.component
        out: list[str] = []
        if self.note:
            out.append(f"[$accent]{esc(self.note)}[/]")
        if obj is None:
            out.append(f"[b]{esc(self.component_id)}[/]  [dim](not in the scenario)[/]")
            return out
        render = {
            Vpc: self._vpc, Subnet: self._subnet, RouteTable: self._route_table, SecurityGroup: self._sg,
            NetworkAcl: self._nacl, VpcEndpoint: self._endpoint, LambdaFunction: self._function,
            InternetGateway: self._igw, NatGateway: self._nat, EgressOnlyInternetGateway: self._igw,
            Host: self._host, Role: self._role, Resource: self._resource, PrefixList: self._prefix_list,
            PeeringConnection: self._peering, TransitGateway: self._tgw, TgwAttachment: self._tgw_attachment,
            TgwRouteTable: self._tgw_route_table,
        }.get(type(obj))
        if render is None:
            out.append(esc(repr(obj)))
        else:
            render(obj, out)
        return out

    def _kv(self, out: list[str], key: str, value: object) -> None:
        out.append(f"[b]{key:<12}[/] {esc(value)}")

    def _head(self, out: list[str], kind: str, ident: str, name: str = "") -> None:
        out.append(f"[b $primary]{esc(kind)}[/] [b]{esc(ident)}[/]" + (f"  {esc(name)}" if name else ""))
        src = source_of(self.network, ident)
        if src:  # Terraform and CloudFormation inputs: where it was written (docs/iac.md)
            self._kv(out, "source", src)

    def _row(self, out: list[str], key: str, text: str) -> None:
        """A rule/entry line; the one matching marked_key gets ▶ and reverse video."""
        if key == self.marked_key:
            self._marked_line = len(out)
            out.append(f"[reverse b]▶ {esc(text)}[/]")
        else:
            out.append(f"  {esc(text)}")

    def _vpc(self, v: Vpc, out: list[str]) -> None:
        net = self.network
        self._head(out, "VPC", v.vpc_id, v.name)
        self._kv(out, "CIDR", ", ".join(v.cidr_blocks + v.ipv6_cidr_blocks))
        self._kv(out, "DNS", f"support {'on' if v.enable_dns_support else 'OFF'}, "
                              f"hostnames {'on' if v.enable_dns_hostnames else 'OFF'}")
        self._kv(out, "resolver", ", ".join(v.dhcp_options.domain_name_servers) or "AmazonProvidedDNS")
        if v.dns_firewall:
            self._kv(out, "DNS firewall", f"blocks {', '.join(v.dns_firewall.blocked_domains)} "
                                          f"({v.dns_firewall.response}, fail {v.dns_firewall.fail_mode})")
        out.append("[b]subnets[/]")
        for s in net.subnets_of_vpc.get(v.vpc_id, ()):  # type: ignore[union-attr]
            k = subnet_kind(net, s)  # type: ignore[arg-type]
            out.append(f"  {glyphs.subnet_kind(k.kind).glyph} {esc(s.label)} {esc(s.cidr_block or s.ipv6_cidr_block)} — {esc(k.word)}")

    def _subnet(self, s: Subnet, out: list[str]) -> None:
        net = self.network
        assert net is not None
        k = subnet_kind(net, s)
        self._head(out, "Subnet", s.subnet_id, s.name)
        self._kv(out, "for Lambda", glyphs.subnet_long_label(k))
        self._kv(out, "CIDR", ", ".join(c for c in (s.cidr_block, s.ipv6_cidr_block) if c))
        self._kv(out, "AZ", s.availability_zone)
        self._kv(out, "VPC", label_of(net, s.vpc_id))
        if s.map_public_ip_on_launch:
            self._kv(out, "public IPs", "auto-assigned to EC2 — never to a Lambda ENI")
        for key, val in s.tags:
            self._kv(out, "tag", f"{key}={val}")
        fns = network_index(net).functions_of_subnet.get(s.subnet_id, ())
        if fns:
            self._kv(out, "functions", ", ".join(fns))
        rt = net.route_table_of_subnet.get(s.subnet_id)
        if rt is not None:
            how = "explicit" if s.subnet_id in rt.subnet_ids else "main table (implicit)"
            out.append(f"[b]route table[/] {esc(rt.route_table_id)} {esc(rt.name)} ({how})")
            for r in rt.routes:
                self._row(out, r.destination, r.describe())
        acl = net.nacl_of_subnet.get(s.subnet_id)
        if acl is not None:
            out.append(f"[b]network ACL[/] {esc(acl.network_acl_id)} {esc(acl.name)}")
            self._nacl_entries(acl, out)

    def _route_table(self, rt: RouteTable, out: list[str]) -> None:
        self._head(out, "Route table", rt.route_table_id, rt.name + (" (main)" if rt.main and "main" not in rt.name else ""))
        self._kv(out, "subnets", subnet_names(self.network, rt.subnet_ids) if rt.subnet_ids else
                 ("every subnet without an explicit table" if rt.main else "none"))
        out.append("[b]routes[/]")
        for r in rt.routes:
            self._row(out, r.destination, r.describe())
        if self.marked_key == "*":
            self._marked_line = len(out)
            out.append("[reverse b $error]✗ no route matches: dropped silently[/]")

    def _sg(self, g: SecurityGroup, out: list[str]) -> None:
        self._head(out, "Security group", g.group_id, g.group_name)
        if g.description:
            self._kv(out, "description", g.description)
        self._sg_rules(g, out)

    def _sg_rules(self, g: SecurityGroup, out: list[str]) -> None:
        for direction, rules in (("ingress", g.ingress), ("egress", g.egress)):
            out.append(f"[b]{direction}[/]" + ("" if rules else " [dim]— none: all denied[/]"))
            for i, r in enumerate(rules):
                desc = f"  ({r.description})" if r.description else ""
                self._row(out, f"{direction}:{i}", f"#{i} allow {r.describe()}{desc}")
        if self.marked_key and self.marked_key.endswith(":*"):
            self._marked_line = len(out)
            out.append("[reverse b $error]✗ no rule allows it: dropped[/]")

    def _nacl(self, a: NetworkAcl, out: list[str]) -> None:
        self._head(out, "Network ACL", a.network_acl_id, a.name)
        self._kv(out, "subnets", subnet_names(self.network, a.subnet_ids) if a.subnet_ids else
                 ("every subnet without an explicit ACL" if a.is_default else "none"))
        self._nacl_entries(a, out)

    def _nacl_entries(self, a: NetworkAcl, out: list[str]) -> None:
        for egress, word in ((False, "ingress"), (True, "egress")):
            out.append(f"  [b]{word}[/] (lowest rule number first; stateless)")
            for e in sorted((e for e in a.entries if e.egress == egress), key=lambda e: e.rule_number):
                glyph = "✓" if e.rule_action == "allow" else "✗"
                self._row(out, f"{word}:{e.rule_number}", f"  {glyph} {e.describe()}")
            self._row(out, f"{word}:*", "  ✗ * deny all (the catch-all)")

    def _endpoint(self, e: VpcEndpoint, out: list[str]) -> None:
        net = self.network
        self._head(out, "VPC endpoint", e.vpc_endpoint_id, e.name)
        self._kv(out, "service", e.service_name)
        self._kv(out, "type", e.vpc_endpoint_type + ("" if e.state == "available" else f" ✗ {e.state}"))
        if e.is_gateway:
            self._kv(out, "route tables", ", ".join(e.route_table_ids) or "none: no subnet uses it")
        else:
            self._kv(out, "subnets", subnet_names(net, e.subnet_ids))
            for eni in e.enis:
                self._kv(out, "ENI", f"{eni.private_ip} in {label_of(net, eni.subnet_id)}")
            self._kv(out, "private DNS", "✓ on: the service's public name resolves here, VPC-wide"
                     if e.private_dns_enabled else "✗ off: only the vpce-… names reach it")
            for gid in e.security_group_ids:
                g = net.get(gid)  # type: ignore[union-attr]
                if isinstance(g, SecurityGroup):
                    out.append(f"[b]SG[/] {esc(g.group_id)} {esc(g.group_name)}")
                    self._sg_rules(g, out)
        self._policy(out, e.policy, "endpoint policy", "default: full access")

    def _policy(self, out: list[str], policy: Optional[Policy], title: str, default: str) -> None:
        if policy is None:
            if self.marked_key == "policy":
                self._marked_line = len(out)
                out.append(f"[reverse b]▶ {esc(title)}: {esc(default)}[/]")
            else:
                out.append(f"[b]{esc(title)}[/] {esc(default)}")
            return
        if self.marked_key == "policy":
            self._marked_line = len(out)
            out.append(f"[reverse b]▶ {esc(title)}[/] {esc(policy.name)}")
        else:
            out.append(f"[b]{esc(title)}[/] {esc(policy.name)}")
        for line in (policy.text or repr(policy)).splitlines():
            out.append(f"  {esc(line)}")

    def _function(self, f: LambdaFunction, out: list[str]) -> None:
        net = self.network
        assert net is not None
        self._head(out, "Lambda", f.function_name)
        if f.state != "Active":
            self._kv(out, "state", f"✗ {f.state} {f.state_reason_code}")
        self._kv(out, "timeout", f"{f.timeout:g} s")
        if f.runtime:
            self._kv(out, "runtime", f.runtime)
        for sid in f.subnet_ids:
            s = net.get(sid)
            if isinstance(s, Subnet):
                self._kv(out, "subnet", f"{s.label} {s.subnet_id} {s.availability_zone} — {subnet_kind(net, s).word}")
            else:
                self._kv(out, "subnet", f"{sid} ✗ not in the scenario")
        if not f.subnet_ids:
            self._kv(out, "VPC", "not attached to a VPC")
        self._kv(out, "SGs", sg_names(net, f.security_group_ids))
        for gid in f.security_group_ids:
            g = net.get(gid)
            if isinstance(g, SecurityGroup):
                out.append(f"[b]SG[/] {esc(g.group_id)} {esc(g.group_name)}")
                self._sg_rules(g, out)
        role = net.role_of(f)
        self._kv(out, "role", role.arn if role else (f.role or "none"))
        if role is not None:
            self._role_policies(role, out)

    def _role(self, r: Role, out: list[str]) -> None:
        self._head(out, "IAM role", r.role_name)
        self._kv(out, "ARN", r.arn)
        self._role_policies(r, out)

    def _role_policies(self, r: Role, out: list[str]) -> None:
        if r.error:
            out.append(f"[$warning]? policies unknown: {esc(r.error)}[/]")
        for p in r.policies:
            self._policy(out, p, "identity policy", "")

    def _resource(self, r: Resource, out: list[str]) -> None:
        self._head(out, r.service.upper(), r.name)
        self._kv(out, "ARN", r.arn)
        self._kv(out, "region", r.region)
        if r.objects:
            self._kv(out, "objects", ", ".join(r.objects))
        if r.policy_error:
            out.append(f"[$warning]? policy unknown: {esc(r.policy_error)}[/]")
        self._policy(out, r.policy, "resource policy", "none")

    def _igw(self, g, out: list[str]) -> None:
        gid = getattr(g, "internet_gateway_id", None) or g.egress_only_internet_gateway_id
        kind = "Internet gateway" if isinstance(g, InternetGateway) else "Egress-only internet gateway"
        self._head(out, kind, gid, g.name)
        self._kv(out, "VPC", label_of(self.network, g.vpc_id) if g.vpc_id else "✗ detached")
        if isinstance(g, InternetGateway):
            out.append("[dim]Translates a private IPv4 to its public IP 1:1. A Lambda ENI has no "
                       "public IP, so a function in a public subnet gets nothing from it.[/]")

    def _nat(self, n: NatGateway, out: list[str]) -> None:
        net = self.network
        self._head(out, "NAT gateway", n.nat_gateway_id, n.name)
        self._kv(out, "subnet", label_of(net, n.subnet_id))
        if net is not None and isinstance(net.get(n.subnet_id), Subnet):
            self._kv(out, "subnet is", subnet_kind(net, net.get(n.subnet_id)).word)  # type: ignore[arg-type]
        self._kv(out, "type", n.connectivity_type)
        self._kv(out, "state", n.state if n.state == "available" else f"✗ {n.state}")
        if n.public_ip:
            self._kv(out, "public IP", n.public_ip)
        if n.private_ip:
            self._kv(out, "private IP", n.private_ip)

    def _host(self, h: Host, out: list[str]) -> None:
        net = self.network
        self._head(out, h.kind.upper(), h.host_id, h.name)
        self._kv(out, "address", h.private_ip + (f" / {h.public_ip}" if h.public_ip else ""))
        if h.dns_name:
            self._kv(out, "DNS name", h.dns_name)
        self._kv(out, "subnet", label_of(net, h.subnet_id))
        self._kv(out, "listening", ", ".join(map(str, h.ports)) or "not known")
        for gid in h.security_group_ids:
            g = net.get(gid)  # type: ignore[union-attr]
            if isinstance(g, SecurityGroup):
                out.append(f"[b]SG[/] {esc(g.group_id)} {esc(g.group_name)}")
                self._sg_rules(g, out)

    def _prefix_list(self, p: PrefixList, out: list[str]) -> None:
        self._head(out, "Prefix list", p.prefix_list_id, p.prefix_list_name)
        for c in p.cidrs:
            out.append(f"  {esc(c)}")

    def _tgw(self, t: TransitGateway, out: list[str]) -> None:
        net = self.network
        self._head(out, "Transit gateway", t.transit_gateway_id, t.name)
        if t.owner_id:
            self._kv(out, "owner", t.owner_id)
        self._kv(out, "state", t.state)
        self._kv(out, "defaults", f"association {'on' if t.default_route_table_association else 'off'}, "
                                   f"propagation {'on' if t.default_route_table_propagation else 'off'} "
                                   "(apply when an attachment is created)")
        out.append("[b]route tables[/]")
        for rt in net.transit_gateway_route_tables:  # type: ignore[union-attr]
            if rt.transit_gateway_id == t.transit_gateway_id:
                out.append(f"  {esc(rt.transit_gateway_route_table_id)} {esc(rt.name)}: {len(rt.routes)} routes, "
                           f"associated {esc(', '.join(rt.associations) or 'none')}")
        out.append("[b]attachments[/]")
        for a in net.transit_gateway_attachments:  # type: ignore[union-attr]
            if a.transit_gateway_id == t.transit_gateway_id:
                out.append(f"  {esc(self._attachment_line(a))}")

    def _attachment_line(self, a: TgwAttachment) -> str:
        net = self.network
        rt = net.tgw_route_table_of_attachment.get(a.transit_gateway_attachment_id)  # type: ignore[union-attr]
        where = (f"{a.resource_id}, subnets " + ", ".join(
            f"{getattr(net.get(s), 'label', s)} ({getattr(net.get(s), 'availability_zone', '?')})" for s in a.subnet_ids)
                 if a.is_vpc else f"{a.resource_type} {a.resource_id}")
        return (f"{a.transit_gateway_attachment_id} {a.name}: {where}; route table "
                f"{rt.transit_gateway_route_table_id if rt else 'NONE (routes nothing)'}"
                + ("; appliance mode" if a.appliance_mode_support else "") + ("" if a.state == "available" else f"; {a.state}"))

    def _tgw_attachment(self, a: TgwAttachment, out: list[str]) -> None:
        net = self.network
        self._head(out, "TGW attachment", a.transit_gateway_attachment_id, a.name)
        self._kv(out, "gateway", a.transit_gateway_id)
        self._kv(out, "type", a.resource_type + (f" {a.resource_id}" if a.resource_id else ""))
        self._kv(out, "state", a.state)
        if a.is_vpc:
            out.append("[b]subnets[/] (traffic reaches the gateway only from these Availability Zones)")
            for sid in a.subnet_ids:
                s = net.get(sid)  # type: ignore[union-attr]
                out.append(f"  {esc(sid)} {esc(getattr(s, 'label', ''))} {esc(getattr(s, 'availability_zone', '?'))}")
            self._kv(out, "appliance", "on: one AZ per flow" if a.appliance_mode_support else "off")
        rt = net.tgw_route_table_of_attachment.get(a.transit_gateway_attachment_id)  # type: ignore[union-attr]
        self._kv(out, "associated", rt.transit_gateway_route_table_id if rt else "NONE: it routes nothing")
        props = [r.transit_gateway_route_table_id for r in net.transit_gateway_route_tables  # type: ignore[union-attr]
                 if a.transit_gateway_attachment_id in r.propagations]
        self._kv(out, "propagates", ", ".join(props) or "nowhere")

    def _tgw_route_table(self, rt: TgwRouteTable, out: list[str]) -> None:
        self._head(out, "TGW route table", rt.transit_gateway_route_table_id, rt.name)
        self._kv(out, "gateway", rt.transit_gateway_id)
        self._kv(out, "associated", ", ".join(rt.associations) or "none")
        self._kv(out, "propagating", ", ".join(rt.propagations) or "none")
        out.append("[b]routes[/] (longest prefix; static beats propagated)")
        for r in rt.routes:
            self._row(out, r.destination_cidr_block, r.describe())
        if self.marked_key == "*":
            self._marked_line = len(out)
            out.append("[reverse b $error]✗ no route matches: dropped[/]")

    def _peering(self, p: PeeringConnection, out: list[str]) -> None:
        self._head(out, "Peering", p.vpc_peering_connection_id, p.name)
        self._kv(out, "requester", p.requester_vpc_id)
        self._kv(out, "accepter", p.accepter_vpc_id)
        self._kv(out, "status", p.status)
        self._kv(out, "remote DNS", "on" if p.allow_dns_resolution else "off")
