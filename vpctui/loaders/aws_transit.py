"""The live loader's transit gateway and Route 53 private hosted zone calls (read-only).

Kept apart from ``aws.py`` (which calls ``start`` from its first round and ``build`` when it builds
the network) so the two evolve without stepping on each other.

Calls: DescribeTransitGateways, DescribeTransitGatewayAttachments, DescribeTransitGatewayVpcAttachments,
DescribeTransitGatewayRouteTables (one paginated call each); per TGW route table
SearchTransitGatewayRoutes, GetTransitGatewayRouteTableAssociations and
GetTransitGatewayRouteTablePropagations; per VPC ListHostedZonesByVPC, per private hosted zone
GetHostedZone (its VPC associations) and ListResourceRecordSets.

Facts come from the fields that are right in AWS (moto 5.2.x differs; docs/live-aws.md):
- associations from GetTransitGatewayRouteTableAssociations (state ``associated``), one table per
  attachment; the attachment's own ``Association`` only where those could not be read;
- a static route AWS reports without a target attachment and not as a blackhole cannot be
  followed: its route table's routes become unknown (TGW_RTB_ROUTES_ARE_UNKNOWN), never a guess;
- a route to an attachment that no longer exists (the attachments were read completely) is a
  blackhole, as AWS reports it;
- a VPC attachment with two subnets in one AZ (AWS rejects it) keeps the first, with a warning.
"""

from __future__ import annotations

import threading
from typing import Any, Optional

from ..model.network import EndpointEni, PrivateHostedZone, Subnet, VpcEndpoint
from ..model.tgw import TgwAttachment, TgwRoute, TgwRouteTable, TransitGateway

OPERATIONS: tuple[str, ...] = (
    "ec2:DescribeTransitGateways", "ec2:DescribeTransitGatewayAttachments",
    "ec2:DescribeTransitGatewayVpcAttachments", "ec2:DescribeTransitGatewayRouteTables",
    "ec2:SearchTransitGatewayRoutes", "ec2:GetTransitGatewayRouteTableAssociations",
    "ec2:GetTransitGatewayRouteTablePropagations",
    "route53:ListHostedZonesByVPC", "route53:GetHostedZone", "route53:ListResourceRecordSets",
    "network-firewall:ListFirewalls", "network-firewall:DescribeFirewall",
)

_LOCK = threading.Lock()  # the zones already asked for (several VPCs share a zone)
_GONE = ("deleted", "deleting", "failed", "failing", "rejected", "rejecting")
_ROUTE_STATES = ["active", "blackhole"]
SEARCH_MAX = 1000  # SearchTransitGatewayRoutes returns up to 1000 routes; AdditionalRoutesAvailable beyond
# (MaxResults is not sent: moto 5.2.x answers HTTP 500 to it, and AWS returns its maximum without it)


def start(ld) -> None:
    """First-round calls (``ld`` is the aws._Loader)."""
    from .aws import _paginate as P

    ec2 = ld.c.ec2
    ld.submit("tgws", "ec2:DescribeTransitGateways", lambda: P(ec2, "describe_transit_gateways", "TransitGateways"),
              "transit_gateways", label="transit gateways")
    ld.submit("tgw_atts", "ec2:DescribeTransitGatewayAttachments",
              lambda: P(ec2, "describe_transit_gateway_attachments", "TransitGatewayAttachments"),
              "transit_gateway_attachments", label="transit gateway attachments")
    ld.submit("tgw_vpc_atts", "ec2:DescribeTransitGatewayVpcAttachments",
              lambda: P(ec2, "describe_transit_gateway_vpc_attachments", "TransitGatewayVpcAttachments"),
              "transit_gateway_attachments", label="transit gateway VPC attachments")
    ld.submit("firewalls", "network-firewall:ListFirewalls",
              lambda: P(ld.c.nfw, "list_firewalls", "Firewalls"), "network_firewalls",
              then=lambda fws: _per_firewall(ld, fws), label="network firewalls")
    ld.submit("tgw_rtbs", "ec2:DescribeTransitGatewayRouteTables",
              lambda: P(ec2, "describe_transit_gateway_route_tables", "TransitGatewayRouteTables"),
              "transit_gateway_route_tables", then=lambda rtbs: _per_table(ld, rtbs), label="transit gateway route tables")


