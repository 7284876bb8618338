"""Edits as text a person reviews: AWS CLI commands, a Terraform or CloudFormation snippet, or a
scenario YAML fragment. Printed, never run: vpctui stays read-only.

``aws_cli(network, edits)`` gives one shell command per edit (computed against the network each
edit applies to, so a policy edit prints the whole new document). ``snippet(network, edits)`` gives
the change in the input's own terms: Terraform for a network read from Terraform, CloudFormation for
one read from a template, a scenario YAML fragment (the changed components, ready to paste) for a
scenario file or a live account.
"""

from __future__ import annotations

import json
import shlex
from typing import Iterable, Sequence

from ..engine import edits as ed
from ..model.network import Network, SgRule

_ROUTE_TARGET_FLAGS = {
    "igw-": "--gateway-id", "vpce-": "--vpc-endpoint-id", "nat-": "--nat-gateway-id",
    "pcx-": "--vpc-peering-connection-id", "tgw-": "--transit-gateway-id",
    "eigw-": "--egress-only-internet-gateway-id", "eni-": "--network-interface-id", "i-": "--instance-id",
    "lgw-": "--local-gateway-id", "cagw-": "--carrier-gateway-id", "vgw-": "--gateway-id",
    "arn:": "--core-network-arn",
}


def _q(s: str) -> str:
    return shlex.quote(s)


def _dest_flag(dest: str) -> str:
    if dest.startswith("pl-"):
        return f"--destination-prefix-list-id {_q(dest)}"
    if ":" in dest:
        return f"--destination-ipv6-cidr-block {_q(dest)}"
    return f"--destination-cidr-block {_q(dest)}"


def _target_flag(target: str) -> str:
    for prefix, flag in _ROUTE_TARGET_FLAGS.items():
        if target.startswith(prefix):
            return f"{flag} {_q(target)}"
    return f"--gateway-id {_q(target)}"


def _ip_permissions(r: SgRule) -> str:
    parts = [f"IpProtocol={r.protocol}"]
    if r.protocol in ("tcp", "udp"):
        parts += [f"FromPort={r.ports.from_port}", f"ToPort={r.ports.to_port}"]
    if r.cidr:
        parts.append(f"Ipv6Ranges=[{{CidrIpv6={r.cidr}}}]" if ":" in r.cidr else f"IpRanges=[{{CidrIp={r.cidr}}}]")
    elif r.prefix_list_id:
        parts.append(f"PrefixListIds=[{{PrefixListId={r.prefix_list_id}}}]")
    elif r.group_id:
        parts.append(f"UserIdGroupPairs=[{{GroupId={r.group_id}}}]")
    return _q(",".join(parts))


def _policy_cli(net: Network, owner: str, index: int) -> str:
    coll, comp, pol = ed.policy_owner(net, owner, index)
    if not pol.statements:  # the last statement went: AWS takes no empty policy, delete it instead
        return _delete_policy_cli(coll, comp, pol, index)
    doc = _q(json.dumps(pol.to_document(), separators=(",", ":")))
    if coll == "vpc_endpoints":
        return f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {_q(comp.vpc_endpoint_id)} --policy-document {doc}"
    if coll == "roles":
        name = pol.name or f"<name of policy #{index} of {comp.role_name}>"
        return (f"aws iam put-role-policy --role-name {_q(comp.role_name)} --policy-name {_q(name)} "
                f"--policy-document {doc}  # a managed policy: aws iam create-policy-version --set-as-default")
    svc = comp.service
    if svc == "s3":
        return f"aws s3api put-bucket-policy --bucket {_q(comp.name)} --policy {doc}"
    if svc == "dynamodb":
        return f"aws dynamodb put-resource-policy --resource-arn {_q(comp.arn)} --policy {doc}"
    if svc == "secretsmanager":
        return f"aws secretsmanager put-resource-policy --secret-id {_q(comp.arn)} --resource-policy {doc}"
    if svc == "sqs":
        return (f"aws sqs set-queue-attributes --queue-url \"$(aws sqs get-queue-url --queue-name {_q(comp.name)} "
                f"--query QueueUrl --output text)\" --attributes {_q('Policy=' + json.dumps(pol.to_document()))}")
    return f"# set the policy of {comp.arn} to: {json.dumps(pol.to_document())}"


