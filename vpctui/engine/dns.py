"""H1, DNS: what the function's lookup of the target's name answers (docs/aws-behaviour.md, DNS).

Amazon DNS, custom resolvers (ordinary UDP 53 traffic through SG, NACL and route), DNS Firewall,
private hosted zones, endpoint-specific names, interface endpoints' private DNS, public answers.
"""

from __future__ import annotations

import ipaddress
from typing import Optional

from ..model.network import PortRange, VpcEndpoint
from ..model.route_targets import MAYBE_ELSEWHERE_PREFIXES
from ..model.services import internet_address, public_address, public_address_v6, service_for_hostname, uncovered_reason
from .cache import dns_key
from .filters import Peer, nacl_allows, sg_allows
from .index import _endpoints_by_vpc, _hosts_by_dns, _owners, _sgs
from .path import Dest, PathLog
from .result import DNS_FAILURE, DROP, INFO, PASS, Finding, Highlight
from .routing import lookup


class DnsSteps(PathLog):
    def _sdk_hostname(self) -> Optional[str]:
        t = self.t
        if t.hostname:
            return t.hostname
        if t.service is None:
            return None
        svc = t.service
        if svc.name == "sts" and self.fn.sts_regional_endpoints == "legacy":
            return "sts.amazonaws.com"
        if svc.name == "s3" and t.resource_arn.startswith("arn:aws:s3:::"):
            bucket = t.resource_arn[len("arn:aws:s3:::"):].split("/", 1)[0]
            return f"{bucket}.s3.{t.region}.amazonaws.com"
        if svc.name == "ecr.dkr":
            return f"{self.net.account_id}.dkr.ecr.{t.region}.amazonaws.com"
        return svc.host(t.region)

    def _dns(self) -> Optional[Dest]:
        return self._memo(dns_key(self), self._dns_step)

    def _dns_step(self) -> Optional[Dest]:
        t, vpc, net = self.t, self.vpc, self.net
        if t.kind == "address":
            ip = ipaddress.ip_address(t.ip)
            self.hop("H1", vpc.vpc_id, "dns", PASS, f"{t.ip} is an address: no DNS lookup")
            return Dest(ip, None, public=not ip.is_private)
        if t.kind == "host" and not t.hostname:
            ip = ipaddress.ip_address(t.host.private_ip)
            self.hop("H1", vpc.vpc_id, "dns", PASS, f"{t.host.label} addressed as {ip}: no DNS lookup")
            return Dest(ip, None)
        name = self._sdk_hostname()
        assert name is not None
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
        # DNS Firewall (R5.5)
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
        # private hosted zones (R5.4), effective only with both attributes
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
        # endpoint-specific names (public DNS records with private answers)
        if name.endswith(".vpce.amazonaws.com"):
            ep = next((e for e in net.vpc_endpoints if name.startswith(e.vpc_endpoint_id + "-") or name.startswith(e.vpc_endpoint_id + ".")), None)
            if ep is None or not ep.enis:
                self.hop("H1", vpc.vpc_id, "dns", DROP, f"{name}: NXDOMAIN (no such endpoint)")
                self.block("H1", "UNKNOWN_DESTINATION", vpc.vpc_id,
                           f"{name} names no endpoint in this network", "use the DNS name shown on the endpoint", DNS_FAILURE)
                return None
            eni = self._pick_eni(ep)
            ip = ipaddress.ip_address(eni.private_ip)
            self.hop("H1", ep.vpc_endpoint_id, "dns", PASS, f"{name} → {ip} (endpoint-specific name)", Highlight("endpoint", ep.vpc_endpoint_id))
            return Dest(ip, name)
        # hosts with DNS names (RDS endpoints resolve to private IPs inside the VPC, R5.9)
        h = _hosts_by_dns(net).get(name)
        if h is not None:
            ip = ipaddress.ip_address(h.private_ip)
            self.hop("H1", vpc.vpc_id, "dns", PASS, f"{name} → {ip} ({h.label})")
            return Dest(ip, name)
        found = service_for_hostname(name)
        if found is None:
            ip = internet_address(name)
            self.hop("H1", vpc.vpc_id, "dns", PASS, f"{name} → {ip} (public DNS via {resolver})")
            return Dest(ip, name, public=True)
        svc, region, legacy = found
        region = region or self.t.region or net.region
        u = net.unknown("vpc_endpoints", "network_interfaces") if svc.interface_endpoint else None
        if u:
            self.unknown("H1", vpc.vpc_id, "dns", f"whether an interface endpoint answers for {name} is not known ({u})")
            return None
        # interface endpoint private DNS (R4.10, R4.11, R5.3)
        candidates = [e for e in _endpoints_by_vpc(net).get(vpc.vpc_id, ())
                      if e.is_interface and e.service == svc.name and e.region == region]
        for e in candidates:
            if not svc.covers(name, region):
                why = uncovered_reason(svc, name, region) or f"not covered: {svc.title} endpoints' private DNS does not cover {name}"
                fix = (f"call sts.{region}.amazonaws.com (AWS_STS_REGIONAL_ENDPOINTS=regional)" if svc.name == "sts"
                       else f"call {svc.host(region)}" if svc.private_dns_covers
                       else f"set endpoint_url to the endpoint-specific name of {e.vpc_endpoint_id}, or add a gateway endpoint")
                self.dns_causes.append(Finding("H1", "HOSTNAME_NOT_COVERED_BY_PRIVATE_DNS", e.vpc_endpoint_id,
                                               f"{name} is {why}; it resolves to public IPs", fix))
                continue
            if not e.private_dns_enabled:
                self.dns_causes.append(Finding("H1", "PRIVATE_DNS_NOT_EFFECTIVE", e.vpc_endpoint_id,
                                               f"{e.label} has private DNS off, so {name} resolves to public IPs, not to the endpoint",
                                               f"enable private DNS on {e.vpc_endpoint_id}, or call its endpoint-specific name"))
                continue
            if svc.name == "s3" and e.private_dns_only_for_inbound_resolver_endpoint and any(
                    g.is_gateway and g.service == "s3" and g.region == region
                    for g in _endpoints_by_vpc(net).get(vpc.vpc_id, ())):
                self.notes.append(f"{e.label} has private DNS only for the inbound Resolver endpoint: callers in the "
                                  "VPC resolve S3 publicly and use the S3 gateway endpoint (R4.13)")
                continue
            if not (both_attrs and (amazon or dhcp.forwards_to_amazon_dns)):
                missing = [a for a, v in (("enableDnsSupport", vpc.enable_dns_support), ("enableDnsHostnames", vpc.enable_dns_hostnames)) if not v]
                why = (f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} false on {vpc.label}" if missing
                       else "the custom DNS servers do not forward amazonaws.com to the Amazon DNS server")
                self.dns_causes.append(Finding("H1", "PRIVATE_DNS_NOT_EFFECTIVE", e.vpc_endpoint_id,
                                               f"{e.label} has private DNS on, but {why}; {name} resolves to public IPs",
                                               f"set both enableDnsSupport and enableDnsHostnames to true on {vpc.vpc_id}" if missing
                                               else "forward amazonaws.com from the custom resolver to the VPC+2 resolver"))
                continue
            eni = self._pick_eni(e)
            if eni is None:
                continue
            ip = ipaddress.ip_address(eni.private_ip)
            self.hop("H1", e.vpc_endpoint_id, "dns", PASS,
                     f"{name} → {ip} (private DNS of {e.label}, VPC-wide)", Highlight("endpoint", e.vpc_endpoint_id))
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
        # public answer
        use_v6 = bool(self.src_ip6) and svc.aaaa and not legacy
        if self.src_ip6 and not svc.aaaa:
            self.notes.append(f"{name} has no AAAA record, so the function uses IPv4 for it (R1.8)")
            self.no_aaaa = name
        ip = public_address_v6(svc.name, region) if use_v6 else public_address(svc.name, region)
        self.hop("H1", vpc.vpc_id, "dns", PASS, f"{name} → {ip} (public {svc.title} address, via {resolver})")
        return Dest(ip, name, service_key=(svc.name, region), public=True)

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
        """DNS to a custom resolver is ordinary traffic (R5.6): UDP 53 through SG, NACL, route."""
        errs = []
        for s in servers:
            ip = ipaddress.ip_address(s)
            owner = _owners(self.net).get(s)
            peer = Peer(ip, None, frozenset(owner.group_ids) if owner else frozenset())
            d = sg_allows(self.net, self.src_sgs, True, "udp", 53, peer)
            if not d.allowed:
                errs.append((s, f"the function's security groups do not allow UDP 53 to {s}",
                             f"allow UDP and TCP 53 to {s} in {self.src_sgs[0].group_id if self.src_sgs else 'the function SG'} egress",
                             self.src_sgs[0].group_id if self.src_sgs else self.vpc.vpc_id))
                continue
            if owner is None or owner.subnet_id != self.sub.subnet_id:
                acl = self.net.nacl_of_subnet.get(self.sub.subnet_id)
                if acl is not None and not nacl_allows(acl, True, "udp", PortRange(53, 53), ip).allowed:
                    errs.append((s, f"{acl.label} does not allow UDP 53 out to {s}", f"allow UDP 53 to {s} outbound in {acl.network_acl_id}", acl.network_acl_id))
                    continue
                rt = self.net.route_table_of_subnet.get(self.sub.subnet_id)
                m = lookup(self.net, rt, peer, self.lookups) if rt else None
                if m is None or m.route.state != "active":
                    errs.append((s, f"no route to the DNS server {s}", f"add a route to {s}", rt.route_table_id if rt else self.vpc.vpc_id))
                    continue
                if m.route.target.startswith(MAYBE_ELSEWHERE_PREFIXES) or (m.route.target == "local" and owner is None):
                    # beyond what vpctui follows (a VPN, a transit gateway) or an address nothing in
                    # the file owns: whether the resolver answers is not known
                    self.unknown("H1", m.route.target if m.route.target != "local" else self.vpc.vpc_id, "dns",
                                 f"the custom DNS server {s} is reached through {m.route.target}; whether it answers "
                                 f"{name} is not known", "UNKNOWN_DESTINATION")
                    return True
            if owner is not None and owner.group_ids:
                din = sg_allows(self.net, _sgs(self.net, owner.group_ids), False, "udp", 53,
                                Peer(self.src_ip, None, frozenset(self.fn.security_group_ids)))
                if not din.allowed:
                    errs.append((s, f"the DNS server's security groups do not admit UDP 53 from the function",
                                 f"allow UDP and TCP 53 inbound from the function SG on {owner.group_ids[0]}", owner.group_ids[0]))
                    continue
            self.hop("H1", self.vpc.vpc_id, "dns", PASS, f"{name} resolved by the custom DNS server {s} (UDP 53 allowed)")
            return True
        s, expl, fix, comp = errs[0]
        self.hop("H1", comp, "dns", DROP, f"{name}: no answer from {s} (EAI_AGAIN)")
        self.block("H1", "CUSTOM_DNS_UNREACHABLE", comp,
                   f"the VPC's DHCP options send DNS to {', '.join(servers)}; {expl}. "
                   "Unlike AmazonProvidedDNS, a custom resolver is filtered like any other traffic", fix)
        return False


def _domain_match(name: str, domain: str) -> bool:
    d = domain.lstrip("*.").lower().rstrip(".")
    return name == d or name.endswith("." + d)
