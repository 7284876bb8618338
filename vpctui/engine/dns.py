"""H1, DNS: what the function's lookup of the target's name answers (docs/aws-behaviour.md, DNS).

Amazon DNS, custom resolvers (ordinary UDP 53 traffic through SG, NACL and route), DNS Firewall,
private hosted zones, endpoint-specific names, interface endpoints' private DNS, public answers.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from typing import Optional

from ..model.network import PortRange, VpcEndpoint
from ..model.route_targets import MAYBE_ELSEWHERE_PREFIXES
from ..model.network import EPHEMERAL, Host
from ..model.services import (
    CATALOG, endpoint_service_short, internet_address, managed_prefix_list_id, public_address, public_address_v6,
    service_for_hostname, uncovered_reason,
)
from . import sdk
from .cache import dns_key
from .filters import Peer, nacl_allows, sg_allows
from .index import _endpoints_by_vpc, _hosts_by_dns, _owners, _sgs, addr_text, described
from .path import Dest, PathLog
from .result import DNS_FAILURE, DROP, INFO, PASS, Finding, Highlight
from .routing import lookup


class DnsSteps(PathLog):
    def _sdk_choice(self) -> Optional[sdk.SdkChoice]:
        """The name the function's SDK calls and why (SDK-1..SDK-5); None for an address target."""
        t = self.t
        if t.hostname:
            return sdk.SdkChoice(t.hostname, "the target names it")
        if t.service is None:
            return None
        bucket = ""
        if t.service.name == "s3" and t.resource_arn.startswith("arn:aws:s3:::"):
            bucket = t.resource_arn[len("arn:aws:s3:::"):].split("/", 1)[0]
        return sdk.choose(self.fn, t.service, t.region, bucket, self.net.account_id)

    def _sdk_hostname(self) -> Optional[str]:
        c = self._sdk_choice()
        return c.hostname if c else None

    def _dns(self) -> Optional[Dest]:
        return self._memo(dns_key(self), self._dns_step)

    def _dns_step(self) -> Optional[Dest]:
        """H1, with the hostname the SDK calls and why shown in the answering hop (SDK-1..SDK-5)."""
        mark = len(self.hops)
        dest = self._resolve()
        choice = self._sdk_choice() if self.t.kind == "service" and not self.t.hostname else None
        if choice is not None and choice.hostname:
            for i in range(len(self.hops) - 1, mark - 1, -1):
                h = self.hops[i]
                if h.hop == "H1":
                    self.hops[i] = dataclasses.replace(h, detail=f"{h.detail} — {choice.why}")
                    break
        return dest

    def _resolve(self) -> Optional[Dest]:
        t, vpc, net = self.t, self.vpc, self.net
        if t.kind == "address":
            ip = ipaddress.ip_address(t.ip)
            self.hop("H1", vpc.vpc_id, "dns", PASS, f"{t.ip} is an address: no DNS lookup")
            return Dest(ip, None, public=not ip.is_private)
        if t.kind == "host" and not t.hostname:
            ip = ipaddress.ip_address(t.host.private_ip)
            self.hop("H1", vpc.vpc_id, "dns", PASS, f"{t.host.label} addressed as {ip}: no DNS lookup")
            return Dest(ip, None)
        choice = self._sdk_choice()
        name = choice.hostname if choice else None
        if name is None:
            self.unknown("H1", vpc.vpc_id, "dns", f"{t.service.title if t.service else t.text} is called at a name "
                         "that depends on the resource (e.g. an API id); give the target as https://NAME",
                         "UNKNOWN_DESTINATION")
            return None
        u = net.unknown("vpcs", f"{vpc.vpc_id}:enableDnsSupport", f"{vpc.vpc_id}:enableDnsHostnames", "dhcp_options")
        if u:
            self.unknown("H1", vpc.vpc_id, "dns", f"how {vpc.label} resolves {name} is not known: its DNS settings could not be read ({u})")
            return None
        dhcp = vpc.dhcp_options
        amazon = dhcp.uses_amazon_dns
        both_attrs = vpc.enable_dns_support and vpc.enable_dns_hostnames
        if amazon:
            if not vpc.enable_dns_support:
                self.hop("H1", vpc.vpc_id, "dns", DROP, f"{name}: the Amazon DNS server does not answer (enableDnsSupport is false)",
                         Highlight("vpc", vpc.vpc_id, "enable_dns_support"))
                self.block("H1", "DNS_RESOLUTION_DISABLED", vpc.vpc_id,
                           f"enableDnsSupport is false on {vpc.label}: lookups of {name} to AmazonProvidedDNS go unanswered",
                           f"set enableDnsSupport=true on {vpc.vpc_id} (or call an IP address)")
                both_attrs = False  # continue as if fixed, to find the other blockers
            resolver = "AmazonProvidedDNS"
        else:
            resolver = ", ".join(dhcp.domain_name_servers)
            if not self._custom_dns_reachable(name, dhcp.domain_name_servers):
                return None
        # DNS Firewall (DNS-5)
        fw = vpc.dns_firewall
        if fw is not None and amazon:
            if fw.impaired and fw.fail_mode == "closed":
                self.hop("H1", vpc.vpc_id, "dns-firewall", DROP, f"{name}: SERVFAIL (DNS Firewall impaired, fail closed)")
                self.block("H1", "DNS_FIREWALL_FAIL_CLOSED", vpc.vpc_id,
                           "the DNS Firewall cannot answer and the VPC's failure mode is fail closed: every query gets SERVFAIL",
                           f"set the DNS Firewall failure mode of {vpc.vpc_id} to fail open, or restore the firewall")
            for d in fw.blocked_domains:
                if _domain_match(name, d):
                    self.hop("H1", vpc.vpc_id, "dns-firewall", DROP, f"{name}: {fw.response} (DNS Firewall blocks {d})")
                    self.block("H1", "DNS_FIREWALL_BLOCK", vpc.vpc_id,
                               f"a DNS Firewall rule on {vpc.label} blocks {d}; the answer is {fw.response}",
                               f"remove {d} from the blocked domain list, or add an ALLOW rule for {name} with a higher priority")
                    break
        # private hosted zones (DNS-4), effective only with both attributes
        if amazon and both_attrs:
            u = net.unknown("private_hosted_zones")
            if u:
                self.notes.append(f"the private hosted zones could not all be read ({u}): a zone associated with "
                                  f"{vpc.label} could answer {name} differently (centralized endpoints are named this way)")
            zones = [z for z in net.private_hosted_zones if vpc.vpc_id in z.vpc_ids and _domain_match(name, z.name)]
            if zones:
                z = max(zones, key=lambda z: len(z.name))
                rec = dict(z.records).get(name)
                if rec is None:
                    self.hop("H1", z.hosted_zone_id or z.name, "dns", DROP, f"{name}: NXDOMAIN from private hosted zone {z.name}")
                    self.block("H1", "PHZ_SHADOWS_NAME", z.hosted_zone_id or z.name,
                               f"private hosted zone {z.name} is associated with {vpc.label} and has no record for {name}; "
                               "the Resolver answers NXDOMAIN and does not fall back to public DNS",
                               f"add a record for {name} to {z.name}, or narrow the zone")
                    return None
                ip = ipaddress.ip_address(rec)
                self.hop("H1", z.hosted_zone_id or z.name, "dns", PASS, f"{name} → {ip} (private hosted zone {z.name})")
                return Dest(ip, name, public=not ip.is_private)
        # endpoint-specific names: public DNS records with the endpoint's private answers (DNS-11)
        if name.endswith(".vpce.amazonaws.com"):
            return self._endpoint_specific(name)
        # names of hosts in the network (DNS-8, DNS-9)
        h = _hosts_by_dns(net).get(name)
        if h is not None:
            return self._host_name(name, h, amazon, both_attrs)
        found = service_for_hostname(name)
        if found is None:
            return self._other_name(name, resolver)
        svc, region, legacy = found
        region = region or self.t.region or net.region
        u = net.unknown("vpc_endpoints", "network_interfaces") if svc.interface_endpoint else None
        if u:
            self.unknown("H1", vpc.vpc_id, "dns", f"whether an interface endpoint answers for {name} is not known ({u})")
            return None
        # interface endpoint private DNS (EP-7, DNS-3, DNS-7)
        candidates = [e for e in _endpoints_by_vpc(net).get(vpc.vpc_id, ())
                      if e.is_interface and e.service == svc.name and e.region == region]
        for e in candidates:
            if not svc.covers(name, region):
                why = uncovered_reason(svc, name, region) or f"not covered: {svc.title} endpoints' private DNS does not cover {name}"
                fix = _uncovered_fix(svc, e, name, region, choice)
                self.dns_causes.append(Finding("H1", "HOSTNAME_NOT_COVERED_BY_PRIVATE_DNS", e.vpc_endpoint_id,
                                               f"{name} is {why}; it resolves to {svc.title}'s public addresses", fix))
                continue
            if not e.private_dns_enabled:
                self.dns_causes.append(Finding("H1", "PRIVATE_DNS_NOT_EFFECTIVE", e.vpc_endpoint_id,
                                               f"{e.label} has private DNS off, so {name} resolves to public addresses, not to the endpoint",
                                               f"enable private DNS on {e.vpc_endpoint_id}, or call its endpoint-specific name"))
                continue
            if svc.name == "s3" and e.private_dns_only_for_inbound_resolver_endpoint and any(
                    g.is_gateway and g.service == "s3" and g.region == region
                    for g in _endpoints_by_vpc(net).get(vpc.vpc_id, ())):
                self.notes.append(f"{e.label} has private DNS only for the inbound Resolver endpoint: callers in the "
                                  "VPC resolve S3 publicly and use the S3 gateway endpoint (EP-9)")
                continue
            if not (both_attrs and (amazon or dhcp.forwards_to_amazon_dns)):
                missing = [a for a, v in (("enableDnsSupport", vpc.enable_dns_support), ("enableDnsHostnames", vpc.enable_dns_hostnames)) if not v]
                why = (f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} false on {vpc.label}" if missing
                       else "the custom DNS servers do not forward amazonaws.com to the Amazon DNS server")
                self.dns_causes.append(Finding("H1", "PRIVATE_DNS_NOT_EFFECTIVE", e.vpc_endpoint_id,
                                               f"{e.label} has private DNS on, but {why}; {name} resolves to public addresses",
                                               f"set both enableDnsSupport and enableDnsHostnames to true on {vpc.vpc_id}" if missing
                                               else "forward amazonaws.com from the custom resolver to the VPC+2 resolver"))
                continue
            eni = self._pick_eni(e)
            if eni is None:
                continue
            ip = self._eni_address(e, eni)
            self.hop("H1", e.vpc_endpoint_id, "dns", PASS,
                     f"{name} → {ip} (private DNS of {e.label}, VPC-wide)", Highlight("endpoint", e.vpc_endpoint_id))
            if svc.name == "execute-api" and net.external_host(name) is not None:
                # a public API's name now answers with the endpoint: API Gateway refuses it (DNS-12)
                self.block("H1", "PRIVATE_API_DNS_PUBLIC_API", e.vpc_endpoint_id,
                           f"ForbiddenException (403): {name} is a public API, but {e.label}'s private DNS answers every "
                           f"execute-api name in {vpc.label} with the endpoint, and a public API is not served through it",
                           f"turn private DNS off on {e.vpc_endpoint_id} (call private APIs at their endpoint-specific "
                           "names), or call the public API through a custom domain name")
            return Dest(ip, name)
        # a private hosted zone that answers this name for other VPCs (centralized endpoints) but is
        # not associated with this one: the name resolves publicly here (TGW-9)
        if amazon:
            for z in net.private_hosted_zones:
                if vpc.vpc_id not in z.vpc_ids and _domain_match(name, z.name) and dict(z.records).get(name):
                    self.dns_causes.append(Finding(
                        "H1", "PHZ_NOT_ASSOCIATED", z.hosted_zone_id or z.name,
                        f"private hosted zone {z.name} answers {name} with {dict(z.records)[name]} (a centralized "
                        f"endpoint), but it is not associated with {vpc.label}, so {name} resolves to public IPs here",
                        f"associate {z.hosted_zone_id or z.name} with {vpc.vpc_id} (Route 53 AssociateVPCWithHostedZone)"))
                    break
        for f in self.dns_causes:
            self.hop("H1", f.component_id, "dns", INFO, f.explanation)
        # public answer: an address of the service vpctui does not know as a fact (LAMBDA-9)
        use_v6 = bool(self.src_ip6) and svc.aaaa and not legacy
        if self.src_ip6 and not svc.aaaa:
            self.notes.append(f"{name} has no AAAA record, so the function uses IPv4 for it (SDK-4)")
            self.no_aaaa = name
        ip = _service_address(svc, region, use_v6)
        self.hop("H1", vpc.vpc_id, "dns", PASS, f"{name} → {ip} (via {resolver})")
        return Dest(ip, name, service_key=(svc.name, region), public=True)

    # ---- names that are not a catalog service's -------------------------------------------------

    def _endpoint_specific(self, name: str) -> Optional[Dest]:
        """vpce-ID-xxxx[-AZ].SERVICE.REGION.vpce.amazonaws.com, with bucket./accesspoint./control. in
        front for S3: resolve to the endpoint when the service and the Region are the endpoint's."""
        net, vpc = self.net, self.vpc
        labels = name.split(".")
        i = next((k for k, lab in enumerate(labels) if lab.startswith("vpce-")), None)
        ep = None
        if i is not None and (i == 0 or (i == 1 and labels[0] in ("bucket", "accesspoint", "control"))):
            rest = labels[i + 1:-3]  # SERVICE... REGION
            for e in net.vpc_endpoints:
                if labels[i] == e.vpc_endpoint_id or labels[i].startswith(e.vpc_endpoint_id + "-"):
                    if rest and rest[-1] == e.region and ".".join(rest[:-1]) == e.service and (i == 0 or e.service == "s3"):
                        ep = e
                    break
        if ep is None or not ep.enis:
            self.hop("H1", vpc.vpc_id, "dns", DROP, f"{name}: NXDOMAIN (no endpoint of that service and Region)")
            self.block("H1", "UNKNOWN_DESTINATION", vpc.vpc_id,
                       f"{name} names no endpoint in this network with that service and Region (DNS-11)",
                       "use a DNS name shown on the endpoint (its service and Region are part of the name)", DNS_FAILURE)
            return None
        eni = self._pick_eni(ep)
        ip = self._eni_address(ep, eni)
        self.hop("H1", ep.vpc_endpoint_id, "dns", PASS, f"{name} → {ip} (endpoint-specific name)", Highlight("endpoint", ep.vpc_endpoint_id))
        return Dest(ip, name)

    def _host_name(self, name: str, h: Host, amazon: bool, both_attrs: bool) -> Optional[Dest]:
        """A host's name resolves as AWS resolves it (DNS-8, DNS-9): an RDS name everywhere (its
        private address inside its VPC, and from a peer whose peering resolves DNS; a publicly
        accessible one's public address elsewhere), an EC2 private name in its VPC (and a peer with DNS
        resolution); any other name only through a private hosted zone of the caller's VPC."""
        net, vpc = self.net, self.vpc
        sub = net.get(h.subnet_id)
        host_vpc = sub.vpc_id if sub is not None else ""
        aws_name = name.endswith(".rds.amazonaws.com") or name.endswith(".compute.internal") or name.endswith(".ec2.internal")
        if not aws_name:
            self.unknown("H1", vpc.vpc_id, "dns",
                         f"{name} ({h.label}) is not answered by a private hosted zone associated with {vpc.label}"
                         + ("" if (amazon and both_attrs) else " (zones need AmazonProvidedDNS and both VPC DNS attributes)")
                         + "; whether public DNS has it is not known (DNS-9)", "UNKNOWN_DESTINATION",
                         f"add a record for {name} to a private hosted zone associated with {vpc.vpc_id}, or declare it under external_hosts")
            return None
        same = host_vpc == vpc.vpc_id
        pcx = next((p for p in net.peering_connections if p.peer_of(vpc.vpc_id) == host_vpc and p.status == "active"), None)
        private = same or (pcx is not None and pcx.allow_dns_resolution)
        public_ok = name.endswith(".rds.amazonaws.com") and h.public_ip
        if private or (name.endswith(".rds.amazonaws.com") and not h.public_ip):
            ip = ipaddress.ip_address(h.private_ip)
            why = ("in its own VPC" if same else f"over {pcx.vpc_peering_connection_id} with DNS resolution" if private
                   else "not publicly accessible: its name has the private address everywhere")
            self.hop("H1", vpc.vpc_id, "dns", PASS, f"{name} → {ip} ({h.label}, {why})")
            return Dest(ip, name)
        if pcx is not None:
            self.dns_causes.append(Finding("H1", "PEERING_DNS_RESOLUTION_OFF", pcx.vpc_peering_connection_id,
                                           f"{pcx.vpc_peering_connection_id} does not resolve {host_vpc}'s names to private "
                                           f"addresses for {vpc.label} (DNS resolution is off), so {name} resolves to "
                                           + ("its public address" if public_ok else "nothing private"),
                                           f"allow DNS resolution from {vpc.vpc_id} on {pcx.vpc_peering_connection_id}"))
            self.hop("H1", pcx.vpc_peering_connection_id, "dns", INFO, self.dns_causes[-1].explanation)
        if public_ok:
            ip = ipaddress.ip_address(h.public_ip)
            self.hop("H1", vpc.vpc_id, "dns", PASS, f"{name} → {ip} ({h.label}'s public address: publicly accessible, outside its VPC)")
            return Dest(ip, name, public=True)
        self.unknown("H1", vpc.vpc_id, "dns", f"{name} is {h.label}'s private name in {host_vpc}: it does not resolve "
                     f"in {vpc.label}" + (" without DNS resolution on the peering" if pcx else ""), "UNKNOWN_DESTINATION")
        return None

    def _other_name(self, name: str, resolver: str) -> Optional[Dest]:
        """A name that is no catalog service's and no host's: an external host the scenario declares,
        else unknown (vpctui knows no internet DNS; DNS-10, CAT-1)."""
        net, vpc = self.net, self.vpc
        ext = net.external_host(name)
        if ext is not None:
            ip = _external_address(ext, name)
            self.hop("H1", vpc.vpc_id, "dns", PASS, f"{name} → {ip} (public DNS via {resolver})")
            return Dest(ip, name, public=True)
        odd = [e for e in _endpoints_by_vpc(net).get(vpc.vpc_id, ())
               if e.is_interface and endpoint_service_short(e.service_name) not in CATALOG
               and (name.startswith(e.service + ".") or f".{e.service}." in name)]
        if odd:
            e = odd[0]
            self.unknown("H1", e.vpc_endpoint_id, "dns",
                         f"{e.label}'s service {e.service_name} is not in vpctui's service catalog (CAT-1): whether its "
                         f"private DNS answers {name} is not known", "UNKNOWN_SERVICE",
                         f"check the service name of {e.vpc_endpoint_id}, or call its endpoint-specific name")
            return None
        self.unknown("H1", vpc.vpc_id, "dns",
                     f"{name} is not in the scenario: vpctui does not know the internet's DNS, so whether it exists and "
                     "where it points is not known (declare it under external_hosts; DNS-10)", "UNKNOWN_DESTINATION",
                     f"declare {name} under external_hosts in the scenario (with its CIDR if you know it)")
        return None

    def _eni_address(self, e: VpcEndpoint, eni):
        """An endpoint ENI's address: the input's, or one the loader picked (shown as AWS's choice)."""
        ip = ipaddress.ip_address(eni.private_ip)
        if getattr(eni, "address_assigned", False):
            sub = self.net.get(eni.subnet_id)
            where = sub.label if sub is not None else eni.subnet_id
            return described(ip, f"the address of {e.label}'s network interface in {where} (assigned by AWS)",
                             sub.cidr_block if sub is not None and sub.cidr_block else "")
        return ip

    def _pick_eni(self, e: VpcEndpoint):
        enis = [x for x in e.enis if x.private_ip]
        if not enis:
            return None
        same = [x for x in enis if getattr(self.net.get(x.subnet_id), "availability_zone", None) == self.sub.availability_zone]
        if not same:
            self.notes.append(f"{e.label} has no ENI in {self.sub.availability_zone}: traffic crosses AZs "
                              "(AVAILABILITY_ZONE_CROSSED; an availability risk, not a block)")
        return (same or enis)[0]

    def _custom_dns_reachable(self, name: str, servers: tuple[str, ...]) -> bool:
        """DNS to a custom resolver is ordinary traffic, both ways (DNS-6): the query (UDP 53) through the
        function's SGs, its subnet's NACL, the route (a peering too), the server's NACL and SGs; the
        reply through both NACLs again (stateless) and, over a peering, the return route."""
        net, sub = self.net, self.sub
        src = self.src_ip
        src_cidr = sub.cidr_block or str(src)
        errs = []
        for s in servers:
            ip = ipaddress.ip_address(s)
            owner = _owners(net).get(s)
            peer = Peer(ip, None, frozenset(owner.group_ids) if owner else frozenset())
            d = sg_allows(net, self.src_sgs, True, "udp", 53, peer)
            if not d.allowed:
                errs.append((s, f"the function's security groups do not allow UDP 53 to {s}",
                             f"allow UDP and TCP 53 to {s}/32 in {self.src_sgs[0].group_id if self.src_sgs else 'the function SG'} egress",
                             self.src_sgs[0].group_id if self.src_sgs else self.vpc.vpc_id))
                continue
            far_acl = net.nacl_of_subnet.get(owner.subnet_id) if owner is not None else None
            src_acl = net.nacl_of_subnet.get(sub.subnet_id)
            pcx_id = ""
            if owner is None or owner.subnet_id != sub.subnet_id:
                if src_acl is not None and not nacl_allows(src_acl, True, "udp", PortRange(53, 53), ip).allowed:
                    errs.append((s, f"{src_acl.label} does not allow UDP 53 out to {s}",
                                 f"allow UDP 53 outbound to {s}/32 in {src_acl.network_acl_id}", src_acl.network_acl_id))
                    continue
                rt = net.route_table_of_subnet.get(sub.subnet_id)
                m = lookup(net, rt, peer, self.lookups) if rt else None
                if m is None or m.route.state != "active":
                    errs.append((s, f"no route to the DNS server {s}", f"add a route to {s}/32", rt.route_table_id if rt else self.vpc.vpc_id))
                    continue
                target = m.route.target
                if target.startswith(MAYBE_ELSEWHERE_PREFIXES) or owner is None or target not in ("local",) and not target.startswith("pcx-"):
                    # beyond what vpctui follows (a VPN, a transit gateway) or an address nothing in
                    # the file owns: whether the resolver answers is not known
                    self.unknown("H1", target if target != "local" else self.vpc.vpc_id, "dns",
                                 f"the custom DNS server {s} is reached through {target}; whether it answers "
                                 f"{name} is not known", "UNKNOWN_DESTINATION")
                    return True
                if target.startswith("pcx-"):
                    pcx = net.get(target)
                    if pcx is None or pcx.status != "active" or pcx.peer_of(self.vpc.vpc_id) != owner.vpc_id:
                        errs.append((s, f"{target} does not carry the query to {s}", f"route {s}/32 to an active peering with its VPC",
                                     rt.route_table_id))
                        continue
                    pcx_id = target
                if far_acl is not None and not nacl_allows(far_acl, False, "udp", PortRange(53, 53), src).allowed:
                    errs.append((s, f"{far_acl.label} (the DNS server's subnet) does not allow UDP 53 in from {src}",
                                 f"allow UDP 53 inbound from {src_cidr} in {far_acl.network_acl_id}", far_acl.network_acl_id))
                    continue
            if owner is not None and owner.group_ids:
                din = sg_allows(net, _sgs(net, owner.group_ids), False, "udp", 53,
                                Peer(src, None, frozenset(self.fn.security_group_ids)))
                if not din.allowed:
                    errs.append((s, f"the DNS server's security groups do not admit UDP 53 from the function",
                                 f"allow UDP and TCP 53 inbound from the function SG on {owner.group_ids[0]}", owner.group_ids[0]))
                    continue
            if owner is not None and owner.subnet_id != sub.subnet_id:
                # the reply: stateless NACLs both sides, and over a peering the route back (NACL-4, PCX-1)
                if far_acl is not None and not nacl_allows(far_acl, True, "udp", EPHEMERAL, src).allowed:
                    errs.append((s, f"{far_acl.label} (the DNS server's subnet) does not let the reply out to {src} "
                                 "on ports 1024-65535 (network ACLs are stateless)",
                                 f"allow UDP 1024-65535 outbound to {src_cidr} in {far_acl.network_acl_id}", far_acl.network_acl_id))
                    continue
                if pcx_id:
                    far_rt = net.route_table_of_subnet.get(owner.subnet_id)
                    back = lookup(net, far_rt, Peer(src), self.lookups) if far_rt else None
                    if back is None or back.route.target != pcx_id or back.route.state != "active":
                        rid = far_rt.route_table_id if far_rt else owner.subnet_id
                        errs.append((s, f"the reply from {s} has no route back over {pcx_id} in {rid}",
                                     f"add a route {src_cidr} → {pcx_id} to {rid}", rid))
                        continue
                if src_acl is not None and not nacl_allows(src_acl, False, "udp", EPHEMERAL, ip).allowed:
                    errs.append((s, f"{src_acl.label} does not let the reply from {s} in on ports 1024-65535 "
                                 "(network ACLs are stateless)",
                                 f"allow UDP 1024-65535 inbound from {s}/32 in {src_acl.network_acl_id}", src_acl.network_acl_id))
                    continue
            self.hop("H1", self.vpc.vpc_id, "dns", PASS, f"{name} resolved by the custom DNS server {s} (UDP 53 both ways allowed)")
            return True
        s, expl, fix, comp = errs[0]
        self.hop("H1", comp, "dns", DROP, f"{name}: no answer from {s} (EAI_AGAIN)")
        self.block("H1", "CUSTOM_DNS_UNREACHABLE", comp,
                   f"the VPC's DHCP options send DNS to {', '.join(servers)}; {expl}. "
                   "Unlike AmazonProvidedDNS, a custom resolver is filtered like any other traffic (DNS-6)", fix)
        return False