def _delete_policy_cli(coll: str, comp, pol, index: int) -> str:
    if coll == "vpc_endpoints":
        return f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {_q(comp.vpc_endpoint_id)} --reset-policy"
    if coll == "roles":
        name = pol.name or f"<name of policy #{index} of {comp.role_name}>"
        return f"aws iam delete-role-policy --role-name {_q(comp.role_name)} --policy-name {_q(name)}"
    svc = comp.service
    if svc == "s3":
        return f"aws s3api delete-bucket-policy --bucket {_q(comp.name)}"
    if svc == "dynamodb":
        return f"aws dynamodb delete-resource-policy --resource-arn {_q(comp.arn)}"
    if svc == "secretsmanager":
        return f"aws secretsmanager delete-resource-policy --secret-id {_q(comp.arn)}"
    if svc == "sqs":
        return (f"aws sqs set-queue-attributes --queue-url \"$(aws sqs get-queue-url --queue-name {_q(comp.name)} "
                f"--query QueueUrl --output text)\" --attributes Policy=")
    return f"# delete the policy of {comp.arn}"


def cli_command(before: Network, after: Network, e: ed.Edit) -> str:
    """The AWS CLI command that makes ``e`` (``before``/``after``: the network around the edit)."""
    if isinstance(e, ed.AddRoute):
        return (f"aws ec2 create-route --route-table-id {_q(e.route_table_id)} {_dest_flag(e.destination)} "
                f"{_target_flag(e.target)}")
    if isinstance(e, ed.ReplaceRoute):
        return (f"aws ec2 replace-route --route-table-id {_q(e.route_table_id)} {_dest_flag(e.destination)} "
                f"{_target_flag(e.target)}")
    if isinstance(e, ed.RemoveRoute):
        return f"aws ec2 delete-route --route-table-id {_q(e.route_table_id)} {_dest_flag(e.destination)}"
    if isinstance(e, ed.AssociateGatewayEndpoint):
        return f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {_q(e.vpc_endpoint_id)} --add-route-table-ids {_q(e.route_table_id)}"
    if isinstance(e, ed.DisassociateGatewayEndpoint):
        return f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {_q(e.vpc_endpoint_id)} --remove-route-table-ids {_q(e.route_table_id)}"
    if isinstance(e, ed.AddEndpointSubnet):
        return f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {_q(e.vpc_endpoint_id)} --add-subnet-ids {_q(e.subnet_id)}"
    if isinstance(e, ed.RemoveEndpointSubnet):
        return f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {_q(e.vpc_endpoint_id)} --remove-subnet-ids {_q(e.subnet_id)}"
    if isinstance(e, ed.SetEndpointPrivateDns):
        flag = "--private-dns-enabled" if e.enabled else "--no-private-dns-enabled"
        return f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {_q(e.vpc_endpoint_id)} {flag}"
    if isinstance(e, (ed.AddSgRule, ed.RemoveSgRule)):
        verb = "authorize" if isinstance(e, ed.AddSgRule) else "revoke"
        return (f"aws ec2 {verb}-security-group-{e.direction} --group-id {_q(e.group_id)} "
                f"--ip-permissions {_ip_permissions(e.rule)}")
    if isinstance(e, ed.AddNaclEntry):
        x = e.entry
        ports = f" --port-range From={x.ports.from_port},To={x.ports.to_port}" if x.protocol in ("tcp", "udp") else ""
        proto = {"tcp": "6", "udp": "17", "icmp": "1"}.get(x.protocol, "-1")
        cidr = f"--ipv6-cidr-block {_q(x.cidr_block)}" if ":" in x.cidr_block else f"--cidr-block {_q(x.cidr_block)}"
        return (f"aws ec2 create-network-acl-entry --network-acl-id {_q(e.network_acl_id)} --rule-number {x.rule_number} "
                f"{'--egress' if x.egress else '--ingress'} --protocol {proto}{ports} {cidr} --rule-action {x.rule_action}")
    if isinstance(e, ed.RemoveNaclEntry):
        return (f"aws ec2 delete-network-acl-entry --network-acl-id {_q(e.network_acl_id)} --rule-number {e.rule_number} "
                f"{'--egress' if e.egress else '--ingress'}")
    if isinstance(e, (ed.AssociateHostedZone, ed.DisassociateHostedZone)):
        z = ed.find_zone(before, e.zone)
        zid = z.hosted_zone_id or f"<hosted zone id of {z.name}>"
        verb = "associate-vpc-with-hosted-zone" if isinstance(e, ed.AssociateHostedZone) else "disassociate-vpc-from-hosted-zone"
        return f"aws route53 {verb} --hosted-zone-id {_q(zid)} --vpc VPCRegion={before.region},VPCId={e.vpc_id}"
    if isinstance(e, ed.AddHostedZoneRecord):
        z = ed.find_zone(before, e.zone)
        zid = z.hosted_zone_id or f"<hosted zone id of {z.name}>"
        batch = {"Changes": [{"Action": "CREATE", "ResourceRecordSet": {
            "Name": e.name, "Type": "AAAA" if ":" in e.address else "A", "TTL": 300,
            "ResourceRecords": [{"Value": e.address}]}}]}
        return f"aws route53 change-resource-record-sets --hosted-zone-id {_q(zid)} --change-batch {_q(json.dumps(batch))}"
    if isinstance(e, ed.SetVpcDnsAttribute):
        flag = "--enable-dns-support" if e.attribute == "enableDnsSupport" else "--enable-dns-hostnames"
        return f"aws ec2 modify-vpc-attribute --vpc-id {_q(e.vpc_id)} {flag} {_q(json.dumps({'Value': e.value}))}"
    if isinstance(e, ed.SetFunctionVpcConfig):
        fn = after.function_by_name[e.function_name]
        cfg = f"SubnetIds={','.join(fn.subnet_ids)},SecurityGroupIds={','.join(fn.security_group_ids)}"
        return f"aws lambda update-function-configuration --function-name {_q(e.function_name)} --vpc-config {_q(cfg)}"
    if isinstance(e, ed.SetFunctionIpv6):
        fn = after.function_by_name[e.function_name]
        cfg = (f"SubnetIds={','.join(fn.subnet_ids)},SecurityGroupIds={','.join(fn.security_group_ids)},"
               f"Ipv6AllowedForDualStack={str(e.enabled).lower()}")
        return f"aws lambda update-function-configuration --function-name {_q(e.function_name)} --vpc-config {_q(cfg)}"
    if isinstance(e, (ed.RemovePolicyStatement, ed.RemovePolicyCondition, ed.AddPolicyConditionValue, ed.AddPolicyStatement)):
        return _policy_cli(after, e.owner, e.policy_index)
    return f"# {e.describe()}"