def start_zones(ld, vpcs: list) -> None:
    """Per VPC: the private hosted zones associated with it (called once the VPCs are known)."""
    for v in vpcs:
        vid = v["VpcId"]
        ld.submit(f"zones:{vid}", "route53:ListHostedZonesByVPC", lambda vid=vid: _zones_of(ld, vid),
                  "private_hosted_zones", then=lambda zs: _per_zone(ld, zs))


def _zones_of(ld, vid: str) -> list:
    out, token = [], None
    while True:
        kw: dict[str, Any] = {"VPCId": vid, "VPCRegion": ld.region}
        if token:
            kw["NextToken"] = token
        page = ld.c.r53.list_hosted_zones_by_vpc(**kw)
        out.extend(page.get("HostedZoneSummaries", ()))
        token = page.get("NextToken")
        if not token:
            return out


def _per_zone(ld, zones: list) -> None:
    from .aws import _paginate as P

    for z in zones:
        zid = z["HostedZoneId"].rsplit("/", 1)[-1]
        with _LOCK:
            seen = ld.st.raw.setdefault("_zones_seen", set())
            if zid in seen:
                continue
            seen.add(zid)
        ld.submit(f"zone:{zid}", "route53:GetHostedZone", lambda zid=zid: ld.c.r53.get_hosted_zone(Id=zid), zid)
        ld.submit(f"records:{zid}", "route53:ListResourceRecordSets",
                  lambda zid=zid: P(ld.c.r53, "list_resource_record_sets", "ResourceRecordSets", HostedZoneId=zid), zid)


def _per_firewall(ld, firewalls: list) -> None:
    for f in firewalls:
        arn = f.get("FirewallArn", "")
        ld.submit(f"firewall:{arn}", "network-firewall:DescribeFirewall",
                  lambda arn=arn: ld.c.nfw.describe_firewall(FirewallArn=arn), "network_firewalls")


def firewall_endpoints(ld, keep, known: set) -> list[VpcEndpoint]:
    """AWS Network Firewall's endpoints (FirewallStatus.SyncStates[AZ].Attachment): Gateway Load
    Balancer endpoints in the firewall subnets, which route tables name as ``vpce-…``."""
    out = []
    for key in sorted(k for k in ld.st.raw if k.startswith("firewall:")):
        got = ld.get(key)
        if not isinstance(got, dict):
            continue
        fw, status = got.get("Firewall") or {}, got.get("FirewallStatus") or {}
        vpc = fw.get("VpcId", "")
        if not keep(vpc):
            continue
        for az, sync in sorted((status.get("SyncStates") or {}).items()):
            att = sync.get("Attachment") or {}
            eid, sid = att.get("EndpointId"), att.get("SubnetId", "")
            if not eid or eid in known:
                continue
            state = "available" if att.get("Status", "READY") in ("READY", "SCALING") else str(att.get("Status")).lower()
            out.append(VpcEndpoint(vpc_endpoint_id=eid, vpc_id=vpc,
                                   service_name=f"network-firewall:{fw.get('FirewallName', '')}",
                                   vpc_endpoint_type="GatewayLoadBalancer", state=state, subnet_ids=(sid,),
                                   enis=(EndpointEni(subnet_id=sid, private_ip=""),) if sid else (),
                                   name=f"{fw.get('FirewallName', 'firewall')} ({az})"))
            known.add(eid)
    return out


def _per_table(ld, rtbs: list) -> None:
    from .aws import _paginate as P

    ec2 = ld.c.ec2
    for r in rtbs:
        rid = r["TransitGatewayRouteTableId"]
        if r.get("State") in _GONE:
            continue
        ld.submit(f"tgw_routes:{rid}", "ec2:SearchTransitGatewayRoutes",
                  lambda rid=rid: ec2.search_transit_gateway_routes(
                      TransitGatewayRouteTableId=rid,
                      Filters=[{"Name": "state", "Values": _ROUTE_STATES}]), rid)
        ld.submit(f"tgw_assoc:{rid}", "ec2:GetTransitGatewayRouteTableAssociations",
                  lambda rid=rid: P(ec2, "get_transit_gateway_route_table_associations", "Associations",
                                    TransitGatewayRouteTableId=rid), f"{rid}:associations")
        ld.submit(f"tgw_prop:{rid}", "ec2:GetTransitGatewayRouteTablePropagations",
                  lambda rid=rid: P(ec2, "get_transit_gateway_route_table_propagations",
                                    "TransitGatewayRouteTablePropagations", TransitGatewayRouteTableId=rid),
                  f"{rid}:propagations")


# --------------------------------------------------------------------------------------------------


