"""The reason codes (rule book §9.5): Reachability Analyzer's names where one exists; ★ ours."""

from __future__ import annotations

from .result import ACCESS_DENIED, CONNECTION_REFUSED, DNS_FAILURE, INVOKE_ERROR, SYMPTOM_UNKNOWN, TIMEOUT

# code -> (hops, symptom, one-line meaning)
REASONS: dict[str, tuple[str, str, str]] = {
    "ENI_SG_RULES_MISMATCH": ("H2/H7", TIMEOUT, "no security group rule admits the traffic"),
    "SG_HAS_NO_RULES": ("H2/H7", TIMEOUT, "the security groups have no rules in that direction"),
    "SUBNET_ACL_RESTRICTION": ("H3/H6/H8", TIMEOUT, "the subnet's network ACL does not admit the traffic"),
    "NO_ROUTE_TO_DESTINATION": ("H4", TIMEOUT, "the route table has no route that applies"),
    "BAD_STATE_ROUTE": ("H4", TIMEOUT, "the route is a blackhole (its target was deleted)"),
    "BAD_STATE": ("H5", TIMEOUT, "the component is not working (e.g. NAT gateway not available)"),
    "BAD_STATE_ATTACHMENT": ("H5", TIMEOUT, "the gateway is not attached to the VPC"),
    "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS": ("H5", TIMEOUT, "the source has no public IP; a Lambda ENI never has one"),
    "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS": ("H5", TIMEOUT, "an internet gateway does not carry traffic to private addresses"),
    "NAT_SUBNET_NO_IGW_ROUTE": ("H5", TIMEOUT, "the NAT gateway's subnet has no route to an internet gateway"),
    "PRIVATE_NAT_TO_IGW": ("H5", TIMEOUT, "a private NAT gateway cannot reach the internet"),
    "VPC_BLOCK_PUBLIC_ACCESS_ENABLED": ("H5", TIMEOUT, "VPC Block Public Access blocks internet traffic"),
    "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR": ("H5", TIMEOUT, "peering is not transitive: the destination is not in the peer VPC"),
    "PEERING_NO_RETURN_ROUTE": ("H8", TIMEOUT, "the peer VPC has no route back over the peering connection"),
    "EDGE_TO_EDGE_NOT_SUPPORTED": ("H5", TIMEOUT, "a peer's gateways and endpoints cannot be used through peering"),
    "NO_POSSIBLE_DESTINATION": ("H5", TIMEOUT, "nothing in the VPC has that address"),
    "UNKNOWN_DESTINATION": ("H5", SYMPTOM_UNKNOWN, "vpctui cannot follow the path past this component"),
    "GATEWAY_ENDPOINT_NOT_ASSOCIATED": ("H4", TIMEOUT, "a gateway endpoint exists but not on this subnet's route table"),
    "GATEWAY_ENDPOINT_CROSS_REGION": ("H4", TIMEOUT, "gateway endpoints serve their own Region only"),
    "IPV6_NOT_ALLOWED_FOR_FUNCTION": ("H0", TIMEOUT, "the function does not send IPv6 (Ipv6AllowedForDualStack is off or invalid)"),
    "NO_AAAA_FOR_ENDPOINT": ("H1", TIMEOUT, "the hostname has no IPv6 address"),
    "DNS_RESOLUTION_DISABLED": ("H1", DNS_FAILURE, "enableDnsSupport is off: the Amazon DNS server does not answer"),
    "PRIVATE_DNS_NOT_EFFECTIVE": ("H1", TIMEOUT, "the endpoint's private DNS is off or needs both VPC DNS attributes"),
    "HOSTNAME_NOT_COVERED_BY_PRIVATE_DNS": ("H1", TIMEOUT, "the name the SDK calls is not covered by the endpoint's private DNS"),
    "PHZ_SHADOWS_NAME": ("H1", DNS_FAILURE, "a private hosted zone matches the name but has no record: NXDOMAIN"),
    "DNS_FIREWALL_BLOCK": ("H1", DNS_FAILURE, "Route 53 Resolver DNS Firewall blocks the name"),
    "DNS_FIREWALL_FAIL_CLOSED": ("H1", DNS_FAILURE, "DNS Firewall is impaired and fails closed: SERVFAIL"),
    "CUSTOM_DNS_UNREACHABLE": ("H1", DNS_FAILURE, "the custom DNS server cannot be reached"),
    "VPCE_POLICY_DENY": ("H9", ACCESS_DENIED, "the VPC endpoint policy denies the action"),
    "RESOURCE_POLICY_DENY": ("H9", ACCESS_DENIED, "the resource policy denies the action"),
    "IDENTITY_POLICY_NO_ALLOW": ("H9", ACCESS_DENIED, "no identity-based policy allows the action"),
    "IDENTITY_POLICY_DENY": ("H9", ACCESS_DENIED, "an identity-based policy explicitly denies the action"),
    "POLICY_UNKNOWN": ("H9", SYMPTOM_UNKNOWN, "a policy could not be read or evaluated"),
    "PORT_NOT_LISTENING": ("H10", CONNECTION_REFUSED, "nothing listens on the port"),
    "LAMBDA_ENI_SETUP_FAILED": ("H0", INVOKE_ERROR, "Lambda could not set up its network interface"),
    "UNKNOWN_RESOURCE": ("any", SYMPTOM_UNKNOWN, "the component could not be described (missing permission)"),
}