def aws_cli(network: Network, edits: Sequence[ed.Edit]) -> list[str]:
    """One AWS CLI command per edit, in order (to review and run by hand; vpctui never runs them)."""
    out = []
    net = network
    for e in edits:
        after = e.apply_to(net)
        out.append(cli_command(net, after, e))
        net = after
    return out


# --------------------------------------------------------------------------------------------------
# snippets in the input's terms


def input_kind(network: Network) -> str:
    """terraform | cloudformation | scenario: what the network was read from."""
    if network.sources:  # read from Terraform or CloudFormation (loaders/iac.py): each component says which
        from .sources import _kind

        kinds = {_kind(s) for _, s in network.sources}
        if len(kinds) == 1:
            return kinds.pop()
    src = (network.source or "").lower()
    if src.startswith("terraform:") or src.endswith((".tfstate", ".tf", ".tfplan", ".tfplan.json")):
        return "terraform"
    if src.startswith("cloudformation:") or src.endswith((".template", ".template.json", ".template.yaml", ".cfn.yaml", ".cfn.json")):
        return "cloudformation"
    return "scenario"


def _tf_name(i: int, what: str) -> str:
    return f"vpctui_{what}_{i}"


def _tf_rule(lines: list, r: SgRule) -> None:
    if r.cidr:
        lines.append(f'  {"cidr_ipv6" if ":" in r.cidr else "cidr_ipv4"} = "{r.cidr}"')
    elif r.prefix_list_id:
        lines.append(f'  prefix_list_id = "{r.prefix_list_id}"')
    elif r.group_id:
        lines.append(f'  referenced_security_group_id = "{r.group_id}"')