def build(ld, sub_by_id: dict[str, Subnet]) -> tuple[list, list, list]:
    """(transit gateways, attachments, TGW route tables) from what the calls brought back."""
    from .aws import _name

    st = ld.st
    tgws = [TransitGateway(
        transit_gateway_id=t["TransitGatewayId"], owner_id=t.get("OwnerId", ""), state=t.get("State", "available"),
        default_route_table_association=(t.get("Options") or {}).get("DefaultRouteTableAssociation", "enable") == "enable",
        default_route_table_propagation=(t.get("Options") or {}).get("DefaultRouteTablePropagation", "enable") == "enable",
        association_default_route_table_id=(t.get("Options") or {}).get("AssociationDefaultRouteTableId", "") or "",
        propagation_default_route_table_id=(t.get("Options") or {}).get("PropagationDefaultRouteTableId", "") or "",
        dns_support=(t.get("Options") or {}).get("DnsSupport", "enable") == "enable", name=_name(t))
        for t in ld.get("tgws", []) if t.get("State") not in _GONE]

    vpc_opts = {a["TransitGatewayAttachmentId"]: a for a in ld.get("tgw_vpc_atts", [])}
    atts: list[TgwAttachment] = []
    raw_atts = ld.get("tgw_atts", [])
    if not raw_atts and vpc_opts:  # DescribeTransitGatewayAttachments denied: the VPC attachments still
        raw_atts = [{"TransitGatewayAttachmentId": k, "TransitGatewayId": a.get("TransitGatewayId", ""),
                     "ResourceType": "vpc", "ResourceId": a.get("VpcId", ""), "ResourceOwnerId": a.get("VpcOwnerId", ""),
                     "State": a.get("State", "available"), "Tags": a.get("Tags", [])} for k, a in vpc_opts.items()]
    for a in raw_atts:
        aid = a["TransitGatewayAttachmentId"]
        if a.get("State") in _GONE:
            continue
        rtype = a.get("ResourceType", "vpc")
        subs: tuple[str, ...] = ()
        appliance, dns = False, True
        if rtype == "vpc":
            v = vpc_opts.get(aid) or {}
            opts = v.get("Options") or {}
            appliance = opts.get("ApplianceModeSupport") == "enable"
            dns = opts.get("DnsSupport", "enable") == "enable"
            if not v and "transit_gateway_attachments" not in st.unknown_kinds():
                st.warn(f"{aid}: no VPC attachment details (DescribeTransitGatewayVpcAttachments): its subnets are unknown")
            per_az: dict[str, str] = {}
            for sid in v.get("SubnetIds", ()):
                s = sub_by_id.get(sid)
                az = s.availability_zone if s is not None else sid
                if az in per_az:
                    st.warn(f"{aid}: {sid} and {per_az[az]} are both in {az} (AWS allows one subnet per AZ); {sid} is ignored")
                    continue
                per_az[az] = sid
            subs = tuple(per_az.values())
        atts.append(TgwAttachment(
            transit_gateway_attachment_id=aid, transit_gateway_id=a.get("TransitGatewayId", ""), resource_type=rtype,
            resource_id=a.get("ResourceId", ""), subnet_ids=subs, appliance_mode_support=appliance, dns_support=dns,
            state=a.get("State", "available"), resource_owner_id=a.get("ResourceOwnerId", ""), name=_name(a)))
    live_atts = {a.transit_gateway_attachment_id for a in atts}
    atts_complete = "transit_gateway_attachments" not in st.unknown_kinds()

    rtbs: list[TgwRouteTable] = []
    claimed: dict[str, str] = {}
    for r in ld.get("tgw_rtbs", []):
        rid = r["TransitGatewayRouteTableId"]
        if r.get("State") in _GONE:
            continue
        routes = _routes(ld, rid, live_atts, atts_complete)
        assoc = ld.get(f"tgw_assoc:{rid}")
        if assoc is None:  # fall back on the attachments' own Association field
            assoc_ids = [a["TransitGatewayAttachmentId"] for a in raw_atts
                         if (a.get("Association") or {}).get("TransitGatewayRouteTableId") == rid
                         and (a.get("Association") or {}).get("State") == "associated"]
        else:
            assoc_ids = [x["TransitGatewayAttachmentId"] for x in assoc if x.get("State", "associated") == "associated"]
        mine = []
        for aid in assoc_ids:
            if aid in claimed:
                st.warn(f"{aid} is reported associated with {claimed[aid]} and {rid}; AWS allows one: {claimed[aid]} is used")
                continue
            claimed[aid] = rid
            mine.append(aid)
        props = [x["TransitGatewayAttachmentId"] for x in ld.get(f"tgw_prop:{rid}", []) if x.get("State") == "enabled"]
        rtbs.append(TgwRouteTable(
            transit_gateway_route_table_id=rid, transit_gateway_id=r.get("TransitGatewayId", ""), routes=tuple(routes),
            associations=tuple(mine), propagations=tuple(props),
            default_association_route_table=bool(r.get("DefaultAssociationRouteTable")),
            default_propagation_route_table=bool(r.get("DefaultPropagationRouteTable")),
            state=r.get("State", "available"), name=_name(r)))
    return tgws, atts, rtbs