def _domain_match(name: str, domain: str) -> bool:
    d = domain.lstrip("*.").lower().rstrip(".")
    return name == d or name.endswith("." + d)


def _service_address(svc, region: str, v6: bool):
    """A representative public address of ``svc`` in ``region``, shown as what it is (LAMBDA-9); a
    fix names the service's managed prefix list (S3, DynamoDB) or 0.0.0.0/0 instead."""
    ip = public_address_v6(svc.name, region) if v6 else public_address(svc.name, region)
    if svc.gateway_endpoint:
        pl = managed_prefix_list_id(svc.name, region)
        fix_sg = f"the {svc.name} prefix list ({pl}) or {'::/0' if v6 else '0.0.0.0/0'}"
        fix_nacl = f"{'::/0' if v6 else '0.0.0.0/0'} (or the CIDRs of the {svc.name} prefix list {pl}; a network ACL cannot name a prefix list)"
    else:
        fix_sg = fix_nacl = "::/0" if v6 else "0.0.0.0/0"
    return described(ip, f"a public {'IPv6 ' if v6 else ''}address of {svc.title} in {region}", fix_sg, fix_nacl)


def _external_address(ext, name: str):
    """A declared external host: an address in its CIDR when the scenario gives one (so routes and
    rules are matched against it), shown as what it is; fixes name the CIDR or prefix list."""
    if ext.cidrs:
        net = ipaddress.ip_network(ext.cidrs[0], strict=False)
        ip = net.network_address if net.num_addresses == 1 else net[1]
        cidrs = ", ".join(ext.cidrs)
        return described(ip, f"an address of {name} in {cidrs}", cidrs)
    label = f"the public address of {name} (not known offline)"
    unknown = f"0.0.0.0/0 ({name}'s addresses are not known offline: narrow it to them if you know them)"
    if ext.prefix_list_id:
        return described(internet_address(name), label, ext.prefix_list_id, unknown)
    return described(internet_address(name), label, unknown)


def _uncovered_fix(svc, e, name: str, region: str, choice) -> str:
    if svc.name == "sts":
        return f"call sts.{region}.amazonaws.com (set AWS_STS_REGIONAL_ENDPOINTS=regional in the function's environment)"
    if svc.name == "s3" and name.endswith(".s3.amazonaws.com") or name == "s3.amazonaws.com":
        return ("set AWS_S3_US_EAST_1_REGIONAL_ENDPOINT=regional in the function's environment (the SDK then calls "
                f"s3.{region}.amazonaws.com), or add an S3 gateway endpoint to the route table")
    if svc.private_dns_covers:
        return f"call {svc.host(region)}"
    env = svc.endpoint_url_env or "endpoint_url"
    return f"set {env} to the endpoint-specific name of {e.vpc_endpoint_id}, or add a gateway endpoint"