def terraform(network: Network, edits: Sequence[ed.Edit]) -> str:
    """The edits as Terraform: association resources where AWS's provider has one, otherwise the
    argument to change on the existing resource (as a comment naming it by id)."""
    out: list[str] = []
    net = network
    for i, e in enumerate(edits, 1):
        after = e.apply_to(net)
        lines: list[str] = []
        if isinstance(e, ed.AddRoute):
            dest = ("destination_prefix_list_id" if e.destination.startswith("pl-") else
                    "destination_ipv6_cidr_block" if ":" in e.destination else "destination_cidr_block")
            tgt = {"igw-": "gateway_id", "nat-": "nat_gateway_id", "pcx-": "vpc_peering_connection_id",
                   "tgw-": "transit_gateway_id", "eigw-": "egress_only_gateway_id", "vpce-": "vpc_endpoint_id",
                   "eni-": "network_interface_id"}.get(e.target.split("-")[0] + "-", "gateway_id")
            lines += [f'resource "aws_route" "{_tf_name(i, "route")}" {{', f'  route_table_id = "{e.route_table_id}"',
                      f'  {dest} = "{e.destination}"', f'  {tgt} = "{e.target}"', "}"]
        elif isinstance(e, ed.AssociateGatewayEndpoint):
            lines += [f'resource "aws_vpc_endpoint_route_table_association" "{_tf_name(i, "endpoint_rt")}" {{',
                      f'  vpc_endpoint_id = "{e.vpc_endpoint_id}"', f'  route_table_id  = "{e.route_table_id}"', "}"]
        elif isinstance(e, ed.AddEndpointSubnet):
            lines += [f'resource "aws_vpc_endpoint_subnet_association" "{_tf_name(i, "endpoint_subnet")}" {{',
                      f'  vpc_endpoint_id = "{e.vpc_endpoint_id}"', f'  subnet_id       = "{e.subnet_id}"', "}"]
        elif isinstance(e, ed.AddSgRule):
            kind = "aws_vpc_security_group_egress_rule" if e.direction == "egress" else "aws_vpc_security_group_ingress_rule"
            r = e.rule
            lines += [f'resource "{kind}" "{_tf_name(i, "sg_rule")}" {{', f'  security_group_id = "{e.group_id}"',
                      f'  ip_protocol = "{r.protocol}"']
            if r.protocol in ("tcp", "udp"):
                lines += [f"  from_port   = {r.ports.from_port}", f"  to_port     = {r.ports.to_port}"]
            _tf_rule(lines, r)
            lines.append("}")
        elif isinstance(e, ed.AddNaclEntry):
            x = e.entry
            lines += [f'resource "aws_network_acl_rule" "{_tf_name(i, "nacl_rule")}" {{',
                      f'  network_acl_id = "{e.network_acl_id}"', f"  rule_number    = {x.rule_number}",
                      f"  egress         = {str(x.egress).lower()}", f'  protocol       = "{x.protocol}"',
                      f'  rule_action    = "{x.rule_action}"',
                      f'  {"ipv6_cidr_block" if ":" in x.cidr_block else "cidr_block"} = "{x.cidr_block}"']
            if x.protocol in ("tcp", "udp"):
                lines += [f"  from_port      = {x.ports.from_port}", f"  to_port        = {x.ports.to_port}"]
            lines.append("}")
        elif isinstance(e, ed.AssociateHostedZone):
            z = ed.find_zone(net, e.zone)
            lines += [f'resource "aws_route53_zone_association" "{_tf_name(i, "zone")}" {{',
                      f'  zone_id = "{z.hosted_zone_id or "<hosted zone id of " + z.name + ">"}"', f'  vpc_id  = "{e.vpc_id}"', "}"]
        elif isinstance(e, ed.SetVpcDnsAttribute):
            arg = "enable_dns_support" if e.attribute == "enableDnsSupport" else "enable_dns_hostnames"
            lines.append(f'# in the aws_vpc resource of {e.vpc_id}:\n#   {arg} = {str(e.value).lower()}')
        elif isinstance(e, ed.SetEndpointPrivateDns):
            lines.append(f"# in the aws_vpc_endpoint resource of {e.vpc_endpoint_id}:\n#   private_dns_enabled = {str(e.enabled).lower()}")
        elif isinstance(e, (ed.SetFunctionVpcConfig, ed.SetFunctionIpv6)):
            fn = after.function_by_name[e.function_name]
            lines.append(f"# in the aws_lambda_function resource of {e.function_name}:\n#   vpc_config {{\n"
                         f"#     subnet_ids         = {json.dumps(list(fn.subnet_ids))}\n"
                         f"#     security_group_ids = {json.dumps(list(fn.security_group_ids))}\n"
                         + ("#     ipv6_allowed_for_dual_stack = true\n" if fn.ipv6_allowed_for_dual_stack else "")
                         + "#   }")
        elif isinstance(e, (ed.RemovePolicyStatement, ed.RemovePolicyCondition, ed.AddPolicyConditionValue, ed.AddPolicyStatement)):
            coll, comp, pol = ed.policy_owner(after, e.owner, e.policy_index)
            where = {"vpc_endpoints": "the aws_vpc_endpoint's policy", "roles": "the role's policy document",
                     "resources": "the resource's policy (e.g. aws_s3_bucket_policy)"}[coll]
            doc = json.dumps(pol.to_document(), indent=2).replace("\n", "\n#   ")
            lines.append(f"# {where} for {e.owner} becomes:\n#   {doc}")
        else:
            lines.append(f"# {e.describe()} (remove the resource or argument that makes it)")
        out.append(f"# {e.describe()}\n" + "\n".join(lines))
        net = after
    return "\n\n".join(out) + "\n"