def _routes(ld, rid: str, live_atts: set, atts_complete: bool) -> list[TgwRoute]:
    st = ld.st
    got = ld.get(f"tgw_routes:{rid}")
    if got is None:
        return []  # the unknown recorded for rid names the failed call
    out = []
    pls = {p["PrefixListId"]: p for p in ld.get("prefix_lists", [])}
    for r in got.get("Routes", ()):
        dest = r.get("DestinationCidrBlock")
        if not dest and r.get("PrefixListId"):
            entries = ld.get(f"pl:{r['PrefixListId']}")
            if entries is None:
                st.unknown(rid, f"route to prefix list {r['PrefixListId']}: its entries were not read")
                continue
            dests = [e["Cidr"] for e in entries]
        else:
            dests = [dest] if dest else []
        state = r.get("State", "active")
        if state not in ("active", "blackhole"):
            continue
        rtype = r.get("Type", "static")
        att_list = r.get("TransitGatewayAttachments") or []
        aid: Optional[str] = att_list[0].get("TransitGatewayAttachmentId") if att_list else None
        if state == "active" and not aid:
            st.unknown(rid, f"ec2:SearchTransitGatewayRoutes reports the {rtype} route {dest} as active with no target "
                            "attachment, so where it leads is not known")
            continue
        if state == "active" and aid and atts_complete and aid not in live_atts:
            state = "blackhole"  # its attachment no longer exists (AWS reports it so)
        for d in dests:
            out.append(TgwRoute(destination_cidr_block=d, attachment_id=aid, state=state, route_type=rtype))
    if got.get("AdditionalRoutesAvailable"):
        st.unknown(rid, f"ec2:SearchTransitGatewayRoutes returned {SEARCH_MAX} routes and reports more: the rest are not read")
    _ = pls
    return out


def build_zones(ld, endpoints: list[VpcEndpoint], vpc_ids: set[str]) -> list[PrivateHostedZone]:
    """The private hosted zones associated with the loaded VPCs, with their A/AAAA records; an
    alias to an interface endpoint's DNS name answers with that endpoint's first ENI address."""
    zones = []
    by_dns: dict[str, VpcEndpoint] = {}
    for e in endpoints:
        if e.is_interface:
            by_dns[e.vpc_endpoint_id] = e
    for key in sorted(k for k in ld.st.raw if k.startswith("zone:")):
        zid = key[5:]
        got = ld.get(key)
        if not isinstance(got, dict):
            continue
        hz = got.get("HostedZone") or {}
        if not (hz.get("Config") or {}).get("PrivateZone", True):
            continue
        vpcs = tuple(v["VPCId"] for v in got.get("VPCs", ()) if v.get("VPCId") in vpc_ids)
        name = hz.get("Name", "").rstrip(".").lower()
        recs = []
        for rr in ld.get(f"records:{zid}", []) or ():
            if rr.get("Type") not in ("A", "AAAA"):
                continue
            rname = rr.get("Name", "").rstrip(".").lower().replace("\\052", "*")
            if rr.get("ResourceRecords"):
                recs.append((rname, rr["ResourceRecords"][0]["Value"]))
            elif rr.get("AliasTarget"):
                target = rr["AliasTarget"].get("DNSName", "").lower()
                eid = target.lstrip("*.").split(".", 1)[0]
                eid = "-".join(eid.split("-")[:2]) if eid.startswith("vpce-") else eid
                e = by_dns.get(eid)
                ips = [x.private_ip for x in e.enis if x.private_ip] if e else []
                if ips:
                    recs.append((rname, ips[0]))
                else:
                    ld.st.warn(f"{zid}: {rname} is an alias to {target}, which is not an interface endpoint in the loaded network; left out")
        zones.append(PrivateHostedZone(name=name, vpc_ids=vpcs, records=tuple(recs), hosted_zone_id=zid))
    return zones
