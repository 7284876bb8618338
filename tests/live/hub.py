"""A hub-and-spoke network built with boto3 (the shape of tests/unit/data/tgw-hub.yaml): a spoke
VPC whose function reaches the internet through a transit gateway and an egress VPC's NAT gateways,
a shared-services VPC, and a private hosted zone for SSM associated with the spoke.

``aws_shaped_tgw`` is the in-test patch of moto 5.2.x for the three places its transit gateway
emulation differs from AWS here (docs/live-aws.md): SearchTransitGatewayRoutes returns a static
route's target attachment (moto leaves it out); an enabled VPC propagation adds one propagated
route per VPC CIDR (moto adds none); and a transit gateway created with default route table
association disabled does not associate new attachments with a default table (moto creates one and
associates them, and answers HTTP 500 to the disassociation). Everything else is moto as it is.
"""

from __future__ import annotations

import contextlib

from .envs import _spec


def build_hub(session, region: str = "us-east-1", *, propagate_spoke: bool = True, associate_spoke: bool = True,
              spoke_azs: tuple[str, ...] = ("a", "b"), function: bool = False) -> dict[str, str]:
    ec2 = session.client("ec2", region_name=region)
    ids: dict[str, str] = {}

    def vpc(name, cidr):
        v = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=_spec("vpc", name))["Vpc"]["VpcId"]
        ec2.modify_vpc_attribute(VpcId=v, EnableDnsHostnames={"Value": True})
        ids[name] = v
        return v

    def subnet(name, v, cidr, az):
        s = ec2.create_subnet(VpcId=v, CidrBlock=cidr, AvailabilityZone=region + az,
                              TagSpecifications=_spec("subnet", name))["Subnet"]["SubnetId"]
        ids[name] = s
        return s

    def table(name, v, subs):
        r = ec2.create_route_table(VpcId=v, TagSpecifications=_spec("route-table", name))["RouteTable"]["RouteTableId"]
        for s in subs:
            ec2.associate_route_table(RouteTableId=r, SubnetId=s)
        ids[name] = r
        return r

    spoke, egress, shared = vpc("spoke-vpc", "10.1.0.0/16"), vpc("egress-vpc", "10.100.0.0/16"), vpc("shared-vpc", "10.2.0.0/16")
    app_a, app_b = subnet("spoke-app-a", spoke, "10.1.1.0/24", "a"), subnet("spoke-app-b", spoke, "10.1.2.0/24", "b")
    spoke_tgw = [subnet(f"spoke-tgw-{z}", spoke, f"10.1.255.{16 * i}/28", z) for i, z in enumerate(spoke_azs)]
    pub = [subnet(f"egress-public-{z}", egress, f"10.100.{i}.0/24", z) for i, z in enumerate("ab")]
    egr_tgw = [subnet(f"egress-tgw-{z}", egress, f"10.100.255.{16 * i}/28", z) for i, z in enumerate("ab")]
    shr_app = subnet("shared-app-a", shared, "10.2.1.0/24", "a")
    shr_tgw = [subnet(f"shared-tgw-{z}", shared, f"10.2.255.{16 * i}/28", z) for i, z in enumerate("ab")]
    igw = ec2.create_internet_gateway(TagSpecifications=_spec("internet-gateway", "egress-igw"))["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=egress)
    nats = []
    for i, s in enumerate(pub):
        eip = ec2.allocate_address(Domain="vpc")
        nats.append(ec2.create_nat_gateway(SubnetId=s, AllocationId=eip["AllocationId"],
                                           TagSpecifications=_spec("natgateway", f"egress-nat-{'ab'[i]}"))["NatGateway"]["NatGatewayId"])
    tgw = ec2.create_transit_gateway(Description="hub", Options={
        "DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable"},
        TagSpecifications=_spec("transit-gateway", "hub-tgw"))["TransitGateway"]["TransitGatewayId"]
    ids["hub-tgw"] = tgw

    def attach(name, v, subs):
        a = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw, VpcId=v, SubnetIds=subs,
                                                      TagSpecifications=_spec("transit-gateway-attachment", name))
        aid = a["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        ids[name] = aid
        return aid

    a_spoke, a_egress, a_shared = attach("spoke-attach", spoke, spoke_tgw), attach("egress-attach", egress, egr_tgw), \
        attach("shared-attach", shared, shr_tgw)

    def tgw_table(name):
        r = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw, TagSpecifications=_spec(
            "transit-gateway-route-table", name))["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
        ids[name] = r
        return r

    spokes, hub = tgw_table("spokes"), tgw_table("hub")
    if associate_spoke:
        ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=spokes, TransitGatewayAttachmentId=a_spoke)
    for a in (a_egress, a_shared):
        ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=hub, TransitGatewayAttachmentId=a)
    ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=spokes, TransitGatewayAttachmentId=a_shared)
    if propagate_spoke:
        ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=hub, TransitGatewayAttachmentId=a_spoke)
    ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=hub, TransitGatewayAttachmentId=a_shared)
    ec2.create_transit_gateway_route(TransitGatewayRouteTableId=spokes, DestinationCidrBlock="0.0.0.0/0",
                                     TransitGatewayAttachmentId=a_egress)
    ec2.create_transit_gateway_route(TransitGatewayRouteTableId=spokes, DestinationCidrBlock="10.99.0.0/16", Blackhole=True)
    # an AWS Network Firewall in the egress VPC (moto reports no endpoints for it: its sync states are
    # answered AWS-shaped where a test needs them)
    fw_sub = subnet("egress-fw-a", egress, "10.100.254.0/28", "a")
    nfw = session.client("network-firewall", region_name=region)
    ids["firewall"] = nfw.create_firewall(FirewallName="egress-fw", FirewallPolicyArn=(
        f"arn:aws:network-firewall:{region}:123456789012:firewall-policy/egress"), VpcId=egress,
        SubnetMappings=[{"SubnetId": fw_sub}])["Firewall"]["FirewallArn"]
    # VPC route tables
    r = table("spoke-app", spoke, [app_a, app_b])
    ec2.create_route(RouteTableId=r, DestinationCidrBlock="0.0.0.0/0", TransitGatewayId=tgw)
    r = table("egress-public", egress, pub)
    ec2.create_route(RouteTableId=r, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.create_route(RouteTableId=r, DestinationCidrBlock="10.0.0.0/8", TransitGatewayId=tgw)
    for i, s in enumerate(egr_tgw):
        r = table(f"egress-tgw-{'ab'[i]}", egress, [s])
        ec2.create_route(RouteTableId=r, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nats[i])
    r = table("shared-app", shared, [shr_app] + shr_tgw)
    ec2.create_route(RouteTableId=r, DestinationCidrBlock="10.0.0.0/8", TransitGatewayId=tgw)
    # an API host in the shared VPC, admitting the spoke's CIDR
    sg = ec2.create_security_group(GroupName="inventory-api", Description="from the spoke", VpcId=shared)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.1.0.0/16"}]}])
    eni = ec2.create_network_interface(SubnetId=shr_app, PrivateIpAddress="10.2.1.20", Groups=[sg],
                                       Description="inventory-api")["NetworkInterface"]["NetworkInterfaceId"]
    ids["inventory-api"] = eni
    ids["fn-sg"] = ec2.create_security_group(GroupName="orders-fn", Description="function", VpcId=spoke)["GroupId"]
    if function:
        import json

        from .envs import TRUST, _zip

        iam, lam = session.client("iam", region_name=region), session.client("lambda", region_name=region)
        role = iam.create_role(RoleName="orders-fn-role", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
        lam.create_function(FunctionName="orders", Runtime="python3.12", Role=role, Handler="index.handler",
                            Code={"ZipFile": _zip()}, Timeout=3,
                            VpcConfig={"SubnetIds": [app_a, app_b], "SecurityGroupIds": [ids["fn-sg"]]})
    # a private hosted zone associated with the spoke
    r53 = session.client("route53", region_name=region)
    z = r53.create_hosted_zone(Name="corp.internal", CallerReference="hub-1",
                               HostedZoneConfig={"Comment": "", "PrivateZone": True},
                               VPC={"VPCRegion": region, "VPCId": spoke})["HostedZone"]["Id"].rsplit("/", 1)[-1]
    r53.change_resource_record_sets(HostedZoneId=z, ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": {
        "Name": "api.corp.internal", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.2.1.20"}]}}]})
    ids["zone"] = z
    return ids


@contextlib.contextmanager
def aws_shaped_tgw():
    """Patch moto (in this process, where the threaded server runs) to answer as AWS does: the
    target attachment of each route, a propagated route for each CIDR of a VPC whose attachment
    propagates to the table, and no default association when the TGW disables it."""
    from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachmentBackend as A
    from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRouteTableBackend as B

    orig = B.search_transit_gateway_routes
    orig_attach = A.create_transit_gateway_vpc_attachment

    def attach(self, *a, **kw):
        att = orig_attach(self, *a, **kw)
        tgw = self.transit_gateways.get(att.transit_gateway_id)
        default = att.transit_gateway_route_table
        if tgw is not None and default is not None and tgw.options.get("DefaultRouteTableAssociation") == "disable":
            self.unset_route_table_association(default.id, att.id)
            att.transit_gateway_route_table = None
        return att

    def search(self, transit_gateway_route_table_id, filters, max_results=None):
        out = []
        for r in orig(self, transit_gateway_route_table_id, filters, max_results):
            r = dict(r)
            att = r.get("transitGatewayAttachments")
            r["transitGatewayAttachments"] = [att] if isinstance(att, dict) else (att or [])
            out.append(r)
        table = self.transit_gateways_route_tables.get(transit_gateway_route_table_id)
        have = {r["destinationCidrBlock"] for r in out}
        for prop in (table.route_table_propagation if table is not None else ()):
            aid = prop.transitGatewayAttachmentId
            att = self.transit_gateway_attachments.get(aid)
            vpc = self.vpcs.get(att.resource_id) if att is not None and prop.state == "enabled" else None
            if vpc is None or vpc.cidr_block in have:
                continue
            out.append({"destinationCidrBlock": vpc.cidr_block, "prefixListId": None, "state": "active",
                        "type": "propagated", "transitGatewayAttachments": [
                            {"resourceId": att.resource_id, "resourceType": "vpc", "transitGatewayAttachmentId": aid}]})
        return out

    B.search_transit_gateway_routes = search
    A.create_transit_gateway_vpc_attachment = attach
    try:
        yield
    finally:
        B.search_transit_gateway_routes = orig
        A.create_transit_gateway_vpc_attachment = orig_attach