def cloudformation(network: Network, edits: Sequence[ed.Edit]) -> str:
    """The edits as CloudFormation resources (YAML), or the property to change where a change is
    to an existing resource."""
    out: list[str] = ["Resources:"]
    net = network
    for i, e in enumerate(edits, 1):
        after = e.apply_to(net)
        name = f"Vpctui{type(e).__name__}{i}"
        out.append(f"  # {e.describe()}")
        if isinstance(e, ed.AddRoute):
            dest = ("DestinationPrefixListId" if e.destination.startswith("pl-") else
                    "DestinationIpv6CidrBlock" if ":" in e.destination else "DestinationCidrBlock")
            tgt = {"igw-": "GatewayId", "nat-": "NatGatewayId", "pcx-": "VpcPeeringConnectionId",
                   "tgw-": "TransitGatewayId", "eigw-": "EgressOnlyInternetGatewayId", "vpce-": "VpcEndpointId",
                   "eni-": "NetworkInterfaceId"}.get(e.target.split("-")[0] + "-", "GatewayId")
            out += [f"  {name}:", "    Type: AWS::EC2::Route", "    Properties:",
                    f"      RouteTableId: {e.route_table_id}", f"      {dest}: {e.destination}", f"      {tgt}: {e.target}"]
        elif isinstance(e, ed.AddSgRule):
            r = e.rule
            kind = "AWS::EC2::SecurityGroupEgress" if e.direction == "egress" else "AWS::EC2::SecurityGroupIngress"
            out += [f"  {name}:", f"    Type: {kind}", "    Properties:", f"      GroupId: {e.group_id}",
                    f'      IpProtocol: "{r.protocol}"']
            if r.protocol in ("tcp", "udp"):
                out += [f"      FromPort: {r.ports.from_port}", f"      ToPort: {r.ports.to_port}"]
            if r.cidr:
                out.append(f"      {'CidrIpv6' if ':' in r.cidr else 'CidrIp'}: {r.cidr}")
            elif r.prefix_list_id:
                out.append(f"      {'DestinationPrefixListId' if e.direction == 'egress' else 'SourcePrefixListId'}: {r.prefix_list_id}")
            elif r.group_id:
                out.append(f"      {'DestinationSecurityGroupId' if e.direction == 'egress' else 'SourceSecurityGroupId'}: {r.group_id}")
        elif isinstance(e, ed.AddNaclEntry):
            x = e.entry
            proto = {"tcp": 6, "udp": 17, "icmp": 1}.get(x.protocol, -1)
            out += [f"  {name}:", "    Type: AWS::EC2::NetworkAclEntry", "    Properties:",
                    f"      NetworkAclId: {e.network_acl_id}", f"      RuleNumber: {x.rule_number}",
                    f"      Egress: {str(x.egress).lower()}", f"      Protocol: {proto}", f"      RuleAction: {x.rule_action}",
                    f"      {'Ipv6CidrBlock' if ':' in x.cidr_block else 'CidrBlock'}: {x.cidr_block}"]
            if x.protocol in ("tcp", "udp"):
                out += ["      PortRange:", f"        From: {x.ports.from_port}", f"        To: {x.ports.to_port}"]
        elif isinstance(e, (ed.AssociateGatewayEndpoint, ed.DisassociateGatewayEndpoint)):
            ep = after.get(e.vpc_endpoint_id)
            out.append(f"  # in the AWS::EC2::VPCEndpoint of {e.vpc_endpoint_id}: RouteTableIds: {json.dumps(list(ep.route_table_ids))}")
        elif isinstance(e, (ed.AddEndpointSubnet, ed.RemoveEndpointSubnet)):
            ep = after.get(e.vpc_endpoint_id)
            out.append(f"  # in the AWS::EC2::VPCEndpoint of {e.vpc_endpoint_id}: SubnetIds: {json.dumps(list(ep.subnet_ids))}")
        elif isinstance(e, ed.SetEndpointPrivateDns):
            out.append(f"  # in the AWS::EC2::VPCEndpoint of {e.vpc_endpoint_id}: PrivateDnsEnabled: {str(e.enabled).lower()}")
        elif isinstance(e, ed.SetVpcDnsAttribute):
            prop = "EnableDnsSupport" if e.attribute == "enableDnsSupport" else "EnableDnsHostnames"
            out.append(f"  # in the AWS::EC2::VPC of {e.vpc_id}: {prop}: {str(e.value).lower()}")
        elif isinstance(e, (ed.AssociateHostedZone, ed.DisassociateHostedZone)):
            z = ed.find_zone(after, e.zone)
            out.append(f"  # in the AWS::Route53::HostedZone {z.name}: VPCs: "
                       + json.dumps([{"VPCId": v, "VPCRegion": net.region} for v in z.vpc_ids]))
        elif isinstance(e, (ed.SetFunctionVpcConfig, ed.SetFunctionIpv6)):
            fn = after.function_by_name[e.function_name]
            cfg = {"SubnetIds": list(fn.subnet_ids), "SecurityGroupIds": list(fn.security_group_ids)}
            if fn.ipv6_allowed_for_dual_stack:
                cfg["Ipv6AllowedForDualStack"] = True
            out.append(f"  # in the AWS::Lambda::Function {e.function_name}: VpcConfig: {json.dumps(cfg)}")
        elif isinstance(e, (ed.RemovePolicyStatement, ed.RemovePolicyCondition, ed.AddPolicyConditionValue, ed.AddPolicyStatement)):
            coll, comp, pol = ed.policy_owner(after, e.owner, e.policy_index)
            out.append(f"  # the policy of {e.owner} becomes: {json.dumps(pol.to_document())}")
        else:
            out.append(f"  # {e.describe()}")
        net = after
    return "\n".join(out) + "\n"


def _changed_ids(network: Network, edits: Iterable[ed.Edit]) -> list[str]:
    seen: list[str] = []
    for e in edits:
        for attr in ("route_table_id", "vpc_endpoint_id", "group_id", "network_acl_id", "vpc_id", "function_name", "owner", "zone"):
            v = getattr(e, attr, None)
            if isinstance(v, str) and v and v not in seen:
                if attr == "vpc_id" and isinstance(e, (ed.AssociateHostedZone, ed.DisassociateHostedZone)):
                    continue
                seen.append(v)
        if isinstance(e, (ed.AssociateHostedZone, ed.DisassociateHostedZone, ed.AddHostedZoneRecord)) and e.zone not in seen:
            seen.append(e.zone)
    return seen


def scenario_fragment(network: Network, edits: Sequence[ed.Edit]) -> str:
    """The components the edits change, as they are after the edits, in scenario YAML (each under
    its section: replace the item of the same id in the file)."""
    from ..loaders.dump import _yaml, component_to_dict

    after = ed.apply(network, edits)
    merged: dict[str, list] = {}
    for cid in _changed_ids(network, edits):
        obj = after.get(cid) or after.function_by_name.get(cid) or after.role_by_key.get(cid)
        if obj is None:
            obj = next((r for r in after.resources if cid in (r.arn, r.name)), None)
        if obj is None:
            obj = next((z for z in after.private_hosted_zones if cid in (z.hosted_zone_id, z.name)), None)
        if obj is None:
            continue
        for section, items in component_to_dict(after, obj).items():
            merged.setdefault(section, []).extend(items)
    head = "# the changed components after the edits (replace the items with the same ids)\n"
    return head + _yaml(merged)


def snippet(network: Network, edits: Sequence[ed.Edit], kind: str = "") -> tuple[str, str]:
    """(kind, text): the change in the input's terms."""
    kind = kind or input_kind(network)
    if kind == "terraform":
        return kind, _by_reference(network, terraform(network, edits), kind)
    if kind == "cloudformation":
        return kind, _by_reference(network, cloudformation(network, edits), kind)
    return "scenario", scenario_fragment(network, edits)


def _by_reference(network: Network, text: str, kind: str) -> str:
    """For a network read from Terraform or CloudFormation (docs/iac.md): a quoted id of a component
    written in that code becomes a reference to it (``aws_route_table.private.id``,
    ``!Ref PrivateRouteTable``), so the snippet works before the id exists; an id inside a child
    module becomes the reference that holds inside that module, with the module named in a comment."""
    if not network.sources:
        return text
    import re

    from .sources import _kind, _name, source_of

    def repl(m: "re.Match") -> str:
        ident = m.group(1)
        src = source_of(network, ident)
        if not src or _kind(src) != kind:
            return m.group(0)
        name = _name(src)
        if kind == "cloudformation":
            return f"!Ref {name}"
        if name.startswith("module."):  # a reference that holds inside that module
            mod, _, local = name.rpartition(".aws_")
            return f"aws_{local}.id  # in {mod}"
        return f"{name}.id"

    out = []
    for line in text.splitlines(keepends=True):
        out.append(line if line.lstrip().startswith("#") and kind == "terraform" else re.sub(r'"([^"\s]+)"', repl, line))
    return "".join(out)
